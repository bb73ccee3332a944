//! The trait a managed resource type implements against its typed [`Model`], and
//! the type-erased form ([`AnyResource`]) the protocol server works with.
//!
//! The framework knows nothing of the API behind a resource: the client a resource
//! talks to is the type parameter `C` (the provider passes its API client).

use async_trait::async_trait;

use super::diag::{AttrPath, Diagnostic, Diagnostics};
use super::model::Model;
use super::plan::Planned;
use super::references::HeldReferences;
use super::schema::{reconcile, without, write_only_names, Attribute, Schema};
use super::value::Value;

/// A failed create or update. When the object exists despite the failure (a later
/// step failed), `state` carries it so Terraform keeps tracking it.
#[derive(Debug)]
pub struct ApplyError<M> {
    pub diagnostics: Diagnostics,
    pub state: Option<M>,
}

impl<M> ApplyError<M> {
    /// The object was created (or changed) but a later step failed.
    pub fn with_state(state: M, diagnostics: impl Into<Diagnostics>) -> Self {
        ApplyError {
            diagnostics: diagnostics.into(),
            state: Some(state),
        }
    }
}

impl<M> From<Diagnostics> for ApplyError<M> {
    fn from(diagnostics: Diagnostics) -> Self {
        ApplyError {
            diagnostics,
            state: None,
        }
    }
}

impl<M> From<Diagnostic> for ApplyError<M> {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::from(d).into()
    }
}

/// A managed resource type, written against its typed model.
///
/// An object is identified by a [`Resource::Key`], taken from state
/// ([`Resource::key`]) or from an import id ([`Resource::parse_import_id`]); reading
/// by key is the one way state is made from what the API holds, so an import is a
/// read without prior state.
#[async_trait]
pub trait Resource<C: Sync>: Send + Sync + 'static {
    /// The resource type name, e.g. `example_thing`.
    const TYPE_NAME: &'static str;
    /// What the resource is, for `terraform providers schema` and the docs.
    const DESCRIPTION: &'static str;
    /// The state attributes (strings) that identify an object: its resource
    /// identity (`import { identity = {...} }`, Terraform 1.12+) holds each, and
    /// the import id they name is their values joined by `/`.
    const IDENTITY: &'static [&'static str] = &["id"];
    /// The state's schema version; [`Resource::upgrade_state`] reads older ones.
    const SCHEMA_VERSION: i64 = 0;
    /// The resource's state; its declaration is the schema.
    type Model: Model + Clone;
    /// The filters of the resource's `list` block (`terraform query`).
    type Filter: Model;
    /// What identifies one object (its id, or the pair of ids of a membership).
    type Key: Send + Sync;

    /// The key of the object a state stands for.
    fn key(state: &Self::Model) -> Result<Self::Key, Diagnostic>;

    /// The key an import id (`terraform import`, `import {}`, identity) names.
    fn parse_import_id(id: &str) -> Result<Self::Key, Diagnostic>;

    /// Checks beyond single-attribute validators (e.g. one attribute requires another).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Adjusts the generic plan (e.g. a computed value that a change will replace).
    fn modify_plan(&self, _prior: &Value, _config: &Value, _plan: &mut Planned) {}

    /// Rewrites stored state written by an older schema version (JSON form).
    fn upgrade_state(
        &self,
        _from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic> {
        Ok(state)
    }

    /// Checks a plan against what the API holds (e.g. that a referenced object
    /// exists), so that a mistake fails `terraform plan` rather than the apply.
    /// Called after [`Resource::modify_plan`], only when the provider is
    /// configured and the plan is not a destroy; unknown values are the
    /// resource's to skip. `held` are the references the state already held
    /// (this resource's prior state, resources found gone earlier in the
    /// process): a missing one of those is a warning, not an error, so that a
    /// deletion outside Terraform never blocks a destroy
    /// ([`HeldReferences::missing`]).
    async fn check_plan(
        &self,
        _client: &C,
        _planned: &Value,
        _held: &HeldReferences,
    ) -> Diagnostics {
        Diagnostics::new()
    }

    /// Every object matching the list block's filters, as full state.
    async fn list(&self, client: &C, filter: Self::Filter)
        -> Result<Vec<Self::Model>, Diagnostics>;

    /// Creates the object. `plan` holds the configured value of each write-only
    /// attribute (null everywhere else); the answer's write-only values are
    /// dropped, so the resource need not clear them.
    async fn create(
        &self,
        client: &C,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>>;

    /// The object as the API holds it, `Ok(None)` when it no longer exists. `prior`
    /// is the state being refreshed (none on import), for values the API never
    /// answers again (a secret shown once).
    async fn read(
        &self,
        client: &C,
        key: Self::Key,
        prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics>;

    /// Updates the object; write-only values as for [`Resource::create`] (`prior`
    /// never holds one).
    async fn update(
        &self,
        client: &C,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>>;

    async fn delete(&self, client: &C, state: Self::Model) -> Result<(), Diagnostics>;
}

/// The outcome of an apply step in value form: the new state (if any) and diagnostics.
pub struct Applied {
    pub state: Value,
    pub diagnostics: Diagnostics,
}

impl Applied {
    fn failed(state: Value, diagnostics: impl Into<Diagnostics>) -> Applied {
        Applied {
            state,
            diagnostics: diagnostics.into(),
        }
    }
}

/// A resource with its model erased, as the protocol server sees it.
#[async_trait]
pub trait AnyResource<C: Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    /// [`Resource::IDENTITY`].
    fn identity(&self) -> &'static [&'static str];
    fn schema(&self) -> Schema;
    fn list_schema(&self) -> Schema;
    /// Whether the model can hold every value its schema allows ([`check_model`]).
    ///
    /// [`check_model`]: super::model::check_model
    fn check_model(&self) -> Result<(), String>;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned);
    /// [`Resource::check_plan`].
    async fn check_plan(&self, client: &C, planned: &Value, held: &HeldReferences) -> Diagnostics;
    fn upgrade_state(
        &self,
        from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic>;
    async fn list(&self, client: &C, filter: &Value) -> Result<Vec<Value>, Diagnostics>;
    /// Creates the object of `plan`. `config` is the apply's configuration: the
    /// only place write-only values are (see `with_write_only`).
    async fn create(&self, client: &C, plan: &Value, config: &Value) -> Applied;
    async fn read(&self, client: &C, state: &Value) -> Applied;
    /// The whole state of the object an import id names; an error when there is none.
    async fn import(&self, client: &C, id: &str) -> Applied;
    /// Updates the object of `prior` to `plan`; `config` as for [`AnyResource::create`].
    async fn update(&self, client: &C, prior: &Value, plan: &Value, config: &Value) -> Applied;
    async fn delete(&self, client: &C, state: &Value) -> Diagnostics;
}

/// The plan a resource's `create` or `update` decodes: `plan` with the value of
/// each write-only attribute taken from `config`. Terraform (1.11+) sends
/// write-only values in the apply's configuration only, null in the plan, so
/// the model the resource receives holds them for this one call; every answer
/// nulls them again ([`settle`], [`AnyResource::read`]).
pub fn with_write_only(plan: &Value, config: &Value, attrs: &[(&'static str, Attribute)]) -> Value {
    let mut out = plan.clone();
    if matches!(out, Value::Object(_)) {
        for name in write_only_names(attrs) {
            out.set_attr(name, config.attr(name).clone());
        }
    }
    out
}

/// The state of an applied model: the answer reconciled with the plan
/// ([`reconcile`]: kept values, declared semantic equality), write-only
/// attributes null. Nothing else is rewritten.
fn settle<M: Model>(
    result: Result<M, ApplyError<M>>,
    planned: &Value,
    fallback: &Value,
) -> Applied {
    let (model, diagnostics) = match result {
        Ok(m) => (Some(m), Diagnostics::new()),
        Err(e) => (e.state, e.diagnostics),
    };
    let Some(model) = model else {
        return Applied::failed(fallback.clone(), diagnostics);
    };
    let state = stored(&model, planned);
    Applied { state, diagnostics }
}

/// A model as state, reconciled with the value `known` before it (null for an
/// import or a list): see [`reconcile`]. Every write-only attribute is null.
fn stored<M: Model>(m: &M, known: &Value) -> Value {
    let attrs = M::attributes();
    let state = reconcile(&m.to_value(), known, &attrs);
    without(&state, write_only_names(&attrs))
}

/// An answer of the API as the framework makes it state when nothing was known
/// before (an import, a list, a data source's look-up): [`reconcile`]d with null.
/// A model that no longer decodes (never, for a model's own value) stays as it is.
pub fn answered<M: Model>(m: M) -> M {
    let value = reconcile(&m.to_value(), &Value::Null, &M::attributes());
    M::from_value(&value).unwrap_or(m)
}

#[async_trait]
impl<C: Sync, R: Resource<C>> AnyResource<C> for R {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }

    fn identity(&self) -> &'static [&'static str] {
        R::IDENTITY
    }

    fn schema(&self) -> Schema {
        Schema::of::<R::Model>(R::DESCRIPTION).version(R::SCHEMA_VERSION)
    }

    fn list_schema(&self) -> Schema {
        Schema::of::<R::Filter>("Filters for listing objects with `terraform query`.")
    }

    fn check_model(&self) -> Result<(), String> {
        super::model::check_model::<R::Model>()
            .and_then(|()| super::model::check_model::<R::Filter>())
            .map_err(|e| format!("{}: {e}", R::TYPE_NAME))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        Resource::validate(self, config, diags);
    }

    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned) {
        Resource::modify_plan(self, prior, config, plan);
    }

    async fn check_plan(&self, client: &C, planned: &Value, held: &HeldReferences) -> Diagnostics {
        Resource::check_plan(self, client, planned, held).await
    }

    fn upgrade_state(
        &self,
        from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic> {
        Resource::upgrade_state(self, from_version, state)
    }

    async fn list(&self, client: &C, filter: &Value) -> Result<Vec<Value>, Diagnostics> {
        let filter = R::Filter::from_value(filter)?;
        let models = Resource::list(self, client, filter).await?;
        Ok(models.iter().map(|m| stored(m, &Value::Null)).collect())
    }

    async fn create(&self, client: &C, plan: &Value, config: &Value) -> Applied {
        let attrs = <R::Model as Model>::attributes();
        let model = match R::Model::from_value(&with_write_only(plan, config, &attrs)) {
            Ok(m) => m,
            Err(d) => return Applied::failed(Value::Null, d),
        };
        settle(
            Resource::create(self, client, model).await,
            plan,
            &Value::Null,
        )
    }

    async fn read(&self, client: &C, state: &Value) -> Applied {
        let read = async {
            let prior = R::Model::from_value(state)?;
            let key = R::key(&prior)?;
            Resource::read(self, client, key, Some(&prior)).await
        };
        match read.await {
            Ok(Some(m)) => Applied {
                state: stored(&m, state),
                diagnostics: Diagnostics::new(),
            },
            Ok(None) => Applied::failed(Value::Null, Diagnostics::new()),
            Err(d) => Applied::failed(state.clone(), d),
        }
    }

    async fn import(&self, client: &C, id: &str) -> Applied {
        let read = async {
            let key = R::parse_import_id(id)?;
            Resource::read(self, client, key, None).await
        };
        match read.await {
            Ok(Some(m)) => Applied {
                state: stored(&m, &Value::Null),
                diagnostics: Diagnostics::new(),
            },
            Ok(None) => Applied::failed(
                Value::Null,
                Diagnostic::error(
                    "Cannot import non-existent remote object",
                    format!(
                        "There is no {} with the id {:?} to import.",
                        R::TYPE_NAME,
                        id.trim()
                    ),
                ),
            ),
            Err(d) => Applied::failed(Value::Null, d),
        }
    }

    async fn update(&self, client: &C, prior: &Value, plan: &Value, config: &Value) -> Applied {
        let attrs = <R::Model as Model>::attributes();
        let plan_in = with_write_only(plan, config, &attrs);
        let models =
            R::Model::from_value(prior).and_then(|p| Ok((p, R::Model::from_value(&plan_in)?)));
        let (prior_model, plan_model) = match models {
            Ok(m) => m,
            Err(d) => return Applied::failed(prior.clone(), d),
        };
        settle(
            Resource::update(self, client, prior_model, plan_model).await,
            plan,
            prior,
        )
    }

    async fn delete(&self, client: &C, state: &Value) -> Diagnostics {
        match R::Model::from_value(state) {
            Ok(m) => Resource::delete(self, client, m)
                .await
                .err()
                .unwrap_or_default(),
            Err(d) => d.into(),
        }
    }
}

/// A data source with its model erased, as the protocol server sees it.
#[async_trait]
pub trait AnyDataSource<C: Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Whether the data source's schema and the model it answers with agree.
    fn check_model(&self) -> Result<(), String>;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    async fn read(&self, client: &C, config: &Value) -> Applied;
}

/// An error that points at the attribute `name`.
pub fn attr_error(name: &str, summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    Diagnostic::attribute_error(AttrPath::root(name), summary, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Semantic;

    crate::model! {
        #[derive(Debug, Clone, Default, PartialEq)]
        struct Thing {
            id: Option<String> = computed(),
            guid: Option<String> = optional().semantic_equality(Semantic::IgnoreCase),
            name: Option<String> = optional(),
            secret: Option<String> = optional().write_only(),
        }
    }

    crate::model! {
        #[derive(Debug, Clone, Default, PartialEq)]
        struct Held {
            id: Option<String> = computed(),
            shown_once: Option<String> = computed().keep_prior_when_absent(),
            roles: Option<std::collections::BTreeSet<String>> = optional()
                .keep_prior_when_absent()
                .semantic_equality(Semantic::IgnoreCase),
            events: Option<std::collections::BTreeSet<i64>> = optional()
                .semantic_equality(Semantic::EmptyIsNull),
        }
    }

    fn set(items: &[&str]) -> Option<std::collections::BTreeSet<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn an_answer_without_a_kept_attribute_keeps_the_known_value_once_here() {
        let known = Held {
            id: Some("1".into()),
            shown_once: Some("s3cr3t".into()),
            roles: set(&["ab-cd"]),
            events: Some([4].into()),
        }
        .to_value();
        // Halo answered neither the secret nor the role list.
        let answer = Held {
            id: Some("1".into()),
            events: Some([4].into()),
            ..Held::default()
        };
        let applied = settle(Ok(answer.clone()), &known, &Value::Null);
        assert_eq!(applied.state, known);
        // The same rule on a refresh: the prior state is what was known.
        assert_eq!(stored(&answer, &known), known);
        // Nothing known (an import, a list): the answer stands.
        assert_eq!(stored(&answer, &Value::Null), answer.to_value());
        // An attribute that declares nothing is never kept.
        let mut no_id = known.clone();
        no_id.set_attr("id", Value::Null);
        let blank = Held::default();
        assert!(stored(&blank, &no_id).attr("id").is_null());
    }

    #[test]
    fn a_set_equal_under_its_semantic_keeps_the_known_spelling() {
        let known = Held {
            roles: set(&["ab-cd", "EF"]),
            ..Held::default()
        }
        .to_value();
        let answer = Held {
            roles: set(&["AB-CD", "ef"]),
            ..Held::default()
        };
        assert_eq!(stored(&answer, &known).attr("roles"), known.attr("roles"));
        // A different member is a difference Terraform sees.
        let other = Held {
            roles: set(&["AB-CD", "gh"]),
            ..Held::default()
        };
        assert_eq!(stored(&other, &known), other.to_value());
    }

    #[test]
    fn an_empty_set_reads_as_null_unless_the_known_value_was_empty() {
        let empty = Held {
            events: Some(Default::default()),
            ..Held::default()
        };
        assert!(stored(&empty, &Value::Null).attr("events").is_null());
        assert!(answered(empty.clone()).events.is_none());
        let known_empty = empty.to_value();
        assert_eq!(stored(&empty, &known_empty), known_empty);
        let known_some = Held {
            events: Some([4].into()),
            ..Held::default()
        }
        .to_value();
        assert!(stored(&empty, &known_some).attr("events").is_null());
    }

    fn value(pairs: &[(&str, Value)]) -> Value {
        let mut v = Thing::default().to_value();
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    #[test]
    fn with_write_only_takes_only_write_only_values_from_the_configuration() {
        let attrs = Thing::attributes();
        let plan = value(&[("id", Value::Unknown), ("name", Value::string("planned"))]);
        let config = value(&[
            ("name", Value::string("configured")),
            ("secret", Value::string("hush")),
        ]);
        let merged = with_write_only(&plan, &config, &attrs);
        assert_eq!(merged.attr("secret"), &Value::string("hush"));
        assert_eq!(merged.attr("name"), &Value::string("planned"));
        assert!(merged.attr("id").is_unknown());
        // A destroy's null plan stays null.
        assert!(with_write_only(&Value::Null, &config, &attrs).is_null());
    }

    #[test]
    fn settle_keeps_the_planned_spelling_only_where_the_attribute_declares_it() {
        let planned = value(&[
            ("id", Value::Unknown),
            ("guid", Value::string("AB-CD")),
            ("name", Value::string("Acme")),
        ]);
        let answered = Thing {
            id: Some("1".into()),
            guid: Some("ab-cd".into()),
            name: Some("acme".into()),
            secret: Some("hush".into()),
        };
        let applied = settle(Ok(answered), &planned, &Value::Null);
        assert!(applied.diagnostics.is_empty());
        assert_eq!(applied.state.attr("id"), &Value::string("1"));
        assert_eq!(applied.state.attr("guid"), &Value::string("AB-CD"));
        // No declared equality: the answer stands and Terraform sees the change.
        assert_eq!(applied.state.attr("name"), &Value::string("acme"));
        assert!(applied.state.attr("secret").is_null());

        let other = Thing {
            guid: Some("ef".into()),
            ..Thing::default()
        };
        let applied = settle(Ok(other), &planned, &Value::Null);
        assert_eq!(applied.state.attr("guid"), &Value::string("ef"));
    }

    #[test]
    fn settle_keeps_an_object_a_failed_step_left_or_else_the_fallback() {
        let planned = value(&[("name", Value::string("a"))]);
        let half = Thing {
            id: Some("1".into()),
            name: Some("a".into()),
            secret: Some("hush".into()),
            ..Thing::default()
        };
        let kept = settle(
            Err(ApplyError::with_state(
                half,
                Diagnostic::error("Later step", "failed"),
            )),
            &planned,
            &Value::Null,
        );
        assert_eq!(kept.diagnostics.0[0].summary, "Later step");
        assert_eq!(kept.state.attr("id"), &Value::string("1"));
        assert!(kept.state.attr("secret").is_null());

        let prior = value(&[("id", Value::string("9"))]);
        let failed = settle::<Thing>(
            Err(Diagnostic::error("Refused", "no").into()),
            &planned,
            &prior,
        );
        assert_eq!(failed.state, prior);
        assert!(failed.diagnostics.has_errors());
    }
}
