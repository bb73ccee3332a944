//! Data sources: look-ups of existing Halo objects, one file each.
//!
//! Every data source finds exactly one object by `name` and/or `id`. The shared
//! part lives here:
//!
//! - [`Named`]: how to list a Halo object type and read its name (implement it for
//!   the model of each new data source);
//! - [`find_one`]: the look-up itself, with its "not found" and "several found"
//!   errors, and optional [`Filter`]s that narrow the candidates (e.g. a
//!   department's `organisation_id`);
//! - [`require_id_or_name`]: the configuration check that at least one of `id`
//!   and `name` is set;
//! - [`id_attribute`] / [`name_attribute`]: the schema of those two arguments.
//!
//! A data source then only maps its model to and from the Halo object:
//!
//! ```ignore
//! async fn read(&self, halo: &HaloClient, config: Model) -> Result<Model, Diagnostics> {
//!     let found: Team = find_one(halo, Self::TYPE_NAME, config.id.as_deref(),
//!         config.name.as_deref(), &[], false).await?;
//!     Ok(Model::from_halo(found))
//! }
//! ```

pub mod agent;
pub mod department;
pub mod organisation;
pub mod role;
pub mod team;
pub mod workday;

use std::str::FromStr;

use crate::framework::resource::{attr_error, AnyDataSource};
use crate::framework::{Attribute, Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{
    Agent, Application, Department, HaloClient, HaloObject, Organisation, Role, Team, Workday,
};

/// Every data source type the provider serves.
pub fn all() -> Vec<Box<dyn AnyDataSource>> {
    vec![
        Box::new(organisation::OrganisationDataSource),
        Box::new(department::DepartmentDataSource),
        Box::new(team::TeamDataSource),
        Box::new(workday::WorkdayDataSource),
        Box::new(agent::AgentDataSource),
        Box::new(role::RoleDataSource),
    ]
}

/// A Halo object type that data sources can look up by name.
pub trait Named: HaloObject {
    /// Whether `GET /api/X` takes Halo's `search` parameter (a case-insensitive
    /// substring match on the name, per swagger.json). When it does, a look-up by
    /// name sends `search=NAME` so that Halo answers only likely candidates; the
    /// exact match is always made here, whatever Halo answers.
    const SEARCH: bool = false;

    /// The query every look-up list starts from: whatever makes Halo list every
    /// object of the type (e.g. inactive or API-only ones). Defaults to
    /// [`HaloObject::LIST_ALL_QUERY`].
    const LOOKUP_QUERY: &'static [(&'static str, &'static str)] = Self::LIST_ALL_QUERY;

    /// The object's name as Halo holds it (for an API application: its display name).
    fn name(&self) -> Option<&str>;
}

impl Named for Organisation {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Named for Department {
    /// `/api/TopLevel` documents `search` [spec].
    const SEARCH: bool = true;

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// Inactive teams are found too: [`Team`]'s list query includes them.
impl Named for Team {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// API-only agents are found too: [`Agent`]'s list query includes them.
impl Named for Agent {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Named for Application {
    fn name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
}

impl Named for Role {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Named for Workday {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A condition besides `id` and `name` that the object found must meet, given as
/// an optional argument of the data source (e.g. `organisation_id` of
/// `halopsa_department`, to tell apart departments of the same name).
pub struct Filter<T> {
    /// The data source attribute that holds the condition, for messages.
    pub attribute: &'static str,
    /// The configured value, for messages.
    pub value: String,
    /// A list query parameter that makes Halo apply the condition itself
    /// (`("org_id", "12")`), when Halo has one. Only narrows what Halo answers:
    /// `matches` decides.
    pub query: Option<(&'static str, String)>,
    /// Whether an object meets the condition. Checked on every candidate, also
    /// on the object a look-up by id finds.
    pub matches: Box<dyn Fn(&T) -> bool + Send + Sync>,
}

impl<T: 'static> Filter<T> {
    /// The filter for an optional integer-id attribute of a data source: none when
    /// the attribute is not configured, else objects whose `field` equals it, with
    /// Halo's list parameter `param` for it (or `None` when Halo cannot filter on
    /// it). A value that is not a Halo id is an error on the attribute.
    pub fn optional_int_id(
        attribute: &'static str,
        configured: Option<&str>,
        param: Option<&'static str>,
        field: fn(&T) -> Option<i64>,
    ) -> Result<Option<Self>, Diagnostic> {
        if configured.is_none() {
            return Ok(None);
        }
        let value = crate::resources::int_id(configured, attribute)?;
        Ok(Some(Filter {
            attribute,
            value: value.to_string(),
            query: param.map(|p| (p, value.to_string())),
            matches: Box::new(move |obj| field(obj) == Some(value)),
        }))
    }
}

/// Finds the one `T` that the data source `type_name` describes: the object with
/// id `id` and/or the name `name` (exact, case-sensitive), that also meets every
/// filter.
///
/// - With an `id`: `GET /api/X/{id}` (`?includedetails=true` when `details`), then
///   the name (if given) and the filters must match that object.
/// - With only a `name`: `GET /api/X` with [`Named::LOOKUP_QUERY`], `search=NAME`
///   when [`Named::SEARCH`] and each filter's query parameter; then exact matching
///   here. `details` does not apply to lists: get the object again by id if its
///   lists are needed.
///
/// Errors (each a diagnostic that names the attributes involved): neither `id`
/// nor `name` (an error naming both), an `id` that is not a valid `T::Id` (on
/// `id`), no object found (on `name`, or on `id` when there is no name), more than
/// one found (on `name`, listing the candidates' ids and suggesting `id` or a
/// filter), and Halo errors as they are.
pub async fn find_one<T>(
    halo: &HaloClient,
    type_name: &str,
    id: Option<&str>,
    name: Option<&str>,
    filters: &[Filter<T>],
    details: bool,
) -> Result<T, Diagnostics>
where
    T: Named,
    T::Id: FromStr,
{
    let wanted = Wanted {
        type_name,
        kind: T::KIND,
        id,
        name,
        filters: filters
            .iter()
            .map(|f| (f.attribute, f.value.as_str()))
            .collect(),
    };
    let meets_filters = |obj: &T| filters.iter().all(|f| (f.matches)(obj));

    if let Some(raw) = id {
        let parsed = Some(raw.trim())
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<T::Id>().ok())
            .ok_or_else(|| {
                attr_error(
                    "id",
                    "Invalid id",
                    format!("{raw:?} is not the Halo id of a {}.", T::KIND),
                )
            })?;
        let Some(obj) = halo.get::<T>(parsed, details).await? else {
            return Err(wanted.not_found().into());
        };
        if name.is_some() && obj.name() != name {
            return Err(wanted.named_otherwise(obj.name()).into());
        }
        if !meets_filters(&obj) {
            return Err(wanted.not_found().into());
        }
        return Ok(obj);
    }

    let Some(name) = name else {
        return Err(wanted.neither().into());
    };
    let mut query: Vec<(&str, &str)> = T::LOOKUP_QUERY.to_vec();
    if T::SEARCH {
        query.push(("search", name));
    }
    query.extend(
        filters
            .iter()
            .filter_map(|f| f.query.as_ref().map(|(k, v)| (*k, v.as_str()))),
    );
    let mut found: Vec<T> = halo
        .list::<T>(&query)
        .await?
        .into_iter()
        .filter(|obj| obj.name() == Some(name) && meets_filters(obj))
        .collect();
    match found.len() {
        0 => Err(wanted.not_found().into()),
        1 => Ok(found.remove(0)),
        _ => {
            let ids: Vec<String> = found
                .iter()
                .map(|obj| obj.id().map_or_else(|| "?".to_string(), |i| i.to_string()))
                .collect();
            Err(wanted.ambiguous(&ids).into())
        }
    }
}

/// What a look-up asked for, to word its errors.
struct Wanted<'a> {
    type_name: &'a str,
    kind: &'static str,
    id: Option<&'a str>,
    name: Option<&'a str>,
    filters: Vec<(&'static str, &'a str)>,
}

impl Wanted<'_> {
    /// `id = "12", name = "Sales", organisation_id = "3"`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = self.id {
            parts.push(format!("id = {id:?}"));
        }
        if let Some(name) = self.name {
            parts.push(format!("name = {name:?}"));
        }
        parts.extend(self.filters.iter().map(|(a, v)| format!("{a} = {v:?}")));
        parts.join(", ")
    }

    fn neither(&self) -> Diagnostic {
        Diagnostic::error(
            format!("{}: id or name required", self.type_name),
            format!(
                "Set `id` or `name` (or both) to say which {} to look up.",
                self.kind
            ),
        )
    }

    fn not_found(&self) -> Diagnostic {
        let attribute = if self.name.is_some() { "name" } else { "id" };
        attr_error(
            attribute,
            format!("No {} found", self.kind),
            format!(
                "No {} in Halo matches {} (names match exactly, case included).",
                self.kind,
                self.describe()
            ),
        )
    }

    /// The object with the wanted id exists, under another name.
    fn named_otherwise(&self, actual: Option<&str>) -> Diagnostic {
        let mut d = self.not_found();
        d.detail.push_str(&format!(
            " The {} with id {} is named {:?}.",
            self.kind,
            self.id.unwrap_or_default(),
            actual.unwrap_or_default()
        ));
        d
    }

    fn ambiguous(&self, ids: &[String]) -> Diagnostic {
        let hint = if self.filters.is_empty() {
            "Set `id` to pick one.".to_string()
        } else {
            let attrs: Vec<String> = self.filters.iter().map(|(a, _)| format!("`{a}`")).collect();
            format!("Set `id` (or {}) to pick one.", attrs.join(" or "))
        };
        attr_error(
            "name",
            format!("Several {} objects found", self.kind),
            format!(
                "{} objects in Halo match {} (ids {}). {hint}",
                ids.len(),
                self.describe(),
                ids.join(", ")
            ),
        )
    }
}

/// Configuration check for a data source with `id` and `name` arguments: at least
/// one of them must be set (an unknown value counts as set). Call it from
/// `DataSource::validate`.
pub fn require_id_or_name(type_name: &str, config: &Value, diags: &mut Diagnostics) {
    if config.attr("id").is_null() && config.attr("name").is_null() {
        diags.error(
            format!("{type_name}: id or name required"),
            format!("{type_name} looks one object up: set `id` or `name` (or both)."),
        );
    }
}

/// The `id` argument of a data source whose objects have integer ids: optional,
/// filled in from the object found.
pub fn id_attribute(description: &'static str) -> Attribute {
    Attribute::string()
        .optional_computed()
        .validate(Validator::PositiveIntString)
        .description(description)
}

/// The `name` argument of a data source: optional, filled in from the object found.
pub fn name_attribute(description: &'static str) -> Attribute {
    Attribute::string()
        .optional_computed()
        .validate(Validator::length(1, 255))
        .description(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted<'a>(id: Option<&'a str>, name: Option<&'a str>) -> Wanted<'a> {
        Wanted {
            type_name: "halopsa_team",
            kind: "team",
            id,
            name,
            filters: vec![("department_id", "3")],
        }
    }

    #[test]
    fn errors_say_what_was_looked_for() {
        let missing = wanted(Some("12"), None).not_found();
        assert_eq!(missing.path, Some(crate::framework::AttrPath::root("id")));
        assert!(missing.detail.contains(r#"id = "12", department_id = "3""#));

        let renamed = wanted(Some("12"), Some("Sales")).named_otherwise(Some("Desk"));
        assert_eq!(renamed.path, Some(crate::framework::AttrPath::root("name")));
        assert!(renamed
            .detail
            .ends_with(r#"The team with id 12 is named "Desk"."#));

        let several = wanted(None, Some("Sales")).ambiguous(&["4".into(), "9".into()]);
        assert_eq!(several.path, Some(crate::framework::AttrPath::root("name")));
        assert!(several.detail.contains("(ids 4, 9)"));
        assert!(several.detail.contains("`department_id`"));
    }

    #[test]
    fn id_or_name_is_required() {
        let mut config = Value::Object(Default::default());
        let mut diags = Diagnostics::new();
        require_id_or_name("halopsa_team", &config, &mut diags);
        assert!(diags.has_errors());

        config.set_attr("name", Value::Unknown);
        let mut diags = Diagnostics::new();
        require_id_or_name("halopsa_team", &config, &mut diags);
        assert!(!diags.has_errors(), "an unknown name counts as set");
    }
}
