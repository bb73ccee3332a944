//! The traits resources and data sources implement, with typed models, and the
//! type-erased forms the protocol server works with.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::{AttrPath, Diagnostic, Diagnostics};
use super::plan::Planned;
use super::schema::Schema;
use super::value::{Type, Value};
use crate::halo::{HaloClient, HaloError};

/// A failed create or update. When the object exists in Halo despite the failure
/// (a later step failed), `state` carries it so Terraform keeps tracking it.
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
        ApplyError {
            diagnostics: d.into(),
            state: None,
        }
    }
}

impl<M> From<HaloError> for ApplyError<M> {
    fn from(e: HaloError) -> Self {
        ApplyError {
            diagnostics: halo_diagnostic(&e).into(),
            state: None,
        }
    }
}

impl From<HaloError> for Diagnostics {
    fn from(e: HaloError) -> Self {
        halo_diagnostic(&e).into()
    }
}

/// The diagnostic for a failed Halo call, with Halo's own text in the detail.
pub fn halo_diagnostic(e: &HaloError) -> Diagnostic {
    Diagnostic::error("Halo API request failed", e.to_string())
}

/// A managed resource type, written against its typed model.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// The resource type name, e.g. `halopsa_organisation`.
    const TYPE_NAME: &'static str;
    /// The resource's state as a Rust type. Attributes left null are missing from the
    /// serialised form, so models derive `Default` and use `#[serde(default)]`.
    type Model: Serialize + DeserializeOwned + Default + Send + Sync;

    fn schema(&self) -> Schema;

    /// Checks beyond single-attribute validators (e.g. one attribute requires another).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Adjusts the generic plan (e.g. a computed value that a change will replace).
    fn modify_plan(&self, _prior: &Value, _config: &Value, _plan: &mut Planned) {}

    /// The state an import id stands for, before the first read. The default takes
    /// the id as the object's `id`.
    fn import(&self, id: &str) -> Result<Vec<(&'static str, Value)>, Diagnostic> {
        let id = id.trim();
        if id.is_empty() {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!(
                    "Importing {} needs the object's Halo id; got an empty string.",
                    Self::TYPE_NAME
                ),
            ));
        }
        Ok(vec![("id", Value::string(id))])
    }

    /// Rewrites stored state written by an older schema version (JSON form).
    fn upgrade_state(
        &self,
        _from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic> {
        Ok(state)
    }

    /// The filters of a `list` block (`terraform query`), or `None` when the type
    /// cannot be listed.
    fn list_schema(&self) -> Option<Schema> {
        None
    }

    /// Every object matching the list block's filters, as full state.
    async fn list(
        &self,
        _halo: &HaloClient,
        _filter: &Value,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        Ok(Vec::new())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>>;
    /// `Ok(None)` when the object no longer exists in Halo.
    async fn read(
        &self,
        halo: &HaloClient,
        state: Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics>;
    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>>;
    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics>;
}

/// A data source type, written against its typed model.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    type Model: Serialize + DeserializeOwned + Default + Send + Sync;

    fn schema(&self) -> Schema;

    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    async fn read(
        &self,
        halo: &HaloClient,
        config: Self::Model,
    ) -> Result<Self::Model, Diagnostics>;
}

/// Converts a value of `ty` into a typed model.
pub fn to_model<M: DeserializeOwned>(value: &Value) -> Result<M, Diagnostic> {
    serde_json::from_value(value.to_json()).map_err(|e| {
        Diagnostic::error(
            "Internal error: state does not fit the model",
            e.to_string(),
        )
    })
}

/// Converts a typed model into a value of `ty`.
pub fn from_model<M: Serialize>(model: &M, ty: &Type) -> Result<Value, Diagnostic> {
    let json = serde_json::to_value(model).map_err(|e| {
        Diagnostic::error("Internal error: model does not serialise", e.to_string())
    })?;
    Value::from_json(&json, ty, false)
        .map_err(|e| Diagnostic::error("Internal error: model does not fit the schema", e))
}

/// The outcome of an apply step in value form: the new state (if any) and diagnostics.
pub struct Applied {
    pub state: Value,
    pub diagnostics: Diagnostics,
}

/// A resource with its model erased, as the protocol server sees it.
#[async_trait]
pub trait AnyResource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned);
    fn import(&self, id: &str) -> Result<Vec<(&'static str, Value)>, Diagnostic>;
    fn upgrade_state(
        &self,
        from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic>;
    fn list_schema(&self) -> Option<Schema>;
    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
        ty: &Type,
    ) -> Result<Vec<Value>, Diagnostics>;
    async fn create(&self, halo: &HaloClient, plan: &Value, ty: &Type) -> Applied;
    async fn read(&self, halo: &HaloClient, state: &Value, ty: &Type) -> Applied;
    async fn update(&self, halo: &HaloClient, prior: &Value, plan: &Value, ty: &Type) -> Applied;
    async fn delete(&self, halo: &HaloClient, state: &Value) -> Diagnostics;
}

fn applied<M: Serialize>(result: Result<M, ApplyError<M>>, ty: &Type, fallback: &Value) -> Applied {
    let (model, mut diagnostics) = match result {
        Ok(m) => (Some(m), Diagnostics::new()),
        Err(e) => (e.state, e.diagnostics),
    };
    let state = match model.map(|m| from_model(&m, ty)) {
        Some(Ok(v)) => v,
        Some(Err(d)) => {
            diagnostics.push(d);
            fallback.clone()
        }
        None => fallback.clone(),
    };
    Applied { state, diagnostics }
}

#[async_trait]
impl<R: Resource> AnyResource for R {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Resource::schema(self)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        Resource::validate(self, config, diags);
    }

    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned) {
        Resource::modify_plan(self, prior, config, plan);
    }

    fn import(&self, id: &str) -> Result<Vec<(&'static str, Value)>, Diagnostic> {
        Resource::import(self, id)
    }

    fn upgrade_state(
        &self,
        from_version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostic> {
        Resource::upgrade_state(self, from_version, state)
    }

    fn list_schema(&self) -> Option<Schema> {
        Resource::list_schema(self)
    }

    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
        ty: &Type,
    ) -> Result<Vec<Value>, Diagnostics> {
        let models = Resource::list(self, halo, filter).await?;
        models
            .iter()
            .map(|m| from_model(m, ty).map_err(Diagnostics::from))
            .collect()
    }

    async fn create(&self, halo: &HaloClient, plan: &Value, ty: &Type) -> Applied {
        let model = match to_model::<R::Model>(plan) {
            Ok(m) => m,
            Err(d) => {
                return Applied {
                    state: Value::Null,
                    diagnostics: d.into(),
                }
            }
        };
        applied(Resource::create(self, halo, model).await, ty, &Value::Null)
    }

    async fn read(&self, halo: &HaloClient, state: &Value, ty: &Type) -> Applied {
        let model = match to_model::<R::Model>(state) {
            Ok(m) => m,
            Err(d) => {
                return Applied {
                    state: state.clone(),
                    diagnostics: d.into(),
                }
            }
        };
        match Resource::read(self, halo, model).await {
            Ok(Some(m)) => applied::<R::Model>(Ok(m), ty, state),
            Ok(None) => Applied {
                state: Value::Null,
                diagnostics: Diagnostics::new(),
            },
            Err(diagnostics) => Applied {
                state: state.clone(),
                diagnostics,
            },
        }
    }

    async fn update(&self, halo: &HaloClient, prior: &Value, plan: &Value, ty: &Type) -> Applied {
        let models = to_model::<R::Model>(prior).and_then(|p| Ok((p, to_model::<R::Model>(plan)?)));
        let (prior_model, plan_model) = match models {
            Ok(m) => m,
            Err(d) => {
                return Applied {
                    state: prior.clone(),
                    diagnostics: d.into(),
                }
            }
        };
        applied(
            Resource::update(self, halo, prior_model, plan_model).await,
            ty,
            prior,
        )
    }

    async fn delete(&self, halo: &HaloClient, state: &Value) -> Diagnostics {
        match to_model::<R::Model>(state) {
            Ok(m) => Resource::delete(self, halo, m)
                .await
                .err()
                .unwrap_or_default(),
            Err(d) => d.into(),
        }
    }
}

/// A data source with its model erased.
#[async_trait]
pub trait AnyDataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    async fn read(&self, halo: &HaloClient, config: &Value, ty: &Type) -> Applied;
}

#[async_trait]
impl<D: DataSource> AnyDataSource for D {
    fn type_name(&self) -> &'static str {
        D::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        DataSource::schema(self)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        DataSource::validate(self, config, diags);
    }

    async fn read(&self, halo: &HaloClient, config: &Value, ty: &Type) -> Applied {
        let model = match to_model::<D::Model>(config) {
            Ok(m) => m,
            Err(d) => {
                return Applied {
                    state: Value::Null,
                    diagnostics: d.into(),
                }
            }
        };
        applied(
            DataSource::read(self, halo, model)
                .await
                .map_err(ApplyError::from),
            ty,
            &Value::Null,
        )
    }
}

/// An error that points at the attribute `name`.
pub fn attr_error(name: &str, summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    Diagnostic::attribute_error(AttrPath::root(name), summary, detail)
}
