//! `halopsa_status`: a ticket status (Configuration > Tickets > Statuses), the
//! values MSPs standardise across tenants and actions refer to by id.
//!
//! Two of Halo's encodings are open (docs/halo-api.md, "Statuses, actions and
//! categories"), each in one table here: the status type ([`STATUS_TYPES`], no
//! public source, so every value is Halo's own `halo:N`) and the SLA action
//! ([`SLA_ACTIONS`], one public source \[disputed\]). A value a table lacks reads
//! as `halo:VALUE`, a user may write one too, and an update that does not change
//! them never sends them, so Halo's stored value is never rewritten by an
//! unrelated change.

use async_trait::async_trait;

use super::halo_values::{hex_colour, one_of_or_halo, raw_for, word_for};
use super::object::{ObjectResource, Write};
use super::support::{non_empty, NameFilter, WriteField};
use crate::framework::{attr_error, Diagnostic, Diagnostics, Validator};
use crate::halo::{HaloClient, Status};

pub struct StatusResource;

/// `type` (TStatus.type, an int): the provider's words and Halo's ints. No public
/// source says what the ints mean \[assumed\]: HaloAPI's list filter `type`
/// ("'ticket' returns all ticket statuses") suggests the area a status belongs
/// to, not open or closed. So the table is empty and every value is written
/// `halo:N`; `doctor` reports the values a tenant holds.
pub(crate) const STATUS_TYPES: &[(&str, i64)] = &[];
const STATUS_TYPE_WORDS: &[&str] = &[];

/// `slaaction` (a string) \[disputed\]: one public Halo node for n8n offers None
/// `none`, Hold `hold` and Remove Hold `removehold`; there is no second source.
pub(crate) const SLA_ACTIONS: &[(&str, &str)] = &[
    ("none", "none"),
    ("hold", "hold"),
    ("remove_hold", "removehold"),
];
const SLA_ACTION_WORDS: &[&str] = &["none", "hold", "remove_hold"];

const WRITE_FIELDS: &[WriteField] = &[
    ("shortname", StatusModel::short_name),
    ("slaaction", StatusModel::sla_action),
    ("type", StatusModel::status_type),
];

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct StatusModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The status's Halo id (actions and ticket types refer to it)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The status's name, as status drop-downs show it (1 to 255 characters)."),
        short_name: Option<String> = optional_computed()
            .use_state_for_unknown()
            .description(
                "The icon text Halo shows on the ticket list once a ticket has the \
                 status (Halo's `shortname`). Left out, Halo's value is kept.",
            ),
        status_type: Option<String> = optional_computed()
            .use_state_for_unknown()
            .validate(one_of_or_halo(STATUS_TYPE_WORDS))
            .description(
                "Halo's status type (`type`), written `halo:N` with Halo's own int: \
                 what the ints mean is not publicly documented (see the provider's \
                 docs/halo-api.md). Left out, Halo's value is kept; sent only when it \
                 changes.",
            ),
        sequence: Option<i64> = optional_computed()
            .use_state_for_unknown()
            .description(
                "The status's place in drop-downs and the configuration list. Left \
                 out, Halo's value is kept.",
            ),
        colour: Option<String> = optional_computed()
            .use_state_for_unknown()
            .validate(hex_colour())
            .description(
                "The colour of the status's icon, `#` and six hex digits (e.g. \
                 `\"#2e7d32\"`). Left out, Halo's value is kept.",
            ),
        sla_action: Option<String> = optional_computed()
            .use_state_for_unknown()
            .validate(one_of_or_halo(SLA_ACTION_WORDS))
            .description(
                "What the status does to a ticket's SLA timer: `none`, `hold` (puts \
                 the SLA on hold) or `remove_hold`; or `halo:VALUE`, Halo's own text \
                 for it (the encoding is disputed, see the provider's docs/halo-api.md). \
                 Left out, Halo's value is kept; sent only when it changes.",
            ),
    }
}

impl StatusModel {
    fn from_halo(s: Status) -> Self {
        StatusModel {
            id: s.id.map(|i| i.to_string()),
            name: s.name.unwrap_or_default(),
            short_name: non_empty(s.shortname),
            status_type: s.kind.map(|k| word_for(STATUS_TYPES, &k)),
            sequence: s.sequence,
            colour: non_empty(s.colour),
            sla_action: non_empty(s.slaaction).map(|a| word_for(SLA_ACTIONS, &a.as_str())),
        }
    }

    /// The object a write sends: what the configuration sets, and the two open
    /// encodings only when they are new or changed.
    fn to_halo(&self, id: Option<i64>, prior: Option<&StatusModel>) -> Result<Status, Diagnostic> {
        let kind = changed(&self.status_type, prior.map(|p| &p.status_type))
            .map(|w| raw_for(STATUS_TYPES, w).ok_or_else(|| bad(StatusModel::status_type, w)))
            .transpose()?;
        let slaaction = changed(&self.sla_action, prior.map(|p| &p.sla_action))
            .map(|w| {
                SLA_ACTIONS
                    .iter()
                    .find(|(word, _)| *word == w)
                    .map(|(_, raw)| (*raw).to_owned())
                    .or_else(|| escaped(w))
                    .ok_or_else(|| bad(StatusModel::sla_action, w))
            })
            .transpose()?;
        Ok(Status {
            id,
            name: Some(self.name.clone()),
            shortname: self.short_name.clone(),
            kind,
            sequence: self.sequence,
            colour: self.colour.clone(),
            slaaction,
        })
    }
}

/// `now` when a write must send it: set, and new (`before` is `None` for a
/// create) or changed.
fn changed<'a>(now: &'a Option<String>, before: Option<&Option<String>>) -> Option<&'a String> {
    now.as_ref().filter(|_| before.is_none_or(|b| b != now))
}

/// The text of a `halo:TEXT` escape (a string encoding: any text).
fn escaped(word: &str) -> Option<String> {
    word.strip_prefix(super::halo_values::HALO_PREFIX)
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

fn bad(attr: &str, word: &str) -> Diagnostic {
    attr_error(
        attr,
        format!("Invalid {attr}"),
        format!(
            "{attr} {word:?} has no Halo encoding (write \"halo:VALUE\" for Halo's own value)."
        ),
    )
}

#[async_trait]
impl ObjectResource for StatusResource {
    const TYPE_NAME: &'static str = "halopsa_status";
    const DESCRIPTION: &'static str =
        "A ticket status (Configuration > Tickets > Statuses): its name, icon text, \
         place in lists, colour and what it does to the SLA timer. Actions \
         (`halopsa_outcome`) move tickets to a status by its id.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = StatusModel;
    type Filter = NameFilter;
    type Object = Status;

    fn from_halo(s: Status) -> StatusModel {
        StatusModel::from_halo(s)
    }

    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &StatusModel,
        write: &Write<'_, StatusModel, i64>,
    ) -> Result<Status, Diagnostics> {
        Ok(plan.to_halo(write.id(), write.prior())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_read_and_write_back() {
        let halo = Status {
            id: Some(4),
            name: Some("Waiting".into()),
            kind: Some(2),
            slaaction: Some("removehold".into()),
            colour: Some(String::new()),
            ..Status::default()
        };
        let model = StatusModel::from_halo(halo);
        assert_eq!(model.status_type.as_deref(), Some("halo:2"));
        assert_eq!(model.sla_action.as_deref(), Some("remove_hold"));
        assert_eq!(model.colour, None, "Halo's empty text is null");

        let odd = StatusModel::from_halo(Status {
            slaaction: Some("X".into()),
            ..Status::default()
        });
        assert_eq!(odd.sla_action.as_deref(), Some("halo:X"));
        let sent = odd.to_halo(None, None).ok();
        assert_eq!(sent.and_then(|s| s.slaaction).as_deref(), Some("X"));

        // Unchanged encodings are not sent by an update.
        let same = model.to_halo(Some(4), Some(&model)).ok();
        assert!(same.is_some_and(|s| s.kind.is_none() && s.slaaction.is_none()));
        let held = StatusModel {
            sla_action: Some("hold".into()),
            status_type: Some("halo:7".into()),
            ..model.clone()
        };
        let sent = held.to_halo(Some(4), Some(&model)).ok();
        assert!(sent.is_some_and(|s| s.kind == Some(7) && s.slaaction.as_deref() == Some("hold")));
    }
}
