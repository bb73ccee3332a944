//! The tfplugin6 `Provider` service: decodes Terraform's requests, hands them to
//! the framework and the resource types, and encodes the answers.
//!
//! This module holds the service's state (the catalog of types, the configured
//! client, the stop token) with ConfigureProvider and StopProvider, which set
//! them, and the one `Provider` trait impl tonic needs. Every other RPC
//! delegates to the module of its group:
//!
//! - `convert`: protobuf <-> values, diagnostics, attribute paths, schemas;
//! - `schema`: GetMetadata, GetProviderSchema;
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

mod apply;
mod convert;
mod data;
mod ephemeral;
mod functions;
mod identity;
mod list;
mod plan;
mod read;
mod schema;
mod unsupported;
mod validate;

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use futures::Stream;
use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::framework::Schema;
use crate::framework::Type;
use crate::framework::{AnyDataSource, AnyEphemeral, AnyResource, Function};
use crate::framework::{Diagnostic, Diagnostics};
use crate::halo::HaloClient;
use crate::plugin::proto::tfplugin6 as pb;
use crate::provider::{self, ProviderConfig};

use convert::{decode, diags_to_pb};
use unsupported::Missing;

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

struct EphemeralEntry {
    imp: Box<dyn AnyEphemeral<HaloClient>>,
    schema: Schema,
    ty: Type,
}

/// Schemas and types, built on first use (Terraform may never ask).
struct Catalog {
    provider: Schema,
    provider_ty: Type,
    resources: HashMap<&'static str, ResourceEntry>,
    data_sources: HashMap<&'static str, DataSourceEntry>,
    ephemerals: HashMap<&'static str, EphemeralEntry>,
    functions: HashMap<&'static str, Function>,
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
        let ephemerals = provider::ephemeral_resources()
            .into_iter()
            .map(|imp| {
                let schema = imp.schema();
                let ty = schema.value_type();
                (imp.type_name(), EphemeralEntry { imp, schema, ty })
            })
            .collect();
        let functions = provider::functions()
            .into_iter()
            .map(|f| (f.name, f))
            .collect();
        Catalog {
            provider,
            provider_ty,
            resources,
            data_sources,
            ephemerals,
            functions,
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

/// What an RPC answers: a response, or a gRPC status for requests that make no
/// sense (an unknown type name, an RPC the provider does not implement).
type RpcResult<T> = std::result::Result<Response<T>, Status>;

/// A server-streaming RPC's stream of answers.
type EventStream<T> = Pin<Box<dyn Stream<Item = std::result::Result<T, Status>> + Send + 'static>>;

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

    fn ephemeral(&self, name: &str) -> std::result::Result<&EphemeralEntry, Status> {
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

    /// ConfigureProvider: builds the Halo client from the provider block.
    async fn configure(
        &self,
        r: pb::configure_provider::Request,
    ) -> RpcResult<pb::configure_provider::Response> {
        let c = self.catalog();
        let outcome = decode(r.config.as_ref(), &c.provider_ty).and_then(|config| {
            if config.contains_unknown() {
                return Err(Diagnostic::error(
                    "Provider configuration not known yet",
                    "The halopsa provider block uses values known only after apply; it cannot be configured during this plan.",
                )
                .into());
            }
            let parsed: ProviderConfig = <ProviderConfig as crate::framework::Model>::from_value(&config)?;
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

    /// StopProvider: cancels the requests in flight and keeps serving.
    fn stop(&self) -> RpcResult<pb::stop_provider::Response> {
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
impl pb::provider_server::Provider for ProviderService {
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
        self.configure(r.into_inner()).await
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
        plan::plan_resource_change(self, r.into_inner())
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
        read::move_resource_state()
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
        self.stop()
    }
}

/// Helpers for the group modules' tests: requests built from the real catalog.
#[cfg(test)]
mod testing {
    use crate::framework::{AttrPath, Type, Value};
    use crate::plugin::proto::tfplugin6 as pb;

    /// An object of `ty` with every attribute null but those given.
    pub(super) fn object(ty: &Type, set: &[(&str, Value)]) -> Value {
        let Type::Object(attrs) = ty else {
            panic!("{ty:?} is not an object type")
        };
        let mut v = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
        for (name, value) in set {
            assert!(
                attrs.contains_key(*name),
                "the type has no attribute {name}"
            );
            v.set_attr(name, value.clone());
        }
        v
    }

    /// The value in msgpack, as Terraform sends it.
    pub(super) fn dv(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
        super::convert::encode(v, ty)
    }

    /// The attribute path of a protobuf diagnostic, as `a.b[2]`-style text.
    pub(super) fn path_of(d: &pb::Diagnostic) -> Option<String> {
        use crate::framework::Step;
        use pb::attribute_path::step::Selector;
        let steps = d
            .attribute
            .as_ref()?
            .steps
            .iter()
            .map(|s| match &s.selector {
                Some(Selector::AttributeName(a)) => Step::Attribute(a.clone()),
                Some(Selector::ElementKeyString(k)) => Step::Key(k.clone()),
                Some(Selector::ElementKeyInt(i)) => Step::Index(*i),
                None => panic!("a step without a selector"),
            });
        Some(AttrPath(steps.collect()).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stop_cancels_requests_in_flight_and_serves_on() {
        let svc = ProviderService::new();
        let before = svc.stop_token();
        svc.stop().expect("answers");
        assert!(before.is_cancelled());
        let after = svc.stop_token();
        assert!(!after.is_cancelled());
        let outcome = cancellable(&before, std::future::pending::<u8>(), || 7).await;
        assert_eq!(outcome, 7);
    }

    #[tokio::test]
    async fn without_configuration_there_is_no_client() {
        let svc = ProviderService::new();
        let err = svc.client().await.expect_err("not configured");
        assert_eq!(err.0[0].summary, "Provider not configured");
    }

    #[tokio::test]
    async fn an_unknown_provider_setting_defers_configuration() {
        let svc = ProviderService::new();
        let ty = svc.catalog().provider_ty.clone();
        let config = testing::object(&ty, &[("url", crate::framework::Value::Unknown)]);
        let answer = svc
            .configure(pb::configure_provider::Request {
                config: testing::dv(&config, &ty),
                ..Default::default()
            })
            .await
            .expect("answers")
            .into_inner();
        assert_eq!(
            answer.diagnostics[0].summary,
            "Provider configuration not known yet"
        );
        assert!(svc.client().await.is_err());
    }

    #[test]
    fn unknown_type_names_are_not_found() {
        let svc = ProviderService::new();
        assert_eq!(
            svc.resource("halopsa_nothing").err().map(|s| s.code()),
            Some(tonic::Code::NotFound)
        );
        assert_eq!(
            svc.data_source("halopsa_nothing").err().map(|s| s.code()),
            Some(tonic::Code::NotFound)
        );
        assert!(svc.resource("halopsa_organisation").is_ok());
    }
}

#[cfg(test)]
mod dispatch_tests {
    use super::*;
    use pb::provider_server::Provider;

    /// The message of an RPC answered as unsupported.
    fn unsupported<T: std::fmt::Debug>(answer: RpcResult<T>) -> String {
        let status = answer.expect_err("unsupported");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        status.message().to_string()
    }

    #[tokio::test]
    async fn each_unsupported_rpc_names_itself() {
        let svc = ProviderService::new();
        let answers = [
            (
                "GenerateResourceConfig",
                unsupported(
                    svc.generate_resource_config(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "ValidateStateStoreConfig",
                unsupported(
                    svc.validate_state_store_config(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "ConfigureStateStore",
                unsupported(
                    svc.configure_state_store(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "LockState",
                unsupported(svc.lock_state(Request::new(Default::default())).await),
            ),
            (
                "UnlockState",
                unsupported(svc.unlock_state(Request::new(Default::default())).await),
            ),
            (
                "GetStates",
                unsupported(svc.get_states(Request::new(Default::default())).await),
            ),
            (
                "DeleteState",
                unsupported(svc.delete_state(Request::new(Default::default())).await),
            ),
            (
                "PlanAction",
                unsupported(svc.plan_action(Request::new(Default::default())).await),
            ),
            (
                "ValidateActionConfig",
                unsupported(
                    svc.validate_action_config(Request::new(Default::default()))
                        .await,
                ),
            ),
        ];
        for (rpc, message) in answers {
            assert!(
                message.starts_with(&format!("{rpc} is not supported: ")),
                "{rpc}: {message}"
            );
        }
        for stream in [
            svc.read_state_bytes(Request::new(Default::default()))
                .await
                .err(),
            svc.invoke_action(Request::new(Default::default()))
                .await
                .err(),
        ] {
            assert_eq!(stream.map(|s| s.code()), Some(tonic::Code::Unimplemented));
        }
    }
}
