//! The checks of the provider's assumed encodings against the values Halo holds:
//! role claims, membership levels, application methods and scope names. Each
//! compares with the provider's own table, never a copy of it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::report::{Check, Verdict};
use super::scan::{KindScan, Scan};
use crate::halo::{Agent, Application, Category, HaloObject, Outcome, Role, Status, Webhook};
use crate::resources::{
    level_to_halo, AUTHENTICATION_CODES, CATEGORY_FIELDS, EVENT_NUMBER_FIELD, LEVEL_NAMES,
    LOGIN_AS_AGENT, METHODS, METHOD_CODES, PATH_SEPARATOR, PERMISSIONS, SCOPES, SLA_ACTIONS,
    STATUS_TYPES,
};

/// A JSON value as text, the way the provider reads lenient strings.
pub(super) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn objects<'a>(scan: &'a Scan, path: &str) -> Vec<&'a Value> {
    scan.kind(path).map(KindScan::objects).unwrap_or_default()
}

fn incomplete(scan: &Scan, path: &str) -> bool {
    scan.kind(path).is_none_or(|k| !k.listing.stop.complete())
}

pub fn role_claims(scan: &Scan) -> Check {
    let check = Check::new(
        "role_claims",
        "the PERMISSIONS table (claim codes, legacy names and values) in \
         src/resources/role.rs",
    );
    let roles = objects(scan, Role::PATH);
    // Claim type (as Halo spells it) to the values seen.
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut with_claims = 0usize;
    let mut without_claim_list = 0usize;
    for role in &roles {
        match role.get("claims").and_then(Value::as_array) {
            Some(claims) => {
                if !claims.is_empty() {
                    with_claims += 1;
                }
                for c in claims {
                    let kind = c.get("type").map(text_of).unwrap_or_default();
                    let value = c.get("value").map(text_of).unwrap_or_default();
                    seen.entry(kind).or_default().insert(value);
                }
            }
            None => without_claim_list += 1,
        }
    }
    let mut table_types_seen = Vec::new();
    let mut table_types_not_seen = Vec::new();
    let mut legacy_seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut other_values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in PERMISSIONS {
        let allowed = p.kind.values();
        let holding: Vec<(&String, &BTreeSet<String>)> =
            seen.iter().filter(|(t, _)| p.holds(t)).collect();
        if holding.is_empty() {
            table_types_not_seen.push(p.claim);
            continue;
        }
        table_types_seen.push(p.claim);
        for (t, values) in holding {
            if t.as_str() != p.claim {
                legacy_seen.insert(t.clone(), p.claim);
            }
            let others: Vec<String> = values
                .iter()
                .filter(|v| !allowed.iter().any(|a| a.eq_ignore_ascii_case(v)))
                .cloned()
                .collect();
            if !others.is_empty() {
                other_values.insert(t.clone(), others);
            }
        }
    }
    let other_types: Vec<&String> = seen
        .keys()
        .filter(|t| !PERMISSIONS.iter().any(|p| p.holds(t)))
        .collect();
    let mut check = check
        .with("roles", roles.len())
        .with("roles_with_claims", with_claims)
        .with("claim_types_seen", json!(seen))
        .with("table_types_seen", json!(table_types_seen))
        .with("table_types_not_seen", json!(table_types_not_seen))
        .with("legacy_names_seen", json!(legacy_seen))
        .with("other_types", json!(other_types))
        .with("kept_as_extra_claims", json!(other_types));
    if without_claim_list > 0 {
        check = check.with("roles_without_a_claims_list", without_claim_list);
    }
    if incomplete(scan, Role::PATH) {
        check = check.with("note", "the role list could not be read whole");
    }
    let names = |types: &[&String]| {
        types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if with_claims == 0 {
        let why = if roles.is_empty() {
            "no role could be read".to_owned()
        } else if without_claim_list == roles.len() {
            "no role was answered with its claims list".to_owned()
        } else {
            format!("none of the {} roles carries a claim", roles.len())
        };
        check.verdict(Verdict::Unchecked, why)
    } else if table_types_seen.is_empty() {
        let types: Vec<&String> = seen.keys().collect();
        check.verdict(
            Verdict::Contradicted,
            format!(
                "roles carry claims, but none of the provider's claim types; the types seen: {}",
                names(&types)
            ),
        )
    } else if !other_values.is_empty() {
        let detail: Vec<String> = other_values
            .iter()
            .map(|(t, vs)| format!("{t} = {}", vs.join(", ")))
            .collect();
        check.verdict(
            Verdict::Contradicted,
            format!(
                "claim types of the table hold values it does not know: {}",
                detail.join("; ")
            ),
        )
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} of the table's {} claim types seen ({} under a legacy name), each with \
                 only the table's values; every other type ({}) is kept as extra_claims",
                table_types_seen.len(),
                PERMISSIONS.len(),
                legacy_seen.len(),
                other_types.len()
            ),
        )
    }
}

fn levels_of(objs: &[&Value]) -> (BTreeMap<String, usize>, usize) {
    let mut levels = BTreeMap::new();
    let mut with_list = 0;
    for o in objs {
        if let Some(rows) = o.get("departments").and_then(Value::as_array) {
            with_list += 1;
            for row in rows {
                let level = row.get("membershiplevel").map(text_of).unwrap_or_default();
                *levels.entry(level).or_insert(0) += 1;
            }
        }
    }
    (levels, with_list)
}

/// How a role's rows mark themselves: `role_id` the role's own id (its GUID in any
/// case, or `id_int`), another role's id, or absent (docs/halo-api.md, "Department
/// memberships").
fn role_row_marks(roles: &[&Value]) -> BTreeMap<&'static str, usize> {
    let mut marks = BTreeMap::from([("own_id", 0), ("other_id", 0), ("absent", 0)]);
    for role in roles {
        let id = role.get("id").map(text_of).unwrap_or_default();
        let id_int = role.get("id_int").map(text_of).unwrap_or_default();
        let rows = role.get("departments").and_then(Value::as_array);
        for row in rows.into_iter().flatten() {
            let mark = row.get("role_id").map(text_of).unwrap_or_default();
            let kind = if mark.is_empty() {
                "absent"
            } else if mark.eq_ignore_ascii_case(&id) || (!id_int.is_empty() && mark == id_int) {
                "own_id"
            } else {
                "other_id"
            };
            *marks.entry(kind).or_insert(0) += 1;
        }
    }
    marks
}

pub fn membership_levels(scan: &Scan) -> Check {
    let check = Check::new(
        "membership_levels",
        "LEVELS and own_rows in src/resources/membership.rs",
    );
    let known: BTreeMap<&str, i64> = LEVEL_NAMES
        .iter()
        .filter_map(|n| level_to_halo(n).map(|i| (*n, i)))
        .collect();
    let role_objects = objects(scan, Role::PATH);
    let (roles, roles_with) = levels_of(&role_objects);
    let marks = role_row_marks(&role_objects);
    let (agents, agents_with) = levels_of(&objects(scan, Agent::PATH));
    let is_known = |l: &String| known.values().any(|i| i.to_string() == *l);
    let unknown: BTreeSet<&String> = roles
        .keys()
        .chain(agents.keys())
        .filter(|l| !is_known(l))
        .collect();
    let seen = roles.values().sum::<usize>() + agents.values().sum::<usize>();
    let check = check
        .with("provider_levels", json!(known))
        .with("roles_levels_seen", json!(roles))
        .with("agents_levels_seen", json!(agents))
        .with("roles_with_a_departments_list", roles_with)
        .with("agents_with_a_departments_list", agents_with)
        .with("role_rows_by_role_id", json!(marks));
    let other_roles = marks.get("other_id").copied().unwrap_or(0);
    if other_roles > 0 {
        check.verdict(
            Verdict::Contradicted,
            format!(
                "{other_roles} rows of roles' own lists carry another role's role_id (the \
                 provider takes a role's rows with its own id or none as its own)"
            ),
        )
    } else if !unknown.is_empty() {
        check.verdict(
            Verdict::Contradicted,
            format!(
                "membership levels the provider does not know: {}",
                unknown.into_iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        )
    } else if seen == 0 {
        check.verdict(
            Verdict::Unchecked,
            "no role or agent department membership was seen",
        )
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{seen} memberships, every level one of the provider's (which level means \
                 \"modify all\" is only seen on Halo's screen); roles' rows by role_id: {} \
                 with the role's own id, {} without",
                marks.get("own_id").copied().unwrap_or(0),
                marks.get("absent").copied().unwrap_or(0)
            ),
        )
    }
}

pub fn application_methods(scan: &Scan) -> Check {
    let check = Check::new(
        "application_methods",
        "METHODS and LOGIN_AS_AGENT in src/resources/api_application.rs",
    );
    let apps = objects(scan, Application::PATH);
    // grant_type to the loginentity values seen with it.
    let mut seen: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for a in &apps {
        let grant = a.get("grant_type").map(text_of).unwrap_or_default();
        let entity = a.get("loginentity").map(text_of).unwrap_or_default();
        *seen.entry(grant).or_default().entry(entity).or_insert(0) += 1;
    }
    let client_credentials = METHODS.first().copied().unwrap_or_default();
    let mut wrong = Vec::new();
    for (grant, entities) in &seen {
        if !METHODS.contains(&grant.as_str()) {
            wrong.push(format!("grant_type {grant:?} is not one of the provider's"));
        } else if grant == client_credentials {
            let others: Vec<&String> = entities
                .keys()
                .filter(|e| **e != LOGIN_AS_AGENT.to_string())
                .collect();
            if !others.is_empty() {
                wrong.push(format!(
                    "{client_credentials} applications log in with loginentity {}, not {LOGIN_AS_AGENT}",
                    others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    let check = check
        .with("applications", apps.len())
        .with("grant_types_and_login_entities_seen", json!(seen))
        .with("provider_methods", json!(METHODS))
        .with(
            "provider_login_entity_for_client_credentials",
            LOGIN_AS_AGENT,
        );
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if apps.is_empty() {
        check.verdict(Verdict::Unchecked, "no API application could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} applications, every grant type and login entity as the provider writes them",
                apps.len()
            ),
        )
    }
}

pub fn scopes(scan: &Scan) -> Check {
    let check = Check::new("scopes", "SCOPES in src/resources/api_application.rs");
    let apps = objects(scan, Application::PATH);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut with_list = 0usize;
    for a in &apps {
        if let Some(scopes) = a.get("scopes").and_then(Value::as_array) {
            with_list += 1;
            for s in scopes {
                let name = match s {
                    Value::Object(_) => s.get("name").map(text_of).unwrap_or_default(),
                    other => text_of(other),
                };
                *seen.entry(name).or_insert(0) += 1;
            }
        }
    }
    let unknown: Vec<&String> = seen
        .keys()
        .filter(|n| !SCOPES.contains(&n.as_str()))
        .collect();
    let check = check
        .with("applications", apps.len())
        .with("applications_with_a_scopes_list", with_list)
        .with("scopes_seen", json!(seen));
    if !unknown.is_empty() {
        check.verdict(
            Verdict::Contradicted,
            format!(
                "scope names the provider does not know: {}",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    } else if seen.is_empty() {
        check.verdict(
            Verdict::Unchecked,
            if apps.is_empty() {
                "no API application could be read"
            } else {
                "no application was answered with scopes"
            },
        )
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} scope names seen, all in the provider's list",
                seen.len()
            ),
        )
    }
}

/// The webhook encodings: every `method` and `authentication_type` int seen is in
/// the provider's table, and every event row carries its number in
/// `EVENT_NUMBER_FIELD`. What each int means is only on Halo's screen: a value
/// outside the tables contradicts, one inside only fails to contradict.
pub fn webhook_encodings(scan: &Scan) -> Check {
    let check = Check::new(
        "webhook_encodings",
        "METHOD_CODES, AUTHENTICATION_CODES and EVENT_NUMBER_FIELD in src/resources/webhook.rs",
    );
    let hooks = objects(scan, Webhook::PATH);
    let mut methods: BTreeMap<String, usize> = BTreeMap::new();
    let mut auths: BTreeMap<String, usize> = BTreeMap::new();
    let (mut events, mut events_without_number) = (0usize, 0usize);
    for w in &hooks {
        if let Some(m) = w.get("method").filter(|v| !v.is_null()) {
            *methods.entry(text_of(m)).or_insert(0) += 1;
        }
        if let Some(a) = w.get("authentication_type").filter(|v| !v.is_null()) {
            *auths.entry(text_of(a)).or_insert(0) += 1;
        }
        for e in w
            .get("events")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            events += 1;
            if e.get(EVENT_NUMBER_FIELD).is_none_or(Value::is_null) {
                events_without_number += 1;
            }
        }
    }
    let outside = |seen: &BTreeMap<String, usize>, table: &[(&str, i64)]| -> Vec<String> {
        seen.keys()
            .filter(|v| !table.iter().any(|(_, c)| c.to_string() == **v))
            .cloned()
            .collect()
    };
    let mut wrong = Vec::new();
    let bad_methods = outside(&methods, METHOD_CODES);
    if !bad_methods.is_empty() {
        wrong.push(format!(
            "method values the provider does not know: {}",
            bad_methods.join(", ")
        ));
    }
    let bad_auths = outside(&auths, AUTHENTICATION_CODES);
    if !bad_auths.is_empty() {
        wrong.push(format!(
            "authentication_type values the provider does not know: {}",
            bad_auths.join(", ")
        ));
    }
    if events_without_number > 0 {
        wrong.push(format!(
            "{events_without_number} of {events} webhook events have no {EVENT_NUMBER_FIELD:?}"
        ));
    }
    let check = check
        .with("webhooks", hooks.len())
        .with("methods_seen", json!(methods))
        .with("authentication_types_seen", json!(auths))
        .with("events_seen", events)
        .with("provider_methods", json!(METHOD_CODES))
        .with("provider_authentication_types", json!(AUTHENTICATION_CODES));
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if hooks.is_empty() {
        check.verdict(Verdict::Unchecked, "no webhook could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} webhooks, every method and authentication type in the provider's tables \
                 ({events} events, each with {EVENT_NUMBER_FIELD:?})",
                hooks.len()
            ),
        )
    }
}

/// The encodings of statuses, actions and categories (docs/halo-api.md,
/// "Statuses, actions and categories"): every status `slaaction` seen is in the
/// provider's table, every category `type_id` is a category field (1 to 4), and
/// every action's `newstatus` (when set) is a status listed. The status `type`
/// ints have no table: the values seen are reported for the next edit, and never
/// contradict.
pub fn service_desk_encodings(scan: &Scan) -> Check {
    let check = Check::new(
        "service_desk_encodings",
        "STATUS_TYPES and SLA_ACTIONS in src/resources/status.rs, CATEGORY_FIELDS and \
         PATH_SEPARATOR in src/resources/category.rs, NO_STATUS in src/resources/outcome.rs",
    );
    let count = |seen: &mut BTreeMap<String, usize>, v: Option<&Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            *seen.entry(text_of(v)).or_insert(0) += 1;
        }
    };
    let statuses = objects(scan, Status::PATH);
    let (mut types, mut actions) = (BTreeMap::new(), BTreeMap::new());
    let mut status_ids = BTreeSet::new();
    for s in &statuses {
        count(&mut types, s.get("type"));
        count(
            &mut actions,
            s.get("slaaction").filter(|a| !text_of(a).is_empty()),
        );
        if let Some(id) = s.get("id") {
            status_ids.insert(text_of(id));
        }
    }
    let outcomes = objects(scan, Outcome::PATH);
    let mut unknown_targets = BTreeSet::new();
    for o in &outcomes {
        let target = o.get("newstatus").map(text_of).unwrap_or_default();
        let none = target.is_empty() || target == "0";
        if !none && !status_ids.contains(&target) {
            unknown_targets.insert(target);
        }
    }
    let categories = objects(scan, Category::PATH);
    let mut fields = BTreeMap::new();
    let mut paths = 0usize;
    for c in &categories {
        count(&mut fields, c.get("type_id"));
        if c.get("value")
            .map(text_of)
            .is_some_and(|v| v.contains(PATH_SEPARATOR))
        {
            paths += 1;
        }
    }
    let mut wrong = Vec::new();
    let odd_actions: Vec<&String> = actions
        .keys()
        .filter(|a| {
            !SLA_ACTIONS
                .iter()
                .any(|(_, raw)| raw.eq_ignore_ascii_case(a))
        })
        .collect();
    if !odd_actions.is_empty() {
        wrong.push(format!(
            "status slaaction values the provider does not know: {}",
            odd_actions
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let odd_fields: Vec<&String> = fields
        .keys()
        .filter(|f| {
            f.parse::<i64>()
                .ok()
                .is_none_or(|f| !CATEGORY_FIELDS.contains(&f))
        })
        .collect();
    if !odd_fields.is_empty() {
        wrong.push(format!(
            "category type_id values outside 1 to 4: {}",
            odd_fields
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Only a complete status list can tell a missing status.
    if !unknown_targets.is_empty() && !incomplete(scan, Status::PATH) {
        wrong.push(format!(
            "actions move tickets to statuses that are not listed: {}",
            unknown_targets.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let check = check
        .with("statuses", statuses.len())
        .with("status_types_seen", json!(types))
        .with("provider_status_types", json!(STATUS_TYPES))
        .with("sla_actions_seen", json!(actions))
        .with("provider_sla_actions", json!(SLA_ACTIONS))
        .with("outcomes", outcomes.len())
        .with("categories", categories.len())
        .with("category_fields_seen", json!(fields))
        .with("category_paths_with_separator", paths);
    if !wrong.is_empty() {
        check.verdict(Verdict::Contradicted, wrong.join("; "))
    } else if statuses.is_empty() && categories.is_empty() {
        check.verdict(Verdict::Unchecked, "no status or category could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} statuses (SLA actions in the provider's table), {} actions, {} \
                 categories (each in a category field 1 to 4)",
                statuses.len(),
                outcomes.len(),
                categories.len()
            ),
        )
    }
}
