//! Data source `halopsa_api_object`: one object of any endpoint family, by `id`
//! or by a `name` that exactly one object has (found with Halo's `search`);
//! `output` is the whole object as Halo answers it.

use async_trait::async_trait;
use serde_json::Value as J;

use crate::framework::{
    attr_error, AnyDataSource, Applied, Diagnostic, Diagnostics, Dynamic, Model, Schema, Value,
};
use crate::halo::HaloClient;
use crate::resources::api_body;
use crate::resources::api_object::family_of;
use crate::resources::support::halo_error;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ApiObjectLookup {
        path: String = required().description("The endpoint family (`TicketType`, `Status`, `SLA`, ...), as for the resource."),
        id: Option<String> = optional_computed().description("Halo's id of the object. Give this or `name`."),
        name: Option<String> = optional().description("The exact name of the object (its `name` field, or the family's own name field: `outcome` for `Outcome`, `value` for `Category`, ...); exactly one object of the family must have it. `search` narrows what Halo is asked for."),
        search: Option<String> = optional().description("Halo's `search` text for a look-up by `name` (defaults to `name`)."),
        output: Dynamic = computed().description("The whole object, as Halo's `GET /api/PATH/ID` answers it."),
    }
}

pub struct ApiObjectDataSource;

#[async_trait]
impl AnyDataSource<HaloClient> for ApiObjectDataSource {
    fn type_name(&self) -> &'static str {
        <crate::resources::api_object::ApiObjectResource as crate::framework::Resource<
            HaloClient,
        >>::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::of::<ApiObjectLookup>(
            "One object of any endpoint family of Halo's API, by `id` or by an exact `name`; `output` holds the whole object.",
        )
    }

    fn check_model(&self) -> Result<(), String> {
        crate::framework::model::check_model::<ApiObjectLookup>()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if let Some(path) = config.attr(ApiObjectLookup::path).as_str() {
            if let Err(d) = family_of(path) {
                diags.push(d);
            }
        }
        let (id, name) = (
            config.attr(ApiObjectLookup::id),
            config.attr(ApiObjectLookup::name),
        );
        if id.is_null() && name.is_null() {
            diags.push(attr_error(
                ApiObjectLookup::id,
                "Missing id or name",
                "halopsa_api_object looks an object up by `id` or by `name`: give one.",
            ));
        }
        if !id.is_null() && !name.is_null() {
            diags.push(attr_error(
                ApiObjectLookup::name,
                "Both id and name",
                "Give `id` or `name`, not both.",
            ));
        }
    }

    async fn read(&self, halo: &HaloClient, config: &Value) -> Applied {
        match find(halo, config).await {
            Ok(state) => Applied {
                state,
                diagnostics: Diagnostics::new(),
            },
            Err(diagnostics) => Applied {
                state: Value::Null,
                diagnostics,
            },
        }
    }
}

async fn find(halo: &HaloClient, config: &Value) -> Result<Value, Diagnostics> {
    let mut m = ApiObjectLookup::from_value(config)?;
    let (family, f) = family_of(&m.path)?;
    let name_field = halo_catalog::catalog()
        .schema(&f.schema)
        .and_then(|s| s.name_field())
        // Halo's field, when the schema names none.
        .unwrap_or("name");
    let id = match (&m.id, &m.name) {
        (Some(id), _) => id.trim().to_string(),
        (None, Some(name)) => {
            let search = m.search.clone().unwrap_or_else(|| name.clone());
            let found = halo
                .list_json(family, Some(&search))
                .await
                .map_err(halo_error)?;
            let exact: Vec<&J> = found
                .iter()
                .filter(|o| o.get(name_field).and_then(J::as_str) == Some(name.as_str()))
                .collect();
            match exact.as_slice() {
                [one] => api_body::id_text(one).unwrap_or_default(),
                [] => {
                    return Err(Diagnostic::attribute_error(
                        crate::framework::AttrPath::root(ApiObjectLookup::name),
                        "No such object",
                        format!("No {family} is named {name:?} (field {name_field})."),
                    )
                    .into())
                }
                several => {
                    return Err(Diagnostic::attribute_error(
                        crate::framework::AttrPath::root(ApiObjectLookup::name),
                        "Several objects match",
                        format!(
                            "{} objects of {family} are named {name:?}: look it up by id.",
                            several.len()
                        ),
                    )
                    .into())
                }
            }
        }
        (None, None) => {
            return Err(Diagnostic::error("Missing id or name", "Give `id` or `name`.").into())
        }
    };
    let Some(obj) = halo.get_json(family, &id).await.map_err(halo_error)? else {
        return Err(Diagnostic::attribute_error(
            crate::framework::AttrPath::root(ApiObjectLookup::id),
            "No such object",
            format!("There is no {family} with the id {id:?}."),
        )
        .into());
    };
    m.id = Some(id);
    m.output = Dynamic(api_body::from_json(&obj));
    Ok(m.to_value())
}
