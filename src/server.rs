//! The tfplugin6 `Provider` service: decodes Terraform's requests, hands them to
//! the framework and the resource types, and encodes the answers.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use futures::Stream;
use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::framework::codec;
use crate::framework::{
    plan_resource, validate_config, AnyDataSource, AnyResource, Applied, AttrPath, Attribute,
    AttributeKind, Diagnostic, Diagnostics, Model, Presence, Schema, Severity, Step, Type, Value,
};
use crate::halo::HaloClient;
use crate::plugin::proto::tfplugin6 as pb;
use crate::provider::{self, ProviderConfig};

/// A resource type with its schema built once.
struct ResourceEntry {
    imp: Box<dyn AnyResource<HaloClient>>,
    schema: Schema,
    ty: Type,
    /// Filters of `list` blocks, for types that can be listed.
    list: Option<(Schema, Type)>,
}

struct DataSourceEntry {
    imp: Box<dyn AnyDataSource<HaloClient>>,
    schema: Schema,
    ty: Type,
}

/// Schemas and types, built on first use (Terraform may never ask).
struct Catalog {
    provider: Schema,
    provider_ty: Type,
    resources: HashMap<&'static str, ResourceEntry>,
    data_sources: HashMap<&'static str, DataSourceEntry>,
}

impl Catalog {
    fn build() -> Catalog {
        let provider = provider::schema();
        let provider_ty = provider.value_type();
        let resources = provider::resources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                let list = Some(imp.list_schema()).map(|s| {
                    let t = s.value_type();
                    (s, t)
                });
                (
                    imp.type_name(),
                    ResourceEntry {
                        imp,
                        schema,
                        ty,
                        list,
                    },
                )
            })
            .collect();
        let data_sources = provider::data_sources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                (imp.type_name(), DataSourceEntry { imp, schema, ty })
            })
            .collect();
        Catalog {
            provider,
            provider_ty,
            resources,
            data_sources,
        }
    }
}

/// The provider as a gRPC service. Cheap to clone.
#[derive(Clone, Default)]
pub struct ProviderService {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    catalog: OnceLock<Catalog>,
    client: RwLock<Option<HaloClient>>,
    /// Cancelled by StopProvider; replaced by a fresh token afterwards so the
    /// provider keeps serving.
    stop: std::sync::Mutex<CancellationToken>,
}

type Result<T> = std::result::Result<Response<T>, Status>;

impl ProviderService {
    pub fn new() -> ProviderService {
        ProviderService::default()
    }

    fn catalog(&self) -> &Catalog {
        self.inner.catalog.get_or_init(Catalog::build)
    }

    fn resource(&self, name: &str) -> std::result::Result<&ResourceEntry, Status> {
        self.catalog()
            .resources
            .get(name)
            .ok_or_else(|| Status::not_found(format!("unknown resource type {name:?}")))
    }

    fn data_source(&self, name: &str) -> std::result::Result<&DataSourceEntry, Status> {
        self.catalog()
            .data_sources
            .get(name)
            .ok_or_else(|| Status::not_found(format!("unknown data source type {name:?}")))
    }

    fn stop_token(&self) -> CancellationToken {
        match self.inner.stop.lock() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The configured client bound to the current stop token, or an error saying
    /// the provider block could not be used.
    async fn client(&self) -> std::result::Result<(HaloClient, CancellationToken), Diagnostics> {
        let token = self.stop_token();
        match self.inner.client.read().await.as_ref() {
            Some(c) => Ok((c.with_cancel(token.clone()), token)),
            None => Err(Diagnostic::error(
                "Provider not configured",
                "The halopsa provider has no usable configuration yet (its settings may depend on \
                 values known only after apply). Set url, client_id and client_secret to known values.",
            )
            .into()),
        }
    }
}

/// Runs `op` unless Terraform cancels the run (StopProvider) first.
async fn cancellable<T>(
    token: &CancellationToken,
    op: impl std::future::Future<Output = T>,
    cancelled: impl FnOnce() -> T,
) -> T {
    tokio::select! {
        r = op => r,
        _ = token.cancelled() => cancelled(),
    }
}

fn cancelled_diag() -> Diagnostics {
    Diagnostic::error(
        "Operation cancelled",
        "Terraform asked the provider to stop; the request was abandoned.",
    )
    .into()
}

// ---- conversions -------------------------------------------------------------

fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> std::result::Result<Value, Diagnostics> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    if !dv.msgpack.is_empty() {
        return codec::decode(&dv.msgpack, ty)
            .map_err(|e| Diagnostic::error("Invalid value from Terraform", e.to_string()).into());
    }
    if !dv.json.is_empty() {
        let json: serde_json::Value = serde_json::from_slice(&dv.json)
            .map_err(|e| Diagnostic::error("Invalid JSON value from Terraform", e.to_string()))?;
        return Value::from_json(&json, ty, true)
            .map_err(|e| Diagnostic::error("Invalid JSON value from Terraform", e).into());
    }
    Ok(Value::Null)
}

fn encode(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: codec::encode(v, ty),
        json: Vec::new(),
    })
}

fn diags_to_pb(d: &Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.iter()
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error as i32,
                Severity::Warning => pb::diagnostic::Severity::Warning as i32,
            },
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute: d.path.as_ref().map(path_to_pb),
        })
        .collect()
}

fn path_to_pb(p: &AttrPath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    Step::Attribute(a) => Selector::AttributeName(a.clone()),
                    Step::Key(k) => Selector::ElementKeyString(k.clone()),
                    Step::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

fn attribute_to_pb(name: &str, a: &Attribute) -> pb::schema::Attribute {
    let (r#type, nested_type) = match &a.kind {
        AttributeKind::Value(t) => (t.to_json().to_string().into_bytes(), None),
        AttributeKind::Nested(attrs) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: attrs.iter().map(|(n, a)| attribute_to_pb(n, a)).collect(),
                nesting: pb::schema::object::NestingMode::Single as i32,
                ..Default::default()
            }),
        ),
    };
    pb::schema::Attribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.to_string(),
        required: a.presence == Presence::Required,
        optional: matches!(a.presence, Presence::Optional | Presence::OptionalComputed),
        computed: a.presence.is_computed(),
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        write_only: false,
        deprecation_message: String::new(),
    }
}

pub fn schema_to_pb(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(pb::schema::Block {
            version: s.version,
            attributes: s
                .attributes
                .iter()
                .map(|(n, a)| attribute_to_pb(n, a))
                .collect(),
            block_types: Vec::new(),
            description: s.description.to_string(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: false,
            deprecation_message: String::new(),
        }),
    }
}

fn capabilities() -> Option<pb::ServerCapabilities> {
    Some(pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    })
}

// ---- resource identity ---------------------------------------------------------
//
// Every resource is identified by its `id` (composite for memberships), so one
// identity schema serves them all: `{ id = "..." }` in import blocks.

fn identity_type() -> Type {
    Type::Object([("id".to_string(), Type::String)].into_iter().collect())
}

fn identity_schema() -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: 0,
        identity_attributes: vec![pb::resource_identity_schema::IdentityAttribute {
            name: "id".to_string(),
            r#type: Type::String.to_json().to_string().into_bytes(),
            required_for_import: true,
            optional_for_import: false,
            description: "The object's id, as in the resource's `id` attribute (for memberships `PARENT_ID/DEPARTMENT_ID`).".to_string(),
        }],
    }
}

/// The identity of a state: its `id`, when known.
fn identity_of(state: &Value) -> Option<pb::ResourceIdentityData> {
    let id = state.attr("id").as_str()?;
    let identity = Value::Object(
        [("id".to_string(), Value::string(id))]
            .into_iter()
            .collect(),
    );
    Some(pb::ResourceIdentityData {
        identity_data: encode(&identity, &identity_type()),
    })
}

/// The `id` an identity names.
fn identity_id(identity: Option<&pb::ResourceIdentityData>) -> Option<String> {
    let data = identity?.identity_data.as_ref()?;
    let value = decode(Some(data), &identity_type()).ok()?;
    value.attr("id").as_str().map(str::to_owned)
}

/// Replaces values still unknown after apply with null: Terraform refuses unknowns
/// in a new state.
fn settle_unknowns(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, settle_unknowns(v)))
                .collect(),
        ),
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| (k, settle_unknowns(v)))
                .collect(),
        ),
        Value::List(l) => Value::List(l.into_iter().map(settle_unknowns).collect()),
        Value::Set(l) => Value::Set(l.into_iter().map(settle_unknowns).collect()),
        other => other,
    }
}

/// Terraform requires an applied state to match every value the plan knew. Where
/// Halo answered something else for a configured value, the planned value is kept
/// (the next refresh shows Halo's value as drift) instead of failing the apply.
fn keep_planned_values(applied: &mut Value, planned: &Value, type_name: &str) {
    if let (Value::Object(new), Value::Object(plan)) = (applied, planned) {
        for (name, planned_value) in plan {
            if planned_value.contains_unknown() {
                continue;
            }
            if let Some(current) = new.get_mut(name) {
                if !current.semantically_equal(planned_value) {
                    tracing::warn!(
                        resource = type_name,
                        attribute = name.as_str(),
                        "Halo stored a different value than planned; keeping the planned value"
                    );
                    *current = planned_value.clone();
                }
            }
        }
    }
}

// ---- the service -------------------------------------------------------------

type EventStream<T> = Pin<Box<dyn Stream<Item = std::result::Result<T, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _r: Request<pb::get_metadata::Request>,
    ) -> Result<pb::get_metadata::Response> {
        let c = self.catalog();
        let mut resources: Vec<_> = c.resources.keys().map(|n| n.to_string()).collect();
        let mut data_sources: Vec<_> = c.data_sources.keys().map(|n| n.to_string()).collect();
        let mut lists: Vec<_> = c
            .resources
            .iter()
            .filter(|(_, e)| e.list.is_some())
            .map(|(n, _)| n.to_string())
            .collect();
        resources.sort();
        data_sources.sort();
        lists.sort();
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: capabilities(),
            diagnostics: Vec::new(),
            data_sources: data_sources
                .into_iter()
                .map(|type_name| pb::get_metadata::DataSourceMetadata { type_name })
                .collect(),
            resources: resources
                .into_iter()
                .map(|type_name| pb::get_metadata::ResourceMetadata { type_name })
                .collect(),
            list_resources: lists
                .into_iter()
                .map(|type_name| pb::get_metadata::ListResourceMetadata { type_name })
                .collect(),
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _r: Request<pb::get_provider_schema::Request>,
    ) -> Result<pb::get_provider_schema::Response> {
        let c = self.catalog();
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(schema_to_pb(&c.provider)),
            resource_schemas: c
                .resources
                .iter()
                .map(|(n, e)| (n.to_string(), schema_to_pb(&e.schema)))
                .collect(),
            data_source_schemas: c
                .data_sources
                .iter()
                .map(|(n, e)| (n.to_string(), schema_to_pb(&e.schema)))
                .collect(),
            list_resource_schemas: c
                .resources
                .iter()
                .filter_map(|(n, e)| {
                    e.list
                        .as_ref()
                        .map(|(s, _)| (n.to_string(), schema_to_pb(s)))
                })
                .collect(),
            server_capabilities: capabilities(),
            ..Default::default()
        }))
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> Result<pb::validate_provider_config::Response> {
        let r = r.into_inner();
        let c = self.catalog();
        let mut diags = Diagnostics::new();
        match decode(r.config.as_ref(), &c.provider_ty) {
            Ok(config) => validate_config(
                &c.provider.attributes,
                &config,
                &Default::default(),
                &mut diags,
            ),
            Err(d) => diags.extend(d),
        }
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diags_to_pb(&diags),
        }))
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> Result<pb::validate_resource_config::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let mut diags = Diagnostics::new();
        match decode(r.config.as_ref(), &e.ty) {
            Ok(config) => {
                validate_config(
                    &e.schema.attributes,
                    &config,
                    &Default::default(),
                    &mut diags,
                );
                e.imp.validate(&config, &mut diags);
            }
            Err(d) => diags.extend(d),
        }
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diags_to_pb(&diags),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<pb::validate_data_resource_config::Response> {
        let r = r.into_inner();
        let e = self.data_source(&r.type_name)?;
        let mut diags = Diagnostics::new();
        match decode(r.config.as_ref(), &e.ty) {
            Ok(config) => {
                validate_config(
                    &e.schema.attributes,
                    &config,
                    &Default::default(),
                    &mut diags,
                );
                e.imp.validate(&config, &mut diags);
            }
            Err(d) => diags.extend(d),
        }
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diags_to_pb(&diags),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<pb::upgrade_resource_state::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let raw = r.raw_state.unwrap_or_default();
        let outcome = (|| -> std::result::Result<Value, Diagnostics> {
            if raw.json.is_empty() {
                if raw.flatmap.is_empty() {
                    return Ok(Value::Null);
                }
                return Err(Diagnostic::error(
                    "Unsupported state format",
                    "This state was written in Terraform's pre-0.12 flatmap form, which the halopsa provider never wrote.",
                )
                .into());
            }
            let mut json: serde_json::Value = serde_json::from_slice(&raw.json).map_err(|err| {
                Diagnostic::error("Stored state is not valid JSON", err.to_string())
            })?;
            if r.version > e.schema.version {
                return Err(Diagnostic::error(
                    "State written by a newer provider",
                    format!(
                        "The stored {} state has schema version {}, newer than this provider's {}. Use the newer provider version.",
                        r.type_name, r.version, e.schema.version
                    ),
                )
                .into());
            }
            if r.version < e.schema.version {
                json = e.imp.upgrade_state(r.version, json)?;
            }
            // Attributes a previous version had and this one dropped are left behind.
            Value::from_json(&json, &e.ty, false).map_err(|err| {
                Diagnostic::error("Stored state does not fit the schema", err).into()
            })
        })();
        Ok(Response::new(match outcome {
            Ok(v) => pb::upgrade_resource_state::Response {
                upgraded_state: encode(&v, &e.ty),
                diagnostics: Vec::new(),
            },
            Err(d) => pb::upgrade_resource_state::Response {
                upgraded_state: None,
                diagnostics: diags_to_pb(&d),
            },
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _r: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<pb::get_resource_identity_schemas::Response> {
        let c = self.catalog();
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas: c
                .resources
                .keys()
                .map(|n| (n.to_string(), identity_schema()))
                .collect(),
            diagnostics: Vec::new(),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<pb::upgrade_resource_identity::Response> {
        let r = r.into_inner();
        self.resource(&r.type_name)?;
        let json = r.raw_identity.map(|raw| raw.json).unwrap_or_default();
        let outcome = serde_json::from_slice::<serde_json::Value>(&json)
            .map_err(|e| e.to_string())
            .and_then(|j| Value::from_json(&j, &identity_type(), false));
        Ok(Response::new(match outcome {
            Ok(v) => pb::upgrade_resource_identity::Response {
                upgraded_identity: Some(pb::ResourceIdentityData {
                    identity_data: encode(&v, &identity_type()),
                }),
                diagnostics: Vec::new(),
            },
            Err(e) => pb::upgrade_resource_identity::Response {
                upgraded_identity: None,
                diagnostics: diags_to_pb(
                    &Diagnostic::error("Stored identity is not valid", e).into(),
                ),
            },
        }))
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> Result<pb::configure_provider::Response> {
        let r = r.into_inner();
        let c = self.catalog();
        let outcome = decode(r.config.as_ref(), &c.provider_ty).and_then(|config| {
            if config.contains_unknown() {
                return Err(Diagnostic::error(
                    "Provider configuration not known yet",
                    "The halopsa provider block uses values known only after apply; it cannot be configured during this plan.",
                )
                .into());
            }
            let parsed: ProviderConfig = ProviderConfig::from_value(&config)?;
            provider::configure(parsed)
        });
        let diags = match outcome {
            Ok(client) => {
                *self.inner.client.write().await = Some(client);
                Diagnostics::new()
            }
            Err(d) => d,
        };
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diags_to_pb(&diags),
        }))
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> Result<pb::read_resource::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let respond =
            |state: &Value, diags: &Diagnostics, private: Vec<u8>| pb::read_resource::Response {
                new_state: encode(state, &e.ty),
                diagnostics: diags_to_pb(diags),
                private,
                new_identity: identity_of(state),
                ..Default::default()
            };
        let current = match decode(r.current_state.as_ref(), &e.ty) {
            Ok(v) => v,
            Err(d) => return Ok(Response::new(respond(&Value::Null, &d, r.private))),
        };
        if current.is_null() {
            return Ok(Response::new(respond(
                &Value::Null,
                &Diagnostics::new(),
                r.private,
            )));
        }
        let (client, token) = match self.client().await {
            Ok(c) => c,
            Err(d) => return Ok(Response::new(respond(&current, &d, r.private))),
        };
        let applied = cancellable(&token, e.imp.read(&client, &current), || Applied {
            state: current.clone(),
            diagnostics: cancelled_diag(),
        })
        .await;
        Ok(Response::new(respond(
            &applied.state,
            &applied.diagnostics,
            r.private,
        )))
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> Result<pb::plan_resource_change::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let decoded = decode(r.prior_state.as_ref(), &e.ty).and_then(|prior| {
            Ok((
                prior,
                decode(r.proposed_new_state.as_ref(), &e.ty)?,
                decode(r.config.as_ref(), &e.ty)?,
            ))
        });
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(d) => {
                return Ok(Response::new(pb::plan_resource_change::Response {
                    diagnostics: diags_to_pb(&d),
                    ..Default::default()
                }))
            }
        };
        let mut planned = plan_resource(&e.schema, &prior, &proposed, &config);
        if !planned.state.is_null() {
            e.imp.modify_plan(&prior, &config, &mut planned);
        }
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state: encode(&planned.state, &e.ty),
            requires_replace: planned.requires_replace.iter().map(path_to_pb).collect(),
            planned_identity: identity_of(&planned.state).or(r.prior_identity),
            planned_private: r.prior_private,
            ..Default::default()
        }))
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> Result<pb::apply_resource_change::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let respond = |state: &Value, diags: &Diagnostics, private: Vec<u8>| {
            pb::apply_resource_change::Response {
                new_state: encode(state, &e.ty),
                private,
                diagnostics: diags_to_pb(diags),
                new_identity: identity_of(state),
                ..Default::default()
            }
        };
        let decoded = decode(r.prior_state.as_ref(), &e.ty)
            .and_then(|prior| Ok((prior, decode(r.planned_state.as_ref(), &e.ty)?)));
        let (prior, planned) = match decoded {
            Ok(v) => v,
            Err(d) => return Ok(Response::new(respond(&Value::Null, &d, Vec::new()))),
        };
        let (client, token) = match self.client().await {
            Ok(c) => c,
            Err(d) => return Ok(Response::new(respond(&prior, &d, r.planned_private))),
        };
        if planned.is_null() {
            let diags = cancellable(&token, e.imp.delete(&client, &prior), cancelled_diag).await;
            let state = if diags.has_errors() {
                prior
            } else {
                Value::Null
            };
            return Ok(Response::new(respond(&state, &diags, Vec::new())));
        }
        let work = async {
            if prior.is_null() {
                e.imp.create(&client, &planned).await
            } else {
                e.imp.update(&client, &prior, &planned).await
            }
        };
        let applied = cancellable(&token, work, || Applied {
            state: prior.clone(),
            diagnostics: cancelled_diag(),
        })
        .await;
        let mut state = settle_unknowns(applied.state);
        if !applied.diagnostics.has_errors() {
            keep_planned_values(&mut state, &planned, &r.type_name);
        }
        Ok(Response::new(respond(
            &state,
            &applied.diagnostics,
            r.planned_private,
        )))
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> Result<pb::import_resource_state::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        // `import { identity = { id = ... } }` sends the identity instead of an id.
        let id = match identity_id(r.identity.as_ref()) {
            Some(id) if r.id.is_empty() => id,
            _ => r.id.clone(),
        };
        let respond = |d: &Diagnostics| pb::import_resource_state::Response {
            diagnostics: diags_to_pb(d),
            ..Default::default()
        };
        let (client, token) = match self.client().await {
            Ok(c) => c,
            Err(d) => return Ok(Response::new(respond(&d))),
        };
        let imported = cancellable(&token, e.imp.import(&client, &id), || Applied {
            state: Value::Null,
            diagnostics: cancelled_diag(),
        })
        .await;
        if imported.diagnostics.has_errors() || imported.state.is_null() {
            return Ok(Response::new(respond(&imported.diagnostics)));
        }
        let state = imported.state;
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: r.type_name.clone(),
                identity: identity_of(&state),
                state: encode(&state, &e.ty),
                private: Vec::new(),
            }],
            diagnostics: diags_to_pb(&imported.diagnostics),
            ..Default::default()
        }))
    }

    async fn move_resource_state(
        &self,
        _r: Request<pb::move_resource_state::Request>,
    ) -> Result<pb::move_resource_state::Response> {
        let d: Diagnostics = Diagnostic::error(
            "Moving state is not supported",
            "The halopsa provider cannot take over state from another resource type.",
        )
        .into();
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: diags_to_pb(&d),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> Result<pb::read_data_source::Response> {
        let r = r.into_inner();
        let e = self.data_source(&r.type_name)?;
        let respond = |state: &Value, diags: &Diagnostics| pb::read_data_source::Response {
            state: encode(state, &e.ty),
            diagnostics: diags_to_pb(diags),
            deferred: None,
        };
        let config = match decode(r.config.as_ref(), &e.ty) {
            Ok(v) => v,
            Err(d) => return Ok(Response::new(respond(&Value::Null, &d))),
        };
        let (client, token) = match self.client().await {
            Ok(c) => c,
            Err(d) => return Ok(Response::new(respond(&Value::Null, &d))),
        };
        let applied = cancellable(&token, e.imp.read(&client, &config), || Applied {
            state: Value::Null,
            diagnostics: cancelled_diag(),
        })
        .await;
        Ok(Response::new(respond(
            &settle_unknowns(applied.state),
            &applied.diagnostics,
        )))
    }

    async fn generate_resource_config(
        &self,
        _r: Request<pb::generate_resource_config::Request>,
    ) -> Result<pb::generate_resource_config::Response> {
        Err(Status::unimplemented(
            "GenerateResourceConfig is not supported",
        ))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<pb::validate_ephemeral_resource_config::Response> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        _r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<pb::open_ephemeral_resource::Response> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn renew_ephemeral_resource(
        &self,
        _r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<pb::renew_ephemeral_resource::Response> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn close_ephemeral_resource(
        &self,
        _r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<pb::close_ephemeral_resource::Response> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    type ListResourceStream = EventStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> Result<Self::ListResourceStream> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let Some((list_schema, list_ty)) = &e.list else {
            return Err(Status::not_found(format!(
                "{} cannot be listed",
                r.type_name
            )));
        };
        let failed = |d: Diagnostics| -> Result<Self::ListResourceStream> {
            let event = pb::list_resource::Event {
                diagnostic: diags_to_pb(&d),
                ..Default::default()
            };
            Ok(Response::new(Box::pin(futures::stream::iter([Ok(event)]))))
        };
        let filter = match decode(r.config.as_ref(), list_ty) {
            Ok(v) => v,
            Err(d) => return failed(d),
        };
        let mut diags = Diagnostics::new();
        validate_config(
            &list_schema.attributes,
            &filter,
            &Default::default(),
            &mut diags,
        );
        if diags.has_errors() {
            return failed(diags);
        }
        let (client, token) = match self.client().await {
            Ok(c) => c,
            Err(d) => return failed(d),
        };
        let found = cancellable(&token, e.imp.list(&client, &filter), || {
            Err(cancelled_diag())
        })
        .await;
        let states = match found {
            Ok(states) => states,
            Err(d) => return failed(d),
        };
        let limit = usize::try_from(r.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(usize::MAX);
        let events: Vec<_> = states
            .into_iter()
            .take(limit)
            .map(|state| {
                Ok(pb::list_resource::Event {
                    identity: identity_of(&state),
                    display_name: state
                        .attr("name")
                        .as_str()
                        .or_else(|| state.attr("id").as_str())
                        .unwrap_or_default()
                        .to_string(),
                    resource_object: if r.include_resource_object {
                        encode(&state, &e.ty)
                    } else {
                        None
                    },
                    diagnostic: Vec::new(),
                })
            })
            .collect();
        Ok(Response::new(Box::pin(futures::stream::iter(events))))
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<pb::validate_list_resource_config::Response> {
        let r = r.into_inner();
        let e = self.resource(&r.type_name)?;
        let mut diags = Diagnostics::new();
        match &e.list {
            None => diags.error(
                "Not listable",
                format!("{} cannot be used in a list block.", r.type_name),
            ),
            Some((schema, ty)) => match decode(r.config.as_ref(), ty) {
                Ok(config) => {
                    validate_config(&schema.attributes, &config, &Default::default(), &mut diags)
                }
                Err(d) => diags.extend(d),
            },
        }
        Ok(Response::new(pb::validate_list_resource_config::Response {
            diagnostics: diags_to_pb(&diags),
        }))
    }

    async fn get_functions(
        &self,
        _r: Request<pb::get_functions::Request>,
    ) -> Result<pb::get_functions::Response> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn call_function(
        &self,
        _r: Request<pb::call_function::Request>,
    ) -> Result<pb::call_function::Response> {
        Err(Status::unimplemented("this provider has no functions"))
    }

    async fn validate_state_store_config(
        &self,
        _r: Request<pb::validate_state_store::Request>,
    ) -> Result<pb::validate_state_store::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn configure_state_store(
        &self,
        _r: Request<pb::configure_state_store::Request>,
    ) -> Result<pb::configure_state_store::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    type ReadStateBytesStream = EventStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _r: Request<pb::read_state_bytes::Request>,
    ) -> Result<Self::ReadStateBytesStream> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn write_state_bytes(
        &self,
        _r: Request<tonic::Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<pb::write_state_bytes::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn lock_state(
        &self,
        _r: Request<pb::lock_state::Request>,
    ) -> Result<pb::lock_state::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn unlock_state(
        &self,
        _r: Request<pb::unlock_state::Request>,
    ) -> Result<pb::unlock_state::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn get_states(
        &self,
        _r: Request<pb::get_states::Request>,
    ) -> Result<pb::get_states::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn delete_state(
        &self,
        _r: Request<pb::delete_state::Request>,
    ) -> Result<pb::delete_state::Response> {
        Err(Status::unimplemented("this provider has no state stores"))
    }

    async fn plan_action(
        &self,
        _r: Request<pb::plan_action::Request>,
    ) -> Result<pb::plan_action::Response> {
        Err(Status::unimplemented("this provider has no actions"))
    }

    type InvokeActionStream = EventStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _r: Request<pb::invoke_action::Request>,
    ) -> Result<Self::InvokeActionStream> {
        Err(Status::unimplemented("this provider has no actions"))
    }

    async fn validate_action_config(
        &self,
        _r: Request<pb::validate_action_config::Request>,
    ) -> Result<pb::validate_action_config::Response> {
        Err(Status::unimplemented("this provider has no actions"))
    }

    async fn stop_provider(
        &self,
        _r: Request<pb::stop_provider::Request>,
    ) -> Result<pb::stop_provider::Response> {
        tracing::debug!("Terraform asked the provider to stop: cancelling requests in flight");
        let mut guard = match self.inner.stop.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.cancel();
        *guard = CancellationToken::new();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}
