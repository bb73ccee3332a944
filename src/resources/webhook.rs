//! `halopsa_webhook`: an outgoing webhook (Configuration > Integrations > Webhooks):
//! Halo calls `url` when one of the subscribed events happens.
//!
//! Three of Halo's encodings are uncertain (docs/halo-api.md, "Webhook"), and each
//! sits in one table here: the HTTP method ([`METHOD_CODES`]) and the
//! authentication type ([`AUTHENTICATION_CODES`]) follow the one public source
//! \[disputed\]; the shape of an event ([`EVENT_NUMBER_FIELD`]) has none. A value
//! Halo holds that a table lacks reads as `halo:N`, a user may write `halo:N`
//! (Halo's raw int) too, and an update that does not change `method` or
//! `authentication_type` never sends it, so Halo's stored value stays as it is.
//!
//! `basic_password` and `authentication_header` are secrets: Halo is assumed not to
//! show them again once saved, so `authentication_header` declares that it keeps
//! what the provider knew (the plan or the prior state; `basic_password` is
//! write-only), and both are null after an import. They are sent on create,
//! and on update only when they or `basic_password_version` change.

use std::collections::BTreeSet;

use async_trait::async_trait;
use url::Url;

use super::halo_values::{one_of_or_halo, HALO_PREFIX};
use super::object::{ObjectResource, Write};
use super::support::{halo_error, non_empty, or_cleared, NameFilter, Named, WriteField};
use crate::framework::{AttrPath, Diagnostic, Diagnostics, Semantic, Validator, Value};
use crate::halo::{check_url, HaloClient, Secret, Webhook, WebhookEvent};

pub struct WebhookResource;

/// `method`: the provider's word and Halo's int \[disputed\]: as a public Halo
/// node for n8n lists them (POST 0, GET 1, PUT 2, DELETE 3, PATCH 4), the only
/// public source; an earlier build assumed GET 0, POST 1 (CHANGELOG.md).
pub(crate) const METHOD_CODES: &[(&str, i64)] = &[
    ("POST", 0),
    ("GET", 1),
    ("PUT", 2),
    ("DELETE", 3),
    ("PATCH", 4),
];
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
const DEFAULT_METHOD: &str = "POST";

/// No authentication.
const AUTH_NONE: &str = "none";
/// HTTP basic authentication with `basic_username` and `basic_password`.
const AUTH_BASIC: &str = "basic";
/// A header Halo sends with every call (`authentication_header`).
const AUTH_HEADER: &str = "header";
/// `authentication_type`: the provider's word and Halo's int \[disputed\]: the same
/// source lists None 0, Basic 1, Bearer Token 2, API Key 3, Certificate 4. `header`
/// (a header Halo sends, e.g. `X-Api-Key: ...`) is its API Key, 3; Bearer Token and
/// Certificate have no word here and read as `halo:2` / `halo:4`.
pub(crate) const AUTHENTICATION_CODES: &[(&str, i64)] =
    &[(AUTH_NONE, 0), (AUTH_BASIC, 1), (AUTH_HEADER, 3)];
const AUTHENTICATIONS: &[&str] = &[AUTH_NONE, AUTH_BASIC, AUTH_HEADER];

/// The field of an `events` element (schema `UnameNotification`) that holds the
/// event's number \[assumed\]: `events = [{"eventno": 1}, ...]`.
pub(crate) const EVENT_NUMBER_FIELD: &str = "eventno";

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[WriteField] = &[
];

impl Named for Webhook {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

crate::model! {
    /// The state. `Debug` prints the secrets as `***` (they are [`Secret`]s).
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct WebhookModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .semantic_equality(Semantic::IgnoreCase)
            .description("The webhook's Halo id (a GUID)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The webhook's name (1 to 255 characters)."),
        url: String = required().description(
            "The URL Halo calls: `https://`, or `http://` only to a loopback host \
             (`127.0.0.1`, `::1`, `localhost`). Any other URL is refused at plan time.",
        ),
        active: bool = optional_computed()
            .default(Value::Bool(true))
            .description("Whether Halo calls the webhook (default true)."),
        method: String = optional_computed()
            .default(Value::string(DEFAULT_METHOD))
            .validate(one_of_or_halo(METHODS))
            .description(
                "The HTTP method of Halo's call: `GET`, `POST` (the default), `PUT`, \
                 `PATCH` or `DELETE`; or `halo:N`, Halo's own int for it (the ints are \
                 disputed, see the provider's docs/halo-api.md). Sent only when it \
                 changes.",
            ),
        content_type: Option<String> = optional().description(
            "The `Content-Type` of Halo's call, e.g. `application/json`. Unset: none \
             is configured in Halo.",
        ),
        authentication_type: String = optional_computed()
            .default(Value::string(AUTH_NONE))
            .validate(one_of_or_halo(AUTHENTICATIONS))
            .description(
                "How Halo authenticates to `url`: `none` (the default), `basic` (HTTP \
                 basic authentication with `basic_username` and `basic_password`) or \
                 `header` (the header in `authentication_header`, Halo's \"API Key\"); \
                 or `halo:N`, Halo's own int (e.g. a bearer token or certificate set up \
                 on Halo's screen). Sent only when it changes.",
            ),
        basic_username: Option<String> = optional()
            .description("The user name of `basic` authentication."),
        basic_password: Option<Secret> = optional()
            .sensitive()
            .write_only()
            .description(
                "The password of `basic` authentication: write-only (Terraform 1.11+), \
                 sent to Halo and never stored in plan or state. It is sent on create \
                 and whenever `basic_password_version` changes.",
            ),
        basic_password_version: Option<i64> = optional().keep_prior_when_absent().description(
            "Any number: changing it sends `basic_password` (and \
             `authentication_header`) to Halo again.",
        ),
        authentication_header: Option<Secret> = optional()
            .sensitive()
            // Assumed never shown again once saved.
            .keep_prior_when_absent()
            .description(
                "The header Halo sends with every call for `header` authentication, \
                 e.g. `X-Api-Key: 0123abcd`. Sensitive; kept like `basic_password`.",
            ),
        events: Option<BTreeSet<i64>> = optional()
            // Some answers leave the events out; Halo's empty list is "none".
            .keep_prior_when_absent()
            .semantic_equality(Semantic::EmptyIsNull)
            .description(
            "The numbers of the Halo events that trigger the webhook (Halo's \
             `eventno`). Unset and empty both mean none.",
        ),
    }
}

/// The provider's word for a Halo int of `table`, or `halo:N` when the table lacks it.
fn word_of(table: &[(&str, i64)], code: i64) -> String {
    table
        .iter()
        .find(|(_, c)| *c == code)
        .map_or_else(|| format!("{HALO_PREFIX}{code}"), |(w, _)| (*w).to_string())
}

/// Halo's int for a word of `table` (or a `halo:N`); an error on `attr` otherwise.
fn code_of(table: &[(&str, i64)], word: &str, attr: &str) -> Result<i64, Diagnostic> {
    if let Some((_, code)) = table.iter().find(|(w, _)| *w == word) {
        return Ok(*code);
    }
    word.strip_prefix(HALO_PREFIX)
        .and_then(|raw| raw.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            crate::framework::attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} {word:?} has no Halo encoding (use \"{HALO_PREFIX}N\" for Halo's int N)."),
            )
        })
}

/// The error text when `url` is not one Halo may call, `None` when it is.
fn url_problem(raw: &str) -> Option<String> {
    match Url::parse(raw.trim()) {
        Err(e) => Some(format!("{raw:?} is not a URL: {e}.")),
        Ok(url) => check_url(&url).err().map(|e| format!("{e}.")),
    }
}

impl WebhookModel {
    /// The state for Halo's answer, read as it is: the secrets Halo does not show,
    /// the password version and an events list Halo left out are null (the
    /// attributes keep the known values; an empty events list reads as unset
    /// unless an empty set was configured).
    fn from_halo(w: Webhook) -> Self {
        let events = w
            .events
            .map(|rows| rows.into_iter().map(|r| r.eventno).collect());
        let secret = |shown: Option<Secret>| shown.filter(|s| !s.is_empty());
        WebhookModel {
            id: w.id,
            name: w.name.unwrap_or_default(),
            url: w.url.unwrap_or_default(),
            active: w.active.unwrap_or(true),
            method: w
                .method
                .map_or_else(|| DEFAULT_METHOD.to_string(), |m| word_of(METHOD_CODES, m)),
            content_type: non_empty(w.content_type),
            authentication_type: w.authentication_type.map_or_else(
                || AUTH_NONE.to_string(),
                |a| word_of(AUTHENTICATION_CODES, a),
            ),
            basic_username: non_empty(w.basic_username),
            basic_password: secret(w.basic_password),
            basic_password_version: None,
            authentication_header: secret(w.authentication_header),
            events,
        }
    }

    /// Drops the secrets (for answers that must never carry them: lists, look-ups).
    fn forget_secrets(&mut self) {
        self.basic_password = None;
        self.authentication_header = None;
    }

    /// The Halo object for a create (`prior: None`) or an update. The secrets go
    /// only when new or changed (or their version changed); `events` only when
    /// they changed, built on `current` (Halo's rows, kept as read).
    fn to_halo(
        &self,
        id: Option<String>,
        prior: Option<&WebhookModel>,
        current: &[WebhookEvent],
    ) -> Result<Webhook, Diagnostic> {
        let resend = |now: &Option<Secret>, before: Option<&Option<Secret>>| match (now, prior) {
            (None, _) => None,
            (Some(s), None) => Some(s.clone()),
            (Some(s), Some(p)) => {
                let changed =
                    before != Some(now) || p.basic_password_version != self.basic_password_version;
                changed.then(|| s.clone())
            }
        };
        let events = match prior {
            Some(p) if p.events == self.events => None,
            _ => {
                let wanted = self.events.clone().unwrap_or_default();
                let mut rows: Vec<WebhookEvent> = current
                    .iter()
                    .filter(|r| wanted.contains(&r.eventno))
                    .cloned()
                    .collect();
                for n in &wanted {
                    if !rows.iter().any(|r| r.eventno == *n) {
                        rows.push(WebhookEvent {
                            eventno: *n,
                            ..WebhookEvent::default()
                        });
                    }
                }
                (prior.is_some() || !rows.is_empty()).then_some(rows)
            }
        };
        // Sent by a create, and by an update only when the value changes: Halo's
        // int stays as stored otherwise (the encodings are disputed).
        let method_changed = prior.is_none_or(|p| p.method != self.method);
        let auth_changed = prior.is_none_or(|p| p.authentication_type != self.authentication_type);
        let method = code_of(METHOD_CODES, &self.method, WebhookModel::method)?;
        let authentication_type = code_of(
            AUTHENTICATION_CODES,
            &self.authentication_type,
            WebhookModel::authentication_type,
        )?;
        Ok(Webhook {
            id,
            name: Some(self.name.clone()),
            url: Some(self.url.clone()),
            method: method_changed.then_some(method),
            content_type: or_cleared(&self.content_type),
            authentication_type: auth_changed.then_some(authentication_type),
            basic_username: or_cleared(&self.basic_username),
            // Write-only: never in prior state, so sent on create and on a new version.
            basic_password: match prior {
                None => self.basic_password.clone(),
                Some(p) => self
                    .basic_password
                    .clone()
                    .filter(|_| p.basic_password_version != self.basic_password_version),
            },
            authentication_header: resend(
                &self.authentication_header,
                prior.map(|p| &p.authentication_header),
            ),
            active: Some(self.active),
            events,
        })
    }
}

#[async_trait]
impl ObjectResource for WebhookResource {
    const TYPE_NAME: &'static str = "halopsa_webhook";
    const DESCRIPTION: &'static str =
        "An outgoing webhook (Configuration > Integrations > Webhooks): Halo calls `url` \
         when one of the webhook's events happens, authenticating with basic \
         authentication or a header if configured.";
    /// Every webhook, with its events.
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = WebhookModel;
    type Filter = NameFilter;
    type Object = Webhook;

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if let Some(raw) = config.attr(WebhookModel::url).as_str() {
            if let Some(problem) = url_problem(raw) {
                diags.attribute_error(
                    AttrPath::root(WebhookModel::url),
                    "Invalid url",
                    format!(
                        "url must be an https:// URL (or http:// to a loopback host): {problem}"
                    ),
                );
            }
        }
        let auth = config.attr(WebhookModel::authentication_type);
        if auth.is_unknown() {
            return;
        }
        let auth = auth.as_str().unwrap_or(AUTH_NONE);
        let needs = |attr: &str, summary: &str, diags: &mut Diagnostics| {
            if config.attr(attr).is_null() {
                diags.attribute_error(
                    AttrPath::root(attr),
                    summary.to_string(),
                    format!("{attr} is required when authentication_type is {auth:?}."),
                );
            }
        };
        if auth == AUTH_BASIC {
            needs(WebhookModel::basic_username, "Missing basic_username", diags);
        }
        if auth == AUTH_HEADER {
            needs(
                WebhookModel::authentication_header,
                "Missing authentication_header",
                diags,
            );
        }
    }

    fn from_halo(w: Webhook) -> WebhookModel {
        WebhookModel::from_halo(w)
    }

    /// A change of events rewrites Halo's list whole: the rows kept are sent back
    /// as Halo holds them, read here.
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &WebhookModel,
        write: &Write<'_, WebhookModel, String>,
    ) -> Result<Webhook, Diagnostics> {
        let Write::Update { id, prior } = write else {
            return Ok(plan.to_halo(None, None, &[])?);
        };
        let current = if prior.events == plan.events {
            Vec::new()
        } else {
            halo.get::<Webhook>(id.clone(), true)
                .await
                .map_err(halo_error)?
                .and_then(|w| w.events)
                .unwrap_or_default()
        };
        Ok(plan.to_halo(Some(id.clone()), Some(prior), &current)?)
    }

    fn same(sent: &Webhook, found: &Webhook) -> bool {
        sent.name == found.name && sent.url == found.url
    }

    /// The secrets are never listed (null, as after an import).
    fn listed(mut model: WebhookModel) -> WebhookModel {
        model.forget_secrets();
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        for (word, _) in METHOD_CODES {
            assert!(METHODS.contains(word), "{word}");
        }
        assert_eq!(METHODS.len(), METHOD_CODES.len());
        for (word, _) in AUTHENTICATION_CODES {
            assert!(AUTHENTICATIONS.contains(word), "{word}");
        }
        assert_eq!(AUTHENTICATIONS.len(), AUTHENTICATION_CODES.len());
        assert_eq!(word_of(METHOD_CODES, 0), "POST");
        assert_eq!(word_of(METHOD_CODES, 1), "GET");
        assert_eq!(word_of(AUTHENTICATION_CODES, 3), "header");
        assert_eq!(word_of(AUTHENTICATION_CODES, 2), "halo:2");
        assert_eq!(word_of(METHOD_CODES, 42), "halo:42");
        assert_eq!(code_of(METHOD_CODES, "halo:42", WebhookModel::method).ok(), Some(42));
        assert!(code_of(METHOD_CODES, "halo:x", WebhookModel::method).is_err());
    }

    #[test]
    fn urls_https_or_loopback_http() {
        for ok in [
            "https://hooks.example.com/halo",
            "http://127.0.0.1:8080/x",
            "http://localhost/x",
            "http://[::1]:9/x",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        for bad in [
            "http://hooks.example.com/x",
            "ftp://x.example",
            "not a url",
            "",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_sent_only_when_new_or_changed() {
        let prior = WebhookModel {
            name: "n".into(),
            url: "https://x.example".into(),
            method: "POST".into(),
            authentication_type: "basic".into(),
            basic_password: Some(Secret::new("pw")),
            ..WebhookModel::default()
        };
        let same = prior.to_halo(Some("g".into()), Some(&prior), &[]).ok();
        assert!(
            same.as_ref()
                .is_some_and(|w| w.method.is_none() && w.authentication_type.is_none()),
            "unchanged method and authentication type are not sent"
        );
        assert_eq!(same.and_then(|w| w.basic_password), None);
        let bumped = WebhookModel {
            basic_password_version: Some(2),
            ..prior.clone()
        };
        let sent = bumped.to_halo(Some("g".into()), Some(&prior), &[]).ok();
        assert_eq!(
            sent.and_then(|w| w.basic_password)
                .as_ref()
                .map(Secret::expose),
            Some("pw")
        );
        let created = prior.to_halo(None, None, &[]).ok();
        assert!(created
            .as_ref()
            .is_some_and(|w| w.method == Some(0) && w.authentication_type == Some(1)));
        assert!(created.is_some_and(|w| w.basic_password.is_some()));
        assert!(!format!("{prior:?}").contains("pw\""));
    }

    #[test]
    fn kept_event_rows_are_written_back_as_read() {
        let mut extra = serde_json::Map::new();
        extra.insert("id".into(), serde_json::json!(77));
        let current = vec![
            WebhookEvent {
                eventno: 1,
                extra: extra.clone(),
            },
            WebhookEvent {
                eventno: 2,
                extra: serde_json::Map::new(),
            },
        ];
        let prior = WebhookModel {
            method: "POST".into(),
            authentication_type: "none".into(),
            events: Some([1, 2].into()),
            ..WebhookModel::default()
        };
        let plan = WebhookModel {
            events: Some([1, 3].into()),
            ..prior.clone()
        };
        let rows = plan
            .to_halo(Some("g".into()), Some(&prior), &current)
            .ok()
            .and_then(|w| w.events)
            .unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].extra, extra);
        assert_eq!(rows[1].eventno, 3);
    }
}
