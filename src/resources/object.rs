//! The shape most resource types share: the resource is one Halo object of one
//! kind, read and written whole.
//!
//! Such a type implements [`ObjectResource`], which says only how Halo's object and
//! the model map to each other (and, where it must, how a refused write is
//! explained or a saved object completed). [`Resource`] follows from that once,
//! here: a create goes through [`HaloClient::create`] (batched, and finding an
//! object whose answer was lost), a read comes from the kind's snapshot, the `list`
//! block runs the filter's [`ListQuery`], and a delete is one `DELETE`. Resources
//! whose object is not a Halo object of its own (the memberships) implement
//! [`Resource`] directly.

use async_trait::async_trait;

use super::support::{
    halo_diagnostic, halo_error, id_matches, name_matches, write_error, Named, WriteField,
};
use crate::framework::{
    ApplyError, Diagnostic, Diagnostics, HeldReferences, Model, Planned, Resource, Value,
};
use crate::halo::{HaloClient, HaloError, HaloObject};

/// The Halo id type of the object behind a resource.
pub type IdOf<R> = <<R as ObjectResource>::Object as HaloObject>::Id;

/// What a write sends: a new object, or a change of the object `id`, whose state
/// is `prior`.
pub enum Write<'a, M, Id> {
    Create,
    Update { id: Id, prior: &'a M },
}

impl<M, Id: Clone> Write<'_, M, Id> {
    /// The id to send: `None` for a create.
    pub fn id(&self) -> Option<Id> {
        match self {
            Write::Create => None,
            Write::Update { id, .. } => Some(id.clone()),
        }
    }

    /// The state being changed: `None` for a create.
    pub fn prior(&self) -> Option<&M> {
        match self {
            Write::Create => None,
            Write::Update { prior, .. } => Some(prior),
        }
    }
}

/// A resource that is one Halo object: how the object and the model map to each
/// other. See the module documentation.
#[async_trait]
pub trait ObjectResource: Send + Sync + 'static {
    /// As [`Resource::TYPE_NAME`].
    const TYPE_NAME: &'static str;
    /// As [`Resource::DESCRIPTION`].
    const DESCRIPTION: &'static str;
    /// Whether the state needs the object's detail lists (`includedetails=true`
    /// on reads and lists).
    const DETAILS: bool;
    /// Halo fields a refused write may name whose names are not the attribute's
    /// they come from (e.g. `("firstname", "first_name")`); a Halo field named
    /// like its attribute needs no entry ([`write_fields`]).
    const WRITE_FIELDS: &'static [WriteField];

    /// The state; its `id` attribute holds the object's Halo id.
    type Model: Model + Clone;
    /// The `list` block's filters.
    type Filter: Model + ListFilter<Self::Object>;
    /// Halo's object.
    type Object: Named<Id: ParseId>;

    /// As [`Resource::validate`].
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// As [`Resource::modify_plan`].
    fn modify_plan(&self, _prior: &Value, _config: &Value, _plan: &mut Planned) {}

    /// The model of an object as Halo holds it: a pure read of the answer. What
    /// Halo never answers again (a secret shown once, a list some answers leave
    /// out) or spells its own way is declared on the attribute
    /// (`keep_prior_when_absent`, `semantic_equality`), and the framework keeps
    /// the known value once, for every type (`framework::reconcile`).
    fn from_halo(object: Self::Object) -> Self::Model;

    /// The object a write sends for `plan`.
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &Self::Model,
        write: &Write<'_, Self::Model, IdOf<Self>>,
    ) -> Result<Self::Object, Diagnostics>;

    /// Whether `found`, listed by Halo, is the object a create sent as `sent`: how
    /// a create whose answer was lost finds its object. By name unless a type
    /// says more (e.g. the parent too).
    fn same(sent: &Self::Object, found: &Self::Object) -> bool {
        sent.name() == found.name()
    }

    /// The error for a write of `sent` that Halo refused: on the attribute Halo's
    /// message names ([`write_fields`]), else Halo's own message. Types
    /// whose writes refer to a parent check it ([`write_error_on`]).
    ///
    /// [`write_error_on`]: super::support::write_error_on
    async fn refused(
        &self,
        _halo: &HaloClient,
        err: &HaloError,
        _sent: &Self::Object,
    ) -> Diagnostic {
        write_error(err, &write_fields::<Self>())
    }

    /// The state of a saved object (the answer to `write`). Types whose answers
    /// may leave out detail lists the state needs read them back here.
    async fn saved(
        &self,
        _halo: &HaloClient,
        saved: Self::Object,
        _plan: &Self::Model,
        _write: &Write<'_, Self::Model, IdOf<Self>>,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        Ok(Self::from_halo(saved))
    }

    /// A listed object's model: a type with secrets nulls them (a list, like an
    /// import, never knows them).
    fn listed(model: Self::Model) -> Self::Model {
        model
    }
}

/// The Halo fields a refused write of `R` may name, with their attributes: its
/// [`ObjectResource::WRITE_FIELDS`] and every attribute configuration sets, as a
/// Halo field of its own name. Longest Halo name first, so that a name inside a
/// longer one (`name` in `firstname`) never wins over it.
pub fn write_fields<R: ObjectResource + ?Sized>() -> Vec<WriteField> {
    let mut fields: Vec<WriteField> = R::WRITE_FIELDS.to_vec();
    for (name, attr) in <R::Model as Model>::attributes() {
        if attr.presence.accepts_config() && !fields.iter().any(|(halo, _)| *halo == name) {
            fields.push((name, name));
        }
    }
    fields.sort_by_key(|(halo, _)| std::cmp::Reverse(halo.len()));
    fields
}

/// The saved object re-read with its details when a write's answer left them out
/// (`has`: whether the answer holds them), for [`ObjectResource::saved`]. A failed
/// re-read keeps the object in state (it exists) with the error.
pub async fn with_details<R: ObjectResource>(
    halo: &HaloClient,
    saved: R::Object,
    has: impl Fn(&R::Object) -> bool + Send,
) -> Result<R::Model, ApplyError<R::Model>> {
    let Some(id) = saved.id().filter(|_| !has(&saved)) else {
        return Ok(R::from_halo(saved));
    };
    match halo.get::<R::Object>(id, true).await {
        Ok(Some(full)) => Ok(R::from_halo(full)),
        Ok(None) => Ok(R::from_halo(saved)),
        Err(e) => Err(ApplyError::with_state(
            R::from_halo(saved),
            halo_diagnostic(&e),
        )),
    }
}

/// A Halo id type, parsed from a string attribute: integer ids and GUIDs.
pub trait ParseId: Sized {
    fn parse(value: Option<&str>, attr: &str) -> Result<Self, Diagnostic>;
}

impl ParseId for i64 {
    fn parse(value: Option<&str>, attr: &str) -> Result<Self, Diagnostic> {
        super::support::int_id(value, attr)
    }
}

impl ParseId for String {
    fn parse(value: Option<&str>, attr: &str) -> Result<Self, Diagnostic> {
        super::support::guid_id(value, attr)
    }
}

/// The object a resource belongs to (a department's organisation, a team's
/// department), declared once for the resource's `list` block and its data
/// source's filter.
pub struct ParentRef<O> {
    /// The attribute holding the parent's id, e.g. `organisation_id`.
    pub attribute: &'static str,
    /// Halo's list parameter that filters by the parent's id, e.g. `org_id`: it
    /// only narrows what Halo answers.
    pub param: &'static str,
    /// The object's own parent id, which decides.
    pub of: fn(&O) -> Option<i64>,
}

/// What a `list` block asks Halo for: objects by name, optionally only those of
/// one parent.
pub struct ListQuery<'a, O> {
    name: Option<&'a str>,
    parent: Option<(&'a ParentRef<O>, Option<&'a str>)>,
}

impl<'a, O: Named> ListQuery<'a, O> {
    /// Objects whose name contains `name` (ignoring case); every one for `None`.
    pub fn named(name: &'a Option<String>) -> Self {
        ListQuery {
            name: name.as_deref(),
            parent: None,
        }
    }

    /// [`ListQuery::named`], of the `parent` with id `id` only when that is set.
    pub fn children(
        name: &'a Option<String>,
        parent: &'a ParentRef<O>,
        id: &'a Option<String>,
    ) -> Self {
        ListQuery {
            name: name.as_deref(),
            parent: Some((parent, id.as_deref())),
        }
    }

    /// The objects, from every page of Halo's list (with their details when
    /// `details`, see [`HaloClient::list_all`]). A parent filter goes to Halo as
    /// its list parameter, which only narrows what Halo answers; the object's own
    /// parent id and name decide.
    async fn run(self, halo: &HaloClient, details: bool) -> Result<Vec<O>, HaloError> {
        let listed = match self.parent {
            None => halo.list_all::<O>(details).await?,
            Some((parent, id)) => {
                let mut query: Vec<(&str, &str)> = O::LIST_ALL_QUERY.to_vec();
                query.extend(id.map(|id| (parent.param, id)));
                halo.list::<O>(&query).await?
            }
        };
        Ok(listed
            .into_iter()
            .filter(|o| {
                name_matches(self.name, o.name())
                    && self.parent.is_none_or(|(parent, id)| {
                        id_matches(id, (parent.of)(o).map(|i| i.to_string()).as_deref())
                    })
            })
            .collect())
    }
}

/// A `list` block's filters as a [`ListQuery`].
pub trait ListFilter<O>: Send + Sync {
    fn query(&self) -> ListQuery<'_, O>;
}

impl<O: Named> ListFilter<O> for super::support::NameFilter {
    fn query(&self) -> ListQuery<'_, O> {
        ListQuery::named(&self.name)
    }
}

/// The attribute of every [`ObjectResource`] model that holds the object's Halo
/// id (each model declares it as its `id` field; the data sources find objects
/// by it too).
pub const ID: &str = crate::framework::ID_ATTRIBUTE;

fn key<R: ObjectResource>(state: &R::Model) -> Result<IdOf<R>, Diagnostic> {
    ParseId::parse(state.to_value().attr(ID).as_str(), ID)
}

/// An [`ObjectResource`] as a [`Resource`]: what the provider registers
/// (`resources::all`). A wrapper, since the framework's trait is another crate's
/// and cannot be implemented for every `R` here.
pub struct Object<R>(pub R);

#[async_trait]
impl<R: ObjectResource> Resource<HaloClient> for Object<R> {
    const TYPE_NAME: &'static str = <R as ObjectResource>::TYPE_NAME;
    const DESCRIPTION: &'static str = <R as ObjectResource>::DESCRIPTION;
    type Model = <R as ObjectResource>::Model;
    type Filter = <R as ObjectResource>::Filter;
    type Key = IdOf<R>;

    fn key(state: &Self::Model) -> Result<Self::Key, Diagnostic> {
        key::<R>(state)
    }

    fn parse_import_id(id: &str) -> Result<Self::Key, Diagnostic> {
        ParseId::parse(Some(id), ID)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        ObjectResource::validate(&self.0, config, diags)
    }

    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned) {
        ObjectResource::modify_plan(&self.0, prior, config, plan)
    }

    async fn check_plan(
        &self,
        halo: &HaloClient,
        planned: &Value,
        held: &HeldReferences,
    ) -> Diagnostics {
        super::references::check(halo, &<R::Model as Model>::attributes(), planned, held).await
    }

    async fn list(
        &self,
        halo: &HaloClient,
        filter: Self::Filter,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        let objects = filter
            .query()
            .run(halo, R::DETAILS)
            .await
            .map_err(halo_error)?;
        Ok(objects
            .into_iter()
            .map(|o| R::listed(R::from_halo(o)))
            .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let write = Write::Create;
        let sent = self.0.to_halo(halo, &plan, &write).await?;
        match halo.create(&sent, |found| R::same(&sent, found)).await {
            Ok(created) => self.0.saved(halo, created, &plan, &write).await,
            Err(e) => Err(self.0.refused(halo, &e, &sent).await.into()),
        }
    }

    async fn read(
        &self,
        halo: &HaloClient,
        id: Self::Key,
        _prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        Ok(halo
            .read::<R::Object>(id, R::DETAILS)
            .await
            .map_err(halo_error)?
            .map(R::from_halo))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let id = key::<R>(&prior)?;
        let write = Write::Update { id, prior: &prior };
        let changed = self.0.to_halo(halo, &plan, &write).await?;
        match halo.update(&changed).await {
            Ok(saved) => self.0.saved(halo, saved, &plan, &write).await,
            Err(e) => Err(self.0.refused(halo, &e, &changed).await.into()),
        }
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        halo.delete::<R::Object>(key::<R>(&state)?)
            .await
            .map_err(halo_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! What [`Object`] derives from an [`ObjectResource`], run against halo-sim
    //! over HTTP with the organisation type (the simplest one).

    use std::time::Duration;

    use halo_sim::{Kind, Sim, SimOptions};

    use super::*;
    use crate::halo::ClientConfig;
    use crate::resources::organisation::{OrganisationModel, OrganisationResource};
    use crate::resources::support::NameFilter;

    fn sim_and_client() -> (Sim, HaloClient) {
        let opts = SimOptions {
            client_id: "id".into(),
            client_secret: "secret".into(),
            ..SimOptions::default()
        };
        let sim = Sim::start(opts).expect("halo-sim starts");
        let url = url::Url::parse(&sim.url()).expect("sim url");
        let mut config = ClientConfig::new(url, "id", "secret");
        config.timeout = Duration::from_secs(5);
        config.backoff_base = Duration::from_millis(1);
        config.backoff_cap = Duration::from_millis(5);
        config.batch_creates = false;
        let client = HaloClient::new(config).expect("a client");
        (sim, client)
    }

    fn org(name: &str) -> OrganisationModel {
        OrganisationModel {
            name: name.to_string(),
            ..OrganisationModel::default()
        }
    }

    #[test]
    fn a_write_knows_its_id_and_prior_state() {
        let prior = org("a");
        let create: Write<'_, OrganisationModel, i64> = Write::Create;
        assert_eq!(create.id(), None);
        assert!(create.prior().is_none());
        let update = Write::Update {
            id: 7,
            prior: &prior,
        };
        assert_eq!(update.id(), Some(7));
        assert_eq!(update.prior(), Some(&prior));
    }

    #[test]
    fn the_key_is_the_id_attribute_parsed_as_halo_id() {
        let mut state = org("a");
        state.id = Some("12".to_string());
        assert_eq!(
            <Object<OrganisationResource> as Resource<HaloClient>>::key(&state).ok(),
            Some(12)
        );
        state.id = Some("x".to_string());
        assert!(<Object<OrganisationResource> as Resource<HaloClient>>::key(&state).is_err());
        assert!(
            <Object<OrganisationResource> as Resource<HaloClient>>::parse_import_id("0").is_err()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn create_read_update_list_and_delete_follow_from_the_mapping() {
        let (sim, halo) = sim_and_client();
        let r = Object(OrganisationResource);
        let seeded = sim.objects(Kind::Organisation).len();
        let created = r.create(&halo, org("Acme")).await.expect("created");
        let id = created.id.clone().expect("an id");
        assert_eq!(created.name, "Acme");
        assert_eq!(sim.objects(Kind::Organisation).len(), seeded + 1);

        let key: i64 = id.parse().expect("an integer id");
        let read = r.read(&halo, key, Some(&created)).await.expect("read");
        assert_eq!(read.as_ref(), Some(&created));

        let mut changed = created.clone();
        changed.name = "Acme Ltd".to_string();
        let updated = r
            .update(&halo, created.clone(), changed)
            .await
            .expect("updated");
        assert_eq!(updated.name, "Acme Ltd");

        r.create(&halo, org("Other")).await.expect("created");
        let listed = r
            .list(
                &halo,
                NameFilter {
                    name: Some("ltd".to_string()),
                },
            )
            .await
            .expect("listed");
        assert_eq!(listed, vec![updated.clone()]);

        r.delete(&halo, updated).await.expect("deleted");
        assert_eq!(r.read(&halo, key, None).await.expect("read"), None);
    }
}
