//! The checks of how Halo answers: sign-in, list shapes, paging, the agent
//! include flags and the detail reads.

use serde_json::{json, Map, Value};
use url::Url;

use super::probe::Miss;
use super::report::{Check, Verdict};
use super::scan::{Listing, Scan, Shape, PAGE_SIZE};
use crate::halo::{check_url, Agent, HaloObject};

/// What the sign-in used and what `/api/authinfo` answered.
pub struct AuthSeen {
    /// The instance URL, normalised.
    pub base: Url,
    /// `HALOPSA_AUTH_URL`, when set.
    pub configured_auth_url: Option<Url>,
    /// `HALOPSA_TENANT`, when set.
    pub tenant: Option<String>,
    /// The answer of `GET /api/authinfo`.
    pub authinfo: Result<Value, Miss>,
}

pub fn auth(seen: &AuthSeen) -> Check {
    let fallback = format!("{}/auth", seen.base.as_str().trim_end_matches('/'));
    let mut check = Check::new(
        "auth",
        "the auth discovery in crates/halo-client/src/auth.rs (set HALOPSA_AUTH_URL meanwhile)",
    );
    let announced = match &seen.authinfo {
        Ok(Value::Object(map)) => {
            check = check.with(
                "authinfo",
                format!(
                    "answered an object with the fields {}",
                    map.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            if let Some(t) = map.get("tenant_id").or_else(|| map.get("tenant")) {
                check = check.with("tenant_announced", t.clone());
            }
            match map.get("auth_url").and_then(Value::as_str).map(str::trim) {
                Some(raw) if !raw.is_empty() => match Url::parse(raw) {
                    Ok(url) => match check_url(&url) {
                        Ok(()) => Some(url),
                        Err(why) => {
                            check = check.with("authinfo_auth_url_ignored", why);
                            None
                        }
                    },
                    Err(e) => {
                        check = check.with(
                            "authinfo_auth_url_ignored",
                            format!("{raw:?} is not a URL: {e}"),
                        );
                        None
                    }
                },
                _ => None,
            }
        }
        Ok(other) => {
            check = check.with(
                "authinfo",
                format!("answered {}, not an object", kind_of(other)),
            );
            None
        }
        Err(miss) => {
            check = check.with("authinfo", miss.describe());
            None
        }
    };
    let (discovery, server) = match (&seen.configured_auth_url, announced) {
        (Some(url), _) => ("HALOPSA_AUTH_URL", url.to_string()),
        (None, Some(url)) => ("/api/authinfo", url.to_string()),
        (None, None) => ("the fallback {url}/auth", fallback),
    };
    check
        .with("discovery", discovery)
        .with("auth_server", server.clone())
        .with(
            "tenant_configured",
            seen.tenant.clone().map_or(Value::Null, Value::String),
        )
        .with(
            "token",
            "POST {auth_server}/token with grant_type=client_credentials answered an \
             access_token that the API accepted (the token itself is never shown)",
        )
        .verdict(
            Verdict::Confirmed,
            format!("signed in; the auth server {server} (from {discovery})"),
        )
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn shape_evidence(listing: &Listing, expected_key: &str) -> Value {
    let mut ev = Map::new();
    match listing.shape() {
        None => {}
        Some(Shape::Bare) => {
            ev.insert("shape".into(), "bare array".into());
        }
        Some(Shape::Wrapped {
            key,
            other_arrays,
            record_count,
        }) => {
            ev.insert("shape".into(), "wrapped".into());
            ev.insert("key".into(), key.clone().into());
            if key != expected_key {
                ev.insert("provider_key".into(), expected_key.into());
            }
            if !other_arrays.is_empty() {
                ev.insert("other_array_keys".into(), json!(other_arrays));
            }
            ev.insert("record_count".into(), json!(record_count));
        }
        Some(Shape::NoArray { keys, record_count }) => {
            ev.insert("shape".into(), "an object without any array".into());
            ev.insert("keys".into(), json!(keys));
            ev.insert("record_count".into(), json!(record_count));
        }
        Some(Shape::Empty) => {
            ev.insert("shape".into(), "empty answer".into());
        }
        Some(Shape::Other(what)) => {
            ev.insert("shape".into(), format!("not a list: {what}").into());
        }
    }
    ev.insert("objects".into(), listing.items.len().into());
    ev.insert("pages".into(), listing.pages.len().into());
    ev.insert("stopped_at".into(), listing.stop.describe().into());
    Value::Object(ev)
}

pub fn list_shape(scan: &Scan) -> Check {
    let mut per_kind = Map::new();
    let mut wrong = Vec::new();
    let mut seen = 0usize;
    for k in &scan.kinds {
        per_kind.insert(
            k.spec.path.to_owned(),
            shape_evidence(&k.listing, k.spec.list_key),
        );
        let Some(shape) = k.listing.shape() else {
            continue;
        };
        seen += 1;
        match shape {
            Shape::Bare | Shape::Empty => {}
            Shape::Wrapped {
                key, other_arrays, ..
            } => {
                if !key.eq_ignore_ascii_case(k.spec.list_key) {
                    wrong.push(format!(
                        "/api/{} wraps its list under {key:?}, not {:?}{}",
                        k.spec.path,
                        k.spec.list_key,
                        if other_arrays.is_empty() {
                            ""
                        } else {
                            " (and holds other arrays: the provider may pick the wrong one)"
                        }
                    ));
                }
            }
            Shape::NoArray { record_count, .. } => {
                if *record_count != Some(0) {
                    wrong.push(format!(
                        "/api/{} answered an object without any array",
                        k.spec.path
                    ));
                }
            }
            Shape::Other(what) => {
                wrong.push(format!("/api/{} answered {what}", k.spec.path));
            }
        }
    }
    let check = Check::new(
        "list_shape",
        "LIST_KEY of the kind in crates/halo-client/src/models.rs (and the list decoding in crates/halo-client/src/client.rs)",
    )
    .with("kinds", Value::Object(per_kind));
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if seen == 0 {
        check.verdict(Verdict::Unchecked, "no list could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{seen} of {} lists answered a bare array or the expected wrapper",
                scan.kinds.len()
            ),
        )
    }
}

pub fn pagination(scan: &Scan) -> Check {
    let mut check = Check::new(
        "pagination",
        "the paging of lists in crates/halo-client/src/client.rs (page size and stop rules)",
    );
    // Pages of the full listings: how many objects each page of 100 held.
    let mut pages = Map::new();
    let mut oversized = Vec::new();
    for k in &scan.kinds {
        let sizes: Vec<usize> = k.listing.pages.iter().map(|(_, n)| *n).collect();
        if sizes.iter().any(|n| *n > PAGE_SIZE) {
            oversized.push(k.spec.path);
        }
        pages.insert(k.spec.path.to_owned(), json!(sizes));
    }
    check = check.with("objects_per_page_of_100", Value::Object(pages));
    let Some(p) = &scan.paging else {
        let why = scan.paging_miss.clone().unwrap_or_default();
        return if oversized.is_empty() {
            check.verdict(Verdict::Unchecked, why)
        } else {
            check.verdict(
                Verdict::Contradicted,
                format!(
                    "page_size=100 answered more than 100 objects on /api/{}",
                    oversized.join(", /api/")
                ),
            )
        };
    };
    let small: Vec<Value> = p
        .small_pages
        .iter()
        .map(|r| match r {
            Ok(n) => json!(n),
            Err(e) => json!(e),
        })
        .collect();
    check = check
        .with("probe_kind", p.kind)
        .with("probe_kind_objects", p.total)
        .with("page_size_1_pages_1_and_2", Value::Array(small));
    if let Some(large) = &p.large_page {
        check = check.with(
            "page_size_1000_answered",
            match large {
                Ok(n) => json!(n),
                Err(e) => json!(e),
            },
        );
    } else {
        check = check.with(
            "page_cap",
            "not seen: no kind has more than 100 objects to show it",
        );
    }
    let honoured =
        p.small_pages.iter().all(|r| matches!(r, Ok(1))) && p.small_pages_differ == Some(true);
    let ignored = p.small_pages.iter().any(|r| matches!(r, Ok(n) if *n > 1));
    if !oversized.is_empty() {
        check.verdict(
            Verdict::Contradicted,
            format!(
                "page_size=100 answered more than 100 objects on /api/{}",
                oversized.join(", /api/")
            ),
        )
    } else if honoured {
        let cap = match &p.large_page {
            Some(Ok(n)) if *n < 1000 => format!("; page_size=1000 answered {n} objects"),
            _ => String::new(),
        };
        check.verdict(
            Verdict::Confirmed,
            format!(
                "page_size and page_no are honoured (pages of 1 on the {}){cap}",
                p.kind
            ),
        )
    } else if ignored {
        check.verdict(
            Verdict::Contradicted,
            format!(
                "page_size=1 answered more than one {}: this list ignores paging \
                 (the provider then stops at the repeated page)",
                p.kind
            ),
        )
    } else {
        check.verdict(
            Verdict::Unchecked,
            format!("the paging probe on the {} gave no clear answer", p.kind),
        )
    }
}

fn flag(v: &Value, field: &str) -> bool {
    match v.get(field) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes"),
        Some(Value::Number(n)) => n.as_i64().is_some_and(|i| i != 0),
        _ => false,
    }
}

pub fn api_agents_hidden(scan: &Scan) -> Check {
    let check = Check::new(
        "api_agents_hidden",
        "LIST_ALL_QUERY of Agent in crates/halo-client/src/models.rs",
    );
    let (Some(full), Some(counts)) = (scan.kind(Agent::PATH), &scan.agents) else {
        return check.verdict(Verdict::Unchecked, "the agents could not be listed");
    };
    let all = &full.listing.items;
    let api_total = all.iter().filter(|a| flag(a, "isapiagent")).count();
    let disabled_total = all.iter().filter(|a| flag(a, "isdisabled")).count();
    let mut ev = Map::new();
    let all_query: Vec<String> = Agent::LIST_ALL_QUERY
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    ev.insert(
        all_query.join("&"),
        json!({"agents": all.len(), "api_agents": api_total, "disabled": disabled_total}),
    );
    let mut api_listed = std::collections::BTreeMap::new();
    let mut disabled_listed = std::collections::BTreeMap::new();
    let mut incomplete = !full.listing.stop.complete();
    for (label, listing) in &counts.variants {
        incomplete |= !listing.stop.complete();
        let api = listing
            .items
            .iter()
            .filter(|a| flag(a, "isapiagent"))
            .count();
        let disabled = listing
            .items
            .iter()
            .filter(|a| flag(a, "isdisabled"))
            .count();
        api_listed.insert(*label, api);
        disabled_listed.insert(*label, disabled);
        ev.insert(
            (*label).to_owned(),
            json!({"agents": listing.items.len(), "api_agents": api, "disabled": disabled}),
        );
    }
    let mut check = check;
    for (k, v) in ev {
        check = check.with(&k, v);
    }
    if incomplete {
        return check.verdict(
            Verdict::Unchecked,
            "an agent list could not be read whole (see the counts)",
        );
    }
    let get = |m: &std::collections::BTreeMap<&str, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    if api_total > 0 {
        if get(&api_listed, "no flags") > 0 {
            wrong.push("API agents are listed without includeapiagents=true".to_owned());
        } else if get(&api_listed, "includeapiagents=true") == 0 {
            wrong.push("includeapiagents=true does not list the API agents".to_owned());
        } else {
            right.push("API agents are listed only with includeapiagents=true");
        }
    }
    if disabled_total > 0 {
        if get(&disabled_listed, "no flags") > 0 {
            wrong.push("disabled agents are listed without includedisabled=true".to_owned());
        } else if get(&disabled_listed, "includedisabled=true") == 0 {
            wrong.push("includedisabled=true does not list the disabled agents".to_owned());
        } else {
            right.push("disabled agents are listed only with includedisabled=true");
        }
    }
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if !right.is_empty() {
        let mut summary = right.join("; ");
        if api_total == 0 {
            summary.push_str(" (no API agent to check the other flag)");
        } else if disabled_total == 0 {
            summary.push_str(" (no disabled agent to check the other flag)");
        }
        check.verdict(Verdict::Confirmed, summary)
    } else {
        check.verdict(
            Verdict::Unchecked,
            "no API agent and no disabled agent, even with every include flag",
        )
    }
}

pub fn details(scan: &Scan) -> Check {
    let mut per_kind = Map::new();
    let mut wrong = Vec::new();
    let mut reads = 0usize;
    for k in &scan.kinds {
        let mut ev = Map::new();
        ev.insert("details_in_list".into(), json!(k.details_in_list));
        match k.detail_reads.first() {
            Some(r) => {
                reads += 1;
                ev.insert(
                    "read".into(),
                    format!("GET /api/{}/{}?includedetails=true", k.spec.path, r.id).into(),
                );
                ev.insert("answered".into(), r.answered.into());
                ev.insert("has_details".into(), json!(r.has_details));
                match r.has_details {
                    Some(true) => {}
                    Some(false) => wrong.push(format!(
                        "/api/{}/{{id}}?includedetails=true left out its detail lists",
                        k.spec.path
                    )),
                    None => wrong.push(format!(
                        "/api/{}/{{id}} does not read as a {}",
                        k.spec.path, k.spec.kind
                    )),
                }
                if let Some(obj) = &r.object {
                    let mut fields: Vec<&String> = obj
                        .as_object()
                        .map(|m| m.keys().collect())
                        .unwrap_or_default();
                    fields.sort();
                    ev.insert("fields".into(), json!(fields));
                }
            }
            None => {
                ev.insert(
                    "read".into(),
                    k.detail_miss.clone().unwrap_or_default().into(),
                );
            }
        }
        if k.detail_reads.len() > 1 {
            ev.insert("further_reads".into(), json!(k.detail_reads.len() - 1));
        }
        per_kind.insert(k.spec.path.to_owned(), Value::Object(ev));
    }
    let check = Check::new(
        "details",
        "has_details and the detail fields of the kind in crates/halo-client/src/models.rs",
    )
    .with("kinds", Value::Object(per_kind));
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if reads == 0 {
        check.verdict(Verdict::Unchecked, "no object could be read on its own")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!("{reads} objects read with ?includedetails=true carried their detail lists"),
        )
    }
}
