//! The tfplugin6 `Provider` service: decodes Terraform's requests, hands them to
//! the framework and the provider's types, and encodes the answers.
//!
//! The service is built from a [`ProviderDefinition`] (schema, configure, types,
//! functions) that the binary injects; it knows no provider. This module holds the
//! service's state (the catalog of types, the configured client, the stop token)
//! and the one `Provider` trait impl tonic needs. Every RPC delegates to the module
//! of its group:
//!
//! - `convert`: protobuf <-> values, diagnostics, attribute paths, schemas;
//! - `schema`: GetMetadata, GetProviderSchema;
//! - `configure`: ConfigureProvider, StopProvider;
//! - `validate`: the provider's, resources' and data sources' configuration;
//! - `plan`: PlanResourceChange;
//! - `apply`: ApplyResourceChange;
//! - `read`: ReadResource, ImportResourceState, UpgradeResourceState, MoveResourceState;
//! - `list`: ListResource, ValidateListResourceConfig;
//! - `identity`: resource identity schemas, data and upgrades;
//! - `data`: ReadDataSource;
//! - `ephemeral`: ValidateEphemeralResourceConfig, Open/Renew/CloseEphemeralResource;
//! - `functions`: GetFunctions, CallFunction;
//! - `unsupported`: every RPC the provider does not implement.
//!
//! Each module's tests run its RPCs against the small fake provider of `testing`.

mod apply;
mod configure;
mod convert;
mod data;
mod definition;
mod ephemeral;
mod functions;
mod identity;
mod list;
mod plan;
mod read;
mod schema;
mod unsupported;
mod validate;

#[cfg(test)]
mod testing;

pub use definition::ProviderDefinition;

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use futures::Stream;
use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::framework::Type;
use crate::framework::{AnyDataSource, AnyEphemeral, AnyResource, Function};
use crate::framework::{Diagnostic, Diagnostics};
use crate::framework::{HeldReferences, Schema, Value};
use crate::plugin::proto::tfplugin6 as pb;

use unsupported::Missing;

/// A resource type with its schema built once.
struct ResourceEntry<C> {
    imp: Box<dyn AnyResource<C>>,
    schema: Schema,
    ty: Type,
    /// Filters of `list` blocks, for types that can be listed.
    list: Option<(Schema, Type)>,
}

struct DataSourceEntry<C> {
    imp: Box<dyn AnyDataSource<C>>,
    schema: Schema,
    ty: Type,
}

struct EphemeralEntry<C> {
    imp: Box<dyn AnyEphemeral<C>>,
    schema: Schema,
    ty: Type,
}

/// Schemas and types, built on first use (Terraform may never ask).
struct Catalog<C> {
    provider: Schema,
    provider_ty: Type,
    resources: HashMap<&'static str, ResourceEntry<C>>,
    data_sources: HashMap<&'static str, DataSourceEntry<C>>,
    ephemerals: HashMap<&'static str, EphemeralEntry<C>>,
    functions: HashMap<&'static str, Function>,
    /// By resource type, the attributes other types' attributes reference
    /// (`Attribute::references`): what a plan of the type offers to the
    /// plan-time checks of the resources planned after it.
    targets: HashMap<&'static str, Vec<&'static str>>,
}

impl<C: Send + Sync + 'static> Catalog<C> {
    fn build<D: ProviderDefinition<Client = C>>(definition: &D) -> Catalog<C> {
        let provider = definition.schema();
        let provider_ty = provider.value_type();
        let resources: HashMap<&'static str, ResourceEntry<C>> = definition
            .resources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                let list = definition.lists(imp.type_name()).then(|| {
                    let s = imp.list_schema();
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
        let data_sources = definition
            .data_sources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                (imp.type_name(), DataSourceEntry { imp, schema, ty })
            })
            .collect();
        let ephemerals = definition
            .ephemeral_resources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                (imp.type_name(), EphemeralEntry { imp, schema, ty })
            })
            .collect();
        let functions = definition
            .functions()
            .into_iter()
            .map(|f| (f.name, f))
            .collect();
        let mut targets: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for entry in resources.values() {
            for (_, attr) in &entry.schema.attributes {
                if let Some(r) = attr.references {
                    let attrs = targets.entry(r.type_name).or_default();
                    if !attrs.contains(&r.attribute) {
                        attrs.push(r.attribute);
                    }
                }
            }
        }
        Catalog {
            provider,
            provider_ty,
            resources,
            data_sources,
            ephemerals,
            functions,
            targets,
        }
    }
}

/// The provider as a gRPC service. Cheap to clone.
pub struct ProviderService<D: ProviderDefinition> {
    inner: Arc<Inner<D>>,
}

impl<D: ProviderDefinition> Clone for ProviderService<D> {
    fn clone(&self) -> Self {
        ProviderService {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<D: ProviderDefinition> {
    definition: D,
    catalog: OnceLock<Catalog<D::Client>>,
    client: RwLock<Option<D::Client>>,
    /// Cancelled by StopProvider; replaced by a fresh token afterwards so the
    /// provider keeps serving.
    stop: std::sync::Mutex<CancellationToken>,
    /// For the plan-time checks, over the life of the process (see
    /// [`HeldReferences`]): the references held by resources whose refresh
    /// found them gone, and what the resources planned so far offer.
    remembered: std::sync::Mutex<HeldReferences>,
}

/// What an RPC answers: a response, or a gRPC status for requests that make no
/// sense (an unknown type name, an RPC the provider does not implement).
type RpcResult<T> = std::result::Result<Response<T>, Status>;

/// A server-streaming RPC's stream of answers.
type EventStream<T> = Pin<Box<dyn Stream<Item = std::result::Result<T, Status>> + Send + 'static>>;

impl<D: ProviderDefinition> ProviderService<D> {
    /// The service of one provider; nothing is built until Terraform asks.
    pub fn new(definition: D) -> ProviderService<D> {
        ProviderService {
            inner: Arc::new(Inner {
                definition,
                catalog: OnceLock::new(),
                client: RwLock::new(None),
                stop: std::sync::Mutex::new(CancellationToken::new()),
                remembered: std::sync::Mutex::new(HeldReferences::default()),
            }),
        }
    }

    fn definition(&self) -> &D {
        &self.inner.definition
    }

    fn catalog(&self) -> &Catalog<D::Client> {
        self.inner
            .catalog
            .get_or_init(|| Catalog::build(&self.inner.definition))
    }

    fn resource(&self, name: &str) -> std::result::Result<&ResourceEntry<D::Client>, Status> {
        self.catalog()
            .resources
            .get(name)
            .ok_or_else(|| Status::not_found(format!("unknown resource type {name:?}")))
    }

    fn data_source(&self, name: &str) -> std::result::Result<&DataSourceEntry<D::Client>, Status> {
        self.catalog()
            .data_sources
            .get(name)
            .ok_or_else(|| Status::not_found(format!("unknown data source type {name:?}")))
    }

    fn ephemeral(&self, name: &str) -> std::result::Result<&EphemeralEntry<D::Client>, Status> {
        self.catalog()
            .ephemerals
            .get(name)
            .ok_or_else(|| Status::not_found(format!("unknown ephemeral resource type {name:?}")))
    }

    fn stop_token(&self) -> CancellationToken {
        match self.inner.stop.lock() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Remembers the references of a resource whose refresh found it gone
    /// (`state`, its last known state): Terraform then plans it as a create,
    /// with no prior state to tell that the state held them.
    fn remember_vanished(&self, schema: &Schema, state: &Value) {
        self.remember(&HeldReferences::of_state(&schema.attributes, state));
    }

    /// Remembers what the planned state of a `type_name` offers to references
    /// (its referenced attributes' known values): a resource planned after it
    /// may name it by a value known at plan before the apply creates it.
    fn remember_planned(&self, type_name: &'static str, planned: &Value) {
        if let Some(targets) = self.catalog().targets.get(type_name) {
            self.remember(&HeldReferences::of_plan(type_name, targets, planned));
        }
    }

    fn remember(&self, found: &HeldReferences) {
        if found.is_empty() {
            return;
        }
        match self.inner.remembered.lock() {
            Ok(mut v) => v.extend(found),
            Err(poisoned) => poisoned.into_inner().extend(found),
        }
    }

    /// The references a plan from `prior` already held (those of `prior`, of
    /// every resource found gone so far) and what the plans so far offer.
    fn held_references(&self, schema: &Schema, prior: &Value) -> HeldReferences {
        let mut held = HeldReferences::of_state(&schema.attributes, prior);
        match self.inner.remembered.lock() {
            Ok(v) => held.extend(&v),
            Err(poisoned) => held.extend(&poisoned.into_inner()),
        }
        held
    }

    /// The configured client bound to the current stop token, or an error saying
    /// the provider block could not be used.
    async fn client(&self) -> std::result::Result<(D::Client, CancellationToken), Diagnostics> {
        let token = self.stop_token();
        match self.inner.client.read().await.as_ref() {
            Some(c) => Ok((self.definition().bind(c, token.clone()), token)),
            None => {
                let hint = self.definition().configuration_hint();
                Err(Diagnostic::error(
                    "Provider not configured",
                    format!(
                        "The {} provider has no usable configuration yet (its settings may depend on \
                         values known only after apply).{}{hint}",
                        self.definition().name(),
                        if hint.is_empty() { "" } else { " " },
                    ),
                )
                .into())
            }
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

#[tonic::async_trait]
impl<D: ProviderDefinition> pb::provider_server::Provider for ProviderService<D> {
    async fn get_metadata(
        &self,
        _r: Request<pb::get_metadata::Request>,
    ) -> RpcResult<pb::get_metadata::Response> {
        schema::get_metadata(self)
    }

    async fn get_provider_schema(
        &self,
        _r: Request<pb::get_provider_schema::Request>,
    ) -> RpcResult<pb::get_provider_schema::Response> {
        schema::get_provider_schema(self)
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> RpcResult<pb::validate_provider_config::Response> {
        validate::provider_config(self, r.into_inner())
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> RpcResult<pb::validate_resource_config::Response> {
        validate::resource_config(self, r.into_inner())
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> RpcResult<pb::validate_data_resource_config::Response> {
        validate::data_resource_config(self, r.into_inner())
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> RpcResult<pb::upgrade_resource_state::Response> {
        read::upgrade_resource_state(self, r.into_inner())
    }

    async fn get_resource_identity_schemas(
        &self,
        _r: Request<pb::get_resource_identity_schemas::Request>,
    ) -> RpcResult<pb::get_resource_identity_schemas::Response> {
        identity::get_resource_identity_schemas(self)
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> RpcResult<pb::upgrade_resource_identity::Response> {
        identity::upgrade_resource_identity(self, r.into_inner())
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> RpcResult<pb::configure_provider::Response> {
        configure::configure_provider(self, r.into_inner()).await
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> RpcResult<pb::read_resource::Response> {
        read::read_resource(self, r.into_inner()).await
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> RpcResult<pb::plan_resource_change::Response> {
        plan::plan_resource_change(self, r.into_inner()).await
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> RpcResult<pb::apply_resource_change::Response> {
        apply::apply_resource_change(self, r.into_inner()).await
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> RpcResult<pb::import_resource_state::Response> {
        read::import_resource_state(self, r.into_inner()).await
    }

    async fn move_resource_state(
        &self,
        _r: Request<pb::move_resource_state::Request>,
    ) -> RpcResult<pb::move_resource_state::Response> {
        read::move_resource_state(self)
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> RpcResult<pb::read_data_source::Response> {
        data::read_data_source(self, r.into_inner()).await
    }

    async fn generate_resource_config(
        &self,
        _r: Request<pb::generate_resource_config::Request>,
    ) -> RpcResult<pb::generate_resource_config::Response> {
        unsupported::rpc("GenerateResourceConfig", Missing::ConfigGeneration)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> RpcResult<pb::validate_ephemeral_resource_config::Response> {
        ephemeral::validate(self, r.into_inner())
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> RpcResult<pb::open_ephemeral_resource::Response> {
        ephemeral::open(self, r.into_inner()).await
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> RpcResult<pb::renew_ephemeral_resource::Response> {
        ephemeral::renew(self, r.into_inner()).await
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> RpcResult<pb::close_ephemeral_resource::Response> {
        ephemeral::close(self, r.into_inner()).await
    }

    type ListResourceStream = EventStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> RpcResult<Self::ListResourceStream> {
        list::list_resource(self, r.into_inner()).await
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> RpcResult<pb::validate_list_resource_config::Response> {
        list::validate_list_resource_config(self, r.into_inner())
    }

    async fn get_functions(
        &self,
        _r: Request<pb::get_functions::Request>,
    ) -> RpcResult<pb::get_functions::Response> {
        functions::get_functions(self)
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> RpcResult<pb::call_function::Response> {
        functions::call_function(self, r.into_inner())
    }

    async fn validate_state_store_config(
        &self,
        _r: Request<pb::validate_state_store::Request>,
    ) -> RpcResult<pb::validate_state_store::Response> {
        unsupported::rpc("ValidateStateStoreConfig", Missing::StateStores)
    }

    async fn configure_state_store(
        &self,
        _r: Request<pb::configure_state_store::Request>,
    ) -> RpcResult<pb::configure_state_store::Response> {
        unsupported::rpc("ConfigureStateStore", Missing::StateStores)
    }

    type ReadStateBytesStream = EventStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _r: Request<pb::read_state_bytes::Request>,
    ) -> RpcResult<Self::ReadStateBytesStream> {
        unsupported::rpc("ReadStateBytes", Missing::StateStores)
    }

    async fn write_state_bytes(
        &self,
        _r: Request<tonic::Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> RpcResult<pb::write_state_bytes::Response> {
        unsupported::rpc("WriteStateBytes", Missing::StateStores)
    }

    async fn lock_state(
        &self,
        _r: Request<pb::lock_state::Request>,
    ) -> RpcResult<pb::lock_state::Response> {
        unsupported::rpc("LockState", Missing::StateStores)
    }

    async fn unlock_state(
        &self,
        _r: Request<pb::unlock_state::Request>,
    ) -> RpcResult<pb::unlock_state::Response> {
        unsupported::rpc("UnlockState", Missing::StateStores)
    }

    async fn get_states(
        &self,
        _r: Request<pb::get_states::Request>,
    ) -> RpcResult<pb::get_states::Response> {
        unsupported::rpc("GetStates", Missing::StateStores)
    }

    async fn delete_state(
        &self,
        _r: Request<pb::delete_state::Request>,
    ) -> RpcResult<pb::delete_state::Response> {
        unsupported::rpc("DeleteState", Missing::StateStores)
    }

    async fn plan_action(
        &self,
        _r: Request<pb::plan_action::Request>,
    ) -> RpcResult<pb::plan_action::Response> {
        unsupported::rpc("PlanAction", Missing::Actions)
    }

    type InvokeActionStream = EventStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _r: Request<pb::invoke_action::Request>,
    ) -> RpcResult<Self::InvokeActionStream> {
        unsupported::rpc("InvokeAction", Missing::Actions)
    }

    async fn validate_action_config(
        &self,
        _r: Request<pb::validate_action_config::Request>,
    ) -> RpcResult<pb::validate_action_config::Response> {
        unsupported::rpc("ValidateActionConfig", Missing::Actions)
    }

    async fn stop_provider(
        &self,
        _r: Request<pb::stop_provider::Request>,
    ) -> RpcResult<pb::stop_provider::Response> {
        configure::stop_provider(self)
    }
}
