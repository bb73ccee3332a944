//! Data sources: look-ups of existing Halo objects, one file each.
//!
//! Every data source finds exactly one object by `name` and/or `id` and answers
//! with a model, usually the resource's own, so a data source is one [`Lookup`]
//! declaration: the Halo object type, the model, the optional filters that narrow
//! the search (e.g. a department's `organisation_id`) and extra computed
//! attributes. [`LookupDataSource`] derives the schema from the model
//! ([`lookup_schema`]) and does the rest: the id-or-name check, the search across
//! every page of Halo's list ([`find_one`]), and its "not found" and "several found"
//! errors.

pub(crate) mod agent;
pub(crate) mod api_object;
pub(crate) mod category;
pub(crate) mod client;
pub(crate) mod custom_field;
pub(crate) mod department;
pub(crate) mod field_group;
pub(crate) mod organisation;
pub(crate) mod outcome;
pub(crate) mod role;
pub(crate) mod sla;
pub(crate) mod status;
pub(crate) mod team;
pub(crate) mod ticket_type;
pub(crate) mod webhook;
pub(crate) mod workday;

use std::marker::PhantomData;
use std::str::FromStr;

use async_trait::async_trait;

use crate::framework::{
    attr_error, lookup_schema, AnyDataSource, Applied, Diagnostic, Diagnostics, Model, Value,
};
use crate::halo::{HaloClient, HaloObject};
use crate::resources::support::{halo_error, int_id, Named};
use crate::resources::{IdOf, ObjectResource, ParentRef};

/// The argument a look-up finds an object by id with: the answer model's own
/// `id` attribute ([`ID`]: it holds the Halo id), optional in the data source.
pub(crate) use crate::resources::ID;

/// The argument a look-up finds an object by name with: the answer model's own
/// `name` attribute, optional in the data source. With [`ID`] the one
/// declaration of the look-up's search attributes; `check_model` checks that
/// every answer has both.
pub(crate) const NAME: &str = "name";

crate::model! {
    /// No extra attributes: the model is the whole answer.
    #[derive(Debug, Clone, Default)]
    pub struct NoExtra {}
}

/// A filter besides `id` and `name`: the parent the object found must belong to
/// (e.g. a department's organisation), as its resource declares it.
pub struct LookupFilter<T: 'static> {
    /// The parent: its attribute, which the configuration may set, Halo's list
    /// parameter and the object's own value.
    pub parent: &'static ParentRef<T>,
    /// What it does in a look-up (the attribute's description there).
    pub description: &'static str,
}

/// What a look-up finds and answers: the Halo object type and the model made of
/// it. A resource that is one Halo object ([`ObjectResource`]) is its own data
/// source's answer, so the two cannot disagree on what an object reads as.
pub trait Answer: 'static {
    /// The Halo object type.
    type Object: Named<Id: FromStr>;
    /// The answer's model: its attributes are the data source's.
    type Model: Model;
    /// Whether the answer needs the object's detail lists (`?includedetails=true`):
    /// an object found by name is then read again by id.
    const DETAILS: bool;

    fn model(obj: Self::Object) -> Self::Model;
}

/// A resource's model, as a listed object (without secrets, as after an import).
impl<R: ObjectResource> Answer for R
where
    IdOf<R>: FromStr,
{
    type Object = R::Object;
    type Model = R::Model;
    const DETAILS: bool = R::DETAILS;

    fn model(obj: R::Object) -> R::Model {
        crate::framework::answered(R::listed(R::from_halo(obj)))
    }
}

/// The Halo object type of a look-up.
type Object<L> = <<L as Lookup>::Source as Answer>::Object;

/// One look-up data source: which Halo objects it finds and what it answers.
pub trait Lookup: Send + Sync + 'static {
    /// The data source type name, e.g. `halopsa_team`.
    const TYPE_NAME: &'static str;
    /// What it looks up, for `terraform providers schema` and the docs.
    const DESCRIPTION: &'static str;
    /// What it finds and answers: usually the resource of the same name.
    type Source: Answer;
    /// Computed attributes beyond the model's ([`NoExtra`] for none).
    type Extra: Model;

    /// The `id` argument's description.
    fn id_description() -> String {
        let kind = <Object<Self> as HaloObject>::KIND;
        format!("The {kind}'s Halo id: set it to look the {kind} up by id. Give this or `name`.")
    }

    /// The `name` argument's description.
    fn name_description() -> String {
        let kind = <Object<Self> as HaloObject>::KIND;
        format!(
            "The {kind}'s name: set it to look the {kind} up by name (an exact, \
             case-sensitive match). Give this or `id`."
        )
    }

    /// The filters besides `id` and `name`.
    fn filters() -> Vec<LookupFilter<Object<Self>>> {
        Vec::new()
    }

    /// The extra attributes' values (none by default).
    fn extra(_obj: &Object<Self>) -> Self::Extra {
        Self::Extra::default()
    }
}

/// The data source of a [`Lookup`].
pub struct LookupDataSource<L>(PhantomData<fn() -> L>);

impl<L: Lookup> LookupDataSource<L> {
    pub(crate) fn boxed() -> Box<dyn AnyDataSource<HaloClient>> {
        Box::new(LookupDataSource::<L>(PhantomData))
    }

    async fn find(&self, halo: &HaloClient, config: &Value) -> Result<Value, Diagnostics> {
        let text = |name: &str| config.attr(name).as_str().map(str::to_owned);
        let mut filters = Vec::new();
        for f in L::filters() {
            let attribute = f.parent.attribute;
            let Some(raw) = text(attribute) else {
                continue;
            };
            let wanted = int_id(Some(&raw), attribute)?;
            let field = f.parent.of;
            filters.push(Filter {
                attribute,
                value: wanted.to_string(),
                query: Some((f.parent.param, wanted.to_string())),
                matches: Box::new(move |obj: &Object<L>| field(obj) == Some(wanted)),
            });
        }
        let (id, name) = (text(ID), text(NAME));
        let mut found: Object<L> = find_one(
            halo,
            L::TYPE_NAME,
            id.as_deref(),
            name.as_deref(),
            &filters,
            <L::Source as Answer>::DETAILS,
        )
        .await?;
        if <L::Source as Answer>::DETAILS && id.is_none() {
            if let Some(obj_id) = found.id() {
                if let Some(full) = halo
                    .get::<Object<L>>(obj_id, true)
                    .await
                    .map_err(halo_error)?
                {
                    found = full;
                }
            }
        }
        let extra = L::extra(&found).to_value();
        let mut value = <L::Source as Answer>::model(found).to_value();
        if let Value::Object(extra) = extra {
            for (k, v) in extra {
                value.set_attr(&k, v);
            }
        }
        Ok(value)
    }
}

#[async_trait]
impl<L: Lookup> AnyDataSource<HaloClient> for LookupDataSource<L> {
    fn type_name(&self) -> &'static str {
        L::TYPE_NAME
    }

    fn schema(&self) -> crate::framework::Schema {
        let mut attributes = <L::Source as Answer>::Model::attributes();
        attributes.extend(L::Extra::attributes());
        let mut searchable = vec![
            (ID, Some(L::id_description())),
            (NAME, Some(L::name_description())),
        ];
        searchable.extend(
            L::filters()
                .iter()
                .map(|f| (f.parent.attribute, Some(f.description.to_string()))),
        );
        lookup_schema(L::DESCRIPTION, attributes, &searchable)
    }

    fn check_model(&self) -> Result<(), String> {
        let attrs = <L::Source as Answer>::Model::attributes();
        let has = |n: &str| attrs.iter().any(|(a, _)| *a == n);
        let missing = [ID, NAME]
            .into_iter()
            .chain(L::filters().iter().map(|f| f.parent.attribute))
            .find(|n| !has(n));
        match missing {
            Some(n) => Err(format!("{}: the model has no attribute {n}", L::TYPE_NAME)),
            None => Ok(()),
        }
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        require_id_or_name(L::TYPE_NAME, config, diags);
        if let Some(raw) = config.attr(ID).as_str() {
            if raw.trim().parse::<<Object<L> as HaloObject>::Id>().is_err() {
                diags.push(attr_error(
                    ID,
                    format!("Invalid {ID}"),
                    format!(
                        "{raw:?} is not the Halo id of a {}.",
                        <Object<L> as HaloObject>::KIND
                    ),
                ));
            }
        }
    }

    async fn read(&self, halo: &HaloClient, config: &Value) -> Applied {
        match self.find(halo, config).await {
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

/// A condition besides `id` and `name` that the object found must meet.
struct Filter<T> {
    /// The data source attribute that holds the condition, for messages.
    attribute: &'static str,
    /// The configured value, for messages.
    value: String,
    /// A list query parameter that narrows what Halo answers (`("org_id", "12")`).
    query: Option<(&'static str, String)>,
    /// Whether an object meets the condition. Checked on every candidate, also
    /// on the object a look-up by id finds.
    matches: Box<dyn Fn(&T) -> bool + Send + Sync>,
}

/// Finds the one `T` that the data source `type_name` describes: the object with
/// id `id` and/or the name `name` (exact, case-sensitive), that also meets every
/// filter.
///
/// - With an `id`: `GET /api/X/{id}` (`?includedetails=true` when `details`), then
///   the name (if given) and the filters must match that object.
/// - With only a `name`: `GET /api/X` with the type's list query, `search=NAME`
///   when [`Named::SEARCH`] and each filter's query parameter; then exact matching
///   here. `details` does not apply to lists: get the object again by id if its
///   lists are needed.
///
/// Errors (each a diagnostic that names the attributes involved): neither `id`
/// nor `name` (an error naming both), an `id` that is not a valid `T::Id` (on
/// `id`), no object found (on `name`, or on `id` when there is no name), more than
/// one found (on `name`, listing the candidates' ids and suggesting `id` or a
/// filter), and Halo errors as they are.
async fn find_one<T>(
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
                    ID,
                    format!("Invalid {ID}"),
                    format!("{raw:?} is not the Halo id of a {}.", T::KIND),
                )
            })?;
        let Some(obj) = halo.get::<T>(parsed, details).await.map_err(halo_error)? else {
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
    let mut query: Vec<(&str, &str)> = T::LIST_ALL_QUERY.to_vec();
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
        .await
        .map_err(halo_error)?
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
        let attribute = if self.name.is_some() { NAME } else { ID };
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
            NAME,
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
/// one of them must be set (an unknown value counts as set).
fn require_id_or_name(type_name: &str, config: &Value, diags: &mut Diagnostics) {
    if config.attr(ID).is_null() && config.attr(NAME).is_null() {
        diags.error(
            format!("{type_name}: id or name required"),
            format!("{type_name} looks one object up: set `id` or `name` (or both)."),
        );
    }
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

/// Every data source answers with values its schema describes.
#[cfg(test)]
mod model_tests {
    #[test]
    fn every_data_source_fits_its_model() {
        for d in crate::resources::data_sources() {
            assert_eq!(d.check_model(), Ok(()), "{}", d.type_name());
        }
    }
}
