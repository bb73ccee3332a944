//! `halopsa_ticket_type`: a ticket type (Configuration > Tickets > Ticket Types):
//! its group, default SLA and priority, the statuses and teams it allows, and
//! whether agents and end users can pick it.
//!
//! Halo holds the allowed statuses and teams as rows (`allowed_status`,
//! `allowed_teams`, answered with `includedetails=true`) beside a flag that
//! allows every one (`allowall_status`, `allowall_team`) \[spec\] fields,
//! \[assumed\] meaning (docs/halo-api.md, "Ticket type"). An unset `status_ids`
//! (`team_ids`) is the flag; a set is the rows. Rows kept go back as Halo sent
//! them.
//!
//! Its field group is a row of `fields` (`RequestTypeField`) that names the
//! group by `groupid` \[spec\] fields, \[assumed\] meaning: the provider replaces
//! only that row and writes the others back as Halo sent them.

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::{each_halo_id, halo_id};
use super::object::{with_details, write_fields, ObjectResource, Write};
use super::support::{halo_error, int_id, write_error_on, NameFilter, Named, WriteField};
use crate::framework::{Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{
    AllowedStatus, AllowedTeam, HaloClient, HaloError, Sla, TicketType, TicketTypeField,
};

pub struct TicketTypeResource;

impl Named for TicketType {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct TicketTypeModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The ticket type's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The ticket type's name (1 to 255 characters)."),
        group_id: Option<String> = optional_computed()
            .use_state_for_unknown()
            .validate(halo_id())
            .description(
                "The Halo id of the ticket type group it is listed under. Left out, \
                 Halo's choice is kept and read back.",
            ),
        sla_id: Option<String> = optional_computed()
            .use_state_for_unknown()
            .references("halopsa_sla")
            .validate(halo_id())
            .description(
                "The id of the SLA its tickets get by default (e.g. \
                 `halopsa_sla.gold.id`). Left out, Halo's choice is kept and read back.",
            ),
        priority_id: Option<i64> = optional_computed()
            .use_state_for_unknown()
            .validate(Validator::AtLeast(1))
            .description(
                "The priority its tickets get by default: a `priority_id` of the \
                 default SLA's `priorities`. Left out, Halo's choice is kept and read \
                 back.",
            ),
        status_ids: Option<BTreeSet<String>> = optional()
            .references("halopsa_status")
            .validate(each_halo_id())
            .description(
                "The ids of the statuses its tickets may have. Unset: every status \
                 (Halo's \"allow all\").",
            ),
        team_ids: Option<BTreeSet<String>> = optional()
            .references("halopsa_team")
            .validate(each_halo_id())
            .description(
                "The ids of the teams its tickets may be assigned to. Unset: every team \
                 (Halo's \"allow all\").",
            ),
        field_group_id: Option<String> = optional_computed()
            .use_state_for_unknown()
            .references("halopsa_field_group")
            .validate(halo_id())
            .description(
                "The id of the field group on its form (e.g. \
                 `halopsa_field_group.onboarding.id`). Setting it replaces the field \
                 group the ticket type had; the custom fields placed on it one by one \
                 stay. Left out, Halo's choice is kept and read back.",
            ),
        agents_can_select: bool = optional_computed()
            .default(Value::Bool(true))
            .description("Whether agents can pick it for a ticket."),
        end_users_can_select: bool = optional_computed()
            .default(Value::Bool(false))
            .description(
                "Whether end users can pick it on the portal.",
            ),
    }
}

/// Positive ids as strings (Halo answers 0 or -1 for "none").
fn some_id(id: Option<i64>) -> Option<String> {
    id.filter(|i| *i > 0).map(|i| i.to_string())
}

impl TicketTypeModel {
    fn from_halo(t: TicketType) -> Self {
        let allowed = |all: Option<bool>, ids: Option<Vec<i64>>| -> Option<BTreeSet<String>> {
            (!all.unwrap_or(true)).then(|| {
                ids.unwrap_or_default()
                    .into_iter()
                    .map(|i| i.to_string())
                    .collect()
            })
        };
        TicketTypeModel {
            id: some_id(t.id),
            name: t.name.unwrap_or_default(),
            group_id: some_id(t.group_id),
            sla_id: some_id(t.default_sla),
            priority_id: t.default_priority.filter(|p| *p > 0),
            status_ids: allowed(
                t.allowall_status,
                t.allowed_status
                    .map(|r| r.into_iter().map(|s| s.status_id).collect()),
            ),
            team_ids: allowed(
                t.allowall_team,
                t.allowed_teams
                    .map(|r| r.into_iter().map(|s| s.section_id).collect()),
            ),
            field_group_id: t
                .fields
                .unwrap_or_default()
                .iter()
                .find_map(|r| some_id(r.groupid)),
            agents_can_select: t.agentscanselect.unwrap_or(true),
            end_users_can_select: t.enduserscanselect.unwrap_or(false),
        }
    }
}

/// The ids of a set attribute as integers.
fn ids(set: &BTreeSet<String>, attr: &str) -> Result<Vec<i64>, Diagnostic> {
    set.iter().map(|s| int_id(Some(s), attr)).collect()
}

#[async_trait]
impl ObjectResource for TicketTypeResource {
    const TYPE_NAME: &'static str = "halopsa_ticket_type";
    const DESCRIPTION: &'static str =
        "A ticket type (Configuration > Tickets > Ticket Types): its default SLA and \
         priority, the statuses and teams it allows, and who can pick it.";
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("default_sla", TicketTypeModel::sla_id),
        ("default_priority", TicketTypeModel::priority_id),
        ("allowed_status", TicketTypeModel::status_ids),
        ("status_id", TicketTypeModel::status_ids),
        ("allowed_teams", TicketTypeModel::team_ids),
        ("section_id", TicketTypeModel::team_ids),
        ("fields", TicketTypeModel::field_group_id),
        ("groupid", TicketTypeModel::field_group_id),
        ("agentscanselect", TicketTypeModel::agents_can_select),
        ("enduserscanselect", TicketTypeModel::end_users_can_select),
    ];
    type Model = TicketTypeModel;
    type Filter = NameFilter;
    type Object = TicketType;

    fn from_halo(t: TicketType) -> TicketTypeModel {
        TicketTypeModel::from_halo(t)
    }

    /// The allowed statuses and teams are sent by a create, and by an update only
    /// when they change, built on the rows Halo holds now.
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &TicketTypeModel,
        write: &Write<'_, TicketTypeModel, i64>,
    ) -> Result<TicketType, Diagnostics> {
        let prior = write.prior();
        let status_changed = prior.is_none_or(|p| p.status_ids != plan.status_ids);
        let teams_changed = prior.is_none_or(|p| p.team_ids != plan.team_ids);
        let group_changed = plan.field_group_id.is_some()
            && prior.is_none_or(|p| p.field_group_id != plan.field_group_id);
        let current = match write.id() {
            Some(id) if status_changed || teams_changed || group_changed => {
                halo.get::<TicketType>(id, true).await.map_err(halo_error)?
            }
            _ => None,
        };
        let (current_status, current_teams, current_fields) = current
            .map(|c| {
                (
                    c.allowed_status.unwrap_or_default(),
                    c.allowed_teams.unwrap_or_default(),
                    c.fields.unwrap_or_default(),
                )
            })
            .unwrap_or_default();
        // The field rows placed one by one stay as Halo sent them; the group row
        // is the planned one.
        let field_rows = |group: &str| -> Result<Vec<TicketTypeField>, Diagnostic> {
            let group = int_id(Some(group), TicketTypeModel::field_group_id)?;
            Ok(current_fields
                .iter()
                .filter(|r| some_id(r.groupid).is_none())
                .cloned()
                .chain(std::iter::once(TicketTypeField {
                    groupid: Some(group),
                    ..TicketTypeField::default()
                }))
                .collect())
        };
        let status_rows = |set: &BTreeSet<String>| -> Result<Vec<AllowedStatus>, Diagnostic> {
            Ok(ids(set, TicketTypeModel::status_ids)?
                .into_iter()
                .map(|id| {
                    current_status
                        .iter()
                        .find(|r| r.status_id == id)
                        .cloned()
                        .unwrap_or(AllowedStatus {
                            status_id: id,
                            ..AllowedStatus::default()
                        })
                })
                .collect())
        };
        let team_rows = |set: &BTreeSet<String>| -> Result<Vec<AllowedTeam>, Diagnostic> {
            Ok(ids(set, TicketTypeModel::team_ids)?
                .into_iter()
                .map(|id| {
                    current_teams
                        .iter()
                        .find(|r| r.section_id == id)
                        .cloned()
                        .unwrap_or(AllowedTeam {
                            section_id: id,
                            ..AllowedTeam::default()
                        })
                })
                .collect())
        };
        let opt_id = |v: &Option<String>, attr: &str| -> Result<Option<i64>, Diagnostic> {
            v.as_deref().map(|s| int_id(Some(s), attr)).transpose()
        };
        Ok(TicketType {
            id: write.id(),
            name: Some(plan.name.clone()),
            group_id: opt_id(&plan.group_id, TicketTypeModel::group_id)?,
            default_sla: opt_id(&plan.sla_id, TicketTypeModel::sla_id)?,
            default_priority: plan.priority_id,
            agentscanselect: Some(plan.agents_can_select),
            enduserscanselect: Some(plan.end_users_can_select),
            allowall_status: status_changed.then_some(plan.status_ids.is_none()),
            allowed_status: match (&plan.status_ids, status_changed) {
                (_, false) => None,
                (None, true) => Some(Vec::new()),
                (Some(set), true) => Some(status_rows(set)?),
            },
            allowall_team: teams_changed.then_some(plan.team_ids.is_none()),
            allowed_teams: match (&plan.team_ids, teams_changed) {
                (_, false) => None,
                (None, true) => Some(Vec::new()),
                (Some(set), true) => Some(team_rows(set)?),
            },
            fields: match &plan.field_group_id {
                Some(group) if group_changed => Some(field_rows(group)?),
                _ => None,
            },
        })
    }

    /// On `sla_id` when that is what Halo refused (or the SLA does not exist),
    /// else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &TicketType) -> Diagnostic {
        write_error_on::<Sla>(
            halo,
            err,
            &write_fields::<Self>(),
            TicketTypeModel::sla_id,
            sent.default_sla,
        )
        .await
    }

    /// A write's answer may leave out the allowed rows: read back with details.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: TicketType,
        _plan: &TicketTypeModel,
        _write: &Write<'_, TicketTypeModel, i64>,
    ) -> Result<TicketTypeModel, crate::framework::ApplyError<TicketTypeModel>> {
        with_details::<Self>(halo, saved, |t| {
            t.allowed_status.is_some() && t.allowed_teams.is_some() && t.fields.is_some()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_all_reads_as_unset_and_rows_as_ids() {
        let t = TicketType {
            id: Some(4),
            name: Some("Incident".into()),
            default_sla: Some(-1),
            allowall_status: Some(false),
            allowed_status: Some(vec![AllowedStatus {
                status_id: 2,
                ..AllowedStatus::default()
            }]),
            allowall_team: Some(true),
            allowed_teams: Some(vec![]),
            ..TicketType::default()
        };
        let m = TicketTypeModel::from_halo(t);
        assert_eq!(m.sla_id, None, "-1 is no SLA");
        assert_eq!(m.status_ids, Some(BTreeSet::from(["2".to_string()])));
        assert_eq!(m.team_ids, None);
        assert!(m.agents_can_select);
        assert!(!m.end_users_can_select);
        assert_eq!(m.field_group_id, None, "no fields: no group");
    }

    #[test]
    fn the_field_group_is_the_first_row_with_a_groupid() {
        let row = |groupid: Option<i64>, fieldid: i64| TicketTypeField {
            groupid,
            extra: serde_json::json!({"fieldid": fieldid})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        let t = TicketType {
            fields: Some(vec![row(None, 7), row(Some(0), 8), row(Some(12), 0)]),
            ..TicketType::default()
        };
        let m = TicketTypeModel::from_halo(t);
        assert_eq!(m.field_group_id.as_deref(), Some("12"));
    }
}
