//! `halopsa_outcome`: an action (Configuration > Tickets > Actions), the button an
//! agent presses on a ticket. Integrations hard-code actions by id, which is why
//! MSPs keep them the same across tenants.
//!
//! Halo's schema calls an action an outcome (`TOutcome`) and its name `outcome`.
//! The flags are booleans \[spec\]; the one reference is `newstatus`, the id of the
//! status a ticket moves to, where 0 (or nothing) is taken to mean "no change"
//! \[assumed\] (docs/halo-api.md).

use async_trait::async_trait;

use super::halo_values::{halo_id, hex_colour};
use super::object::{write_fields, ObjectResource, Write};
use super::support::{int_id, non_empty, write_error_on, NameFilter, WriteField};
use crate::framework::{Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{HaloClient, HaloError, Outcome, Status};

pub struct OutcomeResource;

/// `newstatus` of an action that leaves the ticket's status alone \[assumed\].
const NO_STATUS: i64 = 0;

const WRITE_FIELDS: &[WriteField] = &[
    ("buttonname", OutcomeModel::button_name),
    ("newstatus", OutcomeModel::status_id),
    ("slaholdischecked", OutcomeModel::sla_hold),
    ("slareleaseischecked", OutcomeModel::sla_release),
    ("outcome", OutcomeModel::name),
];

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct OutcomeModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The action's Halo id (integrations refer to actions by it)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The action's name (Halo's `outcome`, 1 to 255 characters)."),
        button_name: Option<String> = optional_computed()
            .use_state_for_unknown()
            .description(
                "The text of the action's button on a ticket (Halo's `buttonname`). \
                 Left out, Halo's value is kept.",
            ),
        colour: Option<String> = optional_computed()
            .use_state_for_unknown()
            .validate(hex_colour())
            .description(
                "The button's colour, `#` and six hex digits (e.g. `\"#1565c0\"`). \
                 Left out, Halo's value is kept.",
            ),
        sequence: Option<i64> = optional_computed()
            .use_state_for_unknown()
            .description("The action's place among the buttons. Left out, Halo's value is kept."),
        hidden: bool = optional_computed()
            .default(Value::Bool(false))
            .description("Whether the action is hidden from agents (default false)."),
        status_id: Option<String> = optional()
            .references("halopsa_status")
            .validate(halo_id())
            .description(
                "The id of the status a ticket moves to when the action is done (e.g. \
                 `halopsa_status.waiting.id`; Halo's `newstatus`). Unset: the status \
                 stays as it is.",
            ),
        sla_hold: bool = optional_computed()
            .default(Value::Bool(false))
            .description(
                "Whether the action's \"put the SLA on hold\" box is ticked by default \
                 (Halo's `slaholdischecked`; default false).",
            ),
        sla_release: bool = optional_computed()
            .default(Value::Bool(false))
            .description(
                "Whether the action's \"release the SLA hold\" box is ticked by default \
                 (Halo's `slareleaseischecked`; default false).",
            ),
    }
}

impl OutcomeModel {
    fn from_halo(o: Outcome) -> Self {
        OutcomeModel {
            id: o.id.map(|i| i.to_string()),
            name: o.outcome.unwrap_or_default(),
            button_name: non_empty(o.buttonname),
            colour: non_empty(o.colour),
            sequence: o.sequence,
            hidden: o.hidden.unwrap_or(false),
            status_id: o
                .newstatus
                .filter(|s| *s > NO_STATUS)
                .map(|s| s.to_string()),
            sla_hold: o.slaholdischecked.unwrap_or(false),
            sla_release: o.slareleaseischecked.unwrap_or(false),
        }
    }

    /// The object a write sends. A status removed from the configuration is
    /// cleared (`newstatus` 0); one never set is not sent.
    fn to_halo(
        &self,
        id: Option<i64>,
        prior: Option<&OutcomeModel>,
    ) -> Result<Outcome, Diagnostic> {
        let newstatus = match &self.status_id {
            Some(s) => Some(int_id(Some(s), OutcomeModel::status_id)?),
            None => prior.and_then(|p| p.status_id.as_ref()).map(|_| NO_STATUS),
        };
        Ok(Outcome {
            id,
            outcome: Some(self.name.clone()),
            buttonname: self.button_name.clone(),
            colour: self.colour.clone(),
            sequence: self.sequence,
            hidden: Some(self.hidden),
            newstatus,
            slaholdischecked: Some(self.sla_hold),
            slareleaseischecked: Some(self.sla_release),
        })
    }
}

#[async_trait]
impl ObjectResource for OutcomeResource {
    const TYPE_NAME: &'static str = "halopsa_outcome";
    const DESCRIPTION: &'static str =
        "A ticket action (Configuration > Tickets > Actions; Halo's \"outcome\"): the \
         button agents press on a ticket, its colour and place, the status it moves the \
         ticket to and its SLA hold and release defaults. Integrations refer to actions \
         by id.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = OutcomeModel;
    type Filter = NameFilter;
    type Object = Outcome;

    fn from_halo(o: Outcome) -> OutcomeModel {
        OutcomeModel::from_halo(o)
    }

    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &OutcomeModel,
        write: &Write<'_, OutcomeModel, i64>,
    ) -> Result<Outcome, Diagnostics> {
        Ok(plan.to_halo(write.id(), write.prior())?)
    }

    /// On `status_id` when Halo's refusal names `newstatus` (or the status does not
    /// exist), else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Outcome) -> Diagnostic {
        let status = sent.newstatus.filter(|s| *s > NO_STATUS);
        write_error_on::<Status>(halo, err, &write_fields::<Self>(), OutcomeModel::status_id, status)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_cleared_only_when_it_was_set() {
        let read = OutcomeModel::from_halo(Outcome {
            id: Some(3),
            outcome: Some("Waiting on customer".into()),
            newstatus: Some(0),
            ..Outcome::default()
        });
        assert_eq!(read.status_id, None, "newstatus 0 is no status");
        let sent = read.to_halo(Some(3), Some(&read)).ok();
        assert_eq!(sent.and_then(|o| o.newstatus), None);

        let with = OutcomeModel {
            status_id: Some("4".into()),
            ..read.clone()
        };
        let sent = read.to_halo(Some(3), Some(&with)).ok();
        assert_eq!(sent.and_then(|o| o.newstatus), Some(NO_STATUS));
        let sent = with.to_halo(None, None).ok();
        assert_eq!(sent.and_then(|o| o.newstatus), Some(4));
    }
}
