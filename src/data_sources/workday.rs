//! `halopsa_workday` data source: one set of work hours, by name or id. Work hours
//! are read-only for the provider; agents refer to them with `workday_id`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, id_attribute, name_attribute, require_id_or_name};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Value};
use crate::halo::{HaloClient, Workday};
use crate::resources::non_empty;

pub struct WorkdayDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkdayDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub timezone: Option<String>,
}

impl WorkdayDataModel {
    fn from_halo(w: Workday) -> Self {
        WorkdayDataModel {
            id: w.id.map(|i| i.to_string()),
            name: w.name,
            timezone: non_empty(w.timezone),
        }
    }
}

#[async_trait]
impl DataSource for WorkdayDataSource {
    const TYPE_NAME: &'static str = "halopsa_workday";
    type Model = WorkdayDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one set of work hours (Configuration > Calendars > Workdays) by `name` \
             (exact, case-sensitive) or `id`; with both, both must match. Finding none or \
             several is an error. Use its `id` as an agent's `workday_id`.",
        )
        .attribute(
            "id",
            id_attribute("The work hours' Halo id: set it to look them up by id."),
        )
        .attribute(
            "name",
            name_attribute(
                "The work hours' name: set it to look them up by name (an exact, \
                 case-sensitive match).",
            ),
        )
        .attribute(
            "timezone",
            Attribute::string()
                .computed()
                .description("The time zone the work hours are in, as Halo names it."),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        require_id_or_name(Self::TYPE_NAME, config, diags);
    }

    async fn read(
        &self,
        halo: &HaloClient,
        config: Self::Model,
    ) -> Result<Self::Model, Diagnostics> {
        let found: Workday = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &[],
            false,
        )
        .await?;
        Ok(WorkdayDataModel::from_halo(found))
    }
}
