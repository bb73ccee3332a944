//! A small fake provider for the server's tests, as terraform-plugin-framework's
//! fwserver tests use one: a provider block, one listable resource (`fake_thing`)
//! and one that is not (`fake_unlisted`), a data source, an ephemeral resource
//! without `renew`, and a function. Its client is an in-memory store; nothing talks
//! HTTP. Also the helpers that build requests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::{ProviderDefinition, ProviderService};
use crate::framework::{
    referenced_values, AnyDataSource, AnyEphemeral, AnyResource, Applied, ApplyError, AttrPath,
    Diagnostic, Diagnostics, EphemeralResource, Function, FunctionError, HeldReferences, Model,
    Opened, Parameter, Resource, Schema, Semantic, Type, Validator, Value,
};
use crate::plugin::proto::tfplugin6 as pb;

crate::model! {
    /// The fake provider block.
    #[derive(Debug, Default)]
    pub struct FakeConfig {
        endpoint: Option<String> = optional().validate(Validator::length(1, 50))
            .description("Where the fake API is; `refuse` makes configuration fail."),
        token: Option<String> = optional().sensitive().description("A secret."),
    }
}

crate::model! {
    /// A thing's state.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ThingModel {
        id: Option<String> = computed().use_state_for_unknown().description("The id."),
        name: String = required().validate(Validator::length(1, 20))
            .semantic_equality(Semantic::IgnoreCase).description("The name."),
        parent_id: Option<String> = optional().requires_replace().references("fake_thing")
            .description("The parent."),
        sibling: Option<String> = optional().references_attribute("fake_thing", "name")
            .description("Another thing, by name."),
        password: Option<String> = optional().write_only().description("Sent, never stored."),
        password_seen: Option<bool> = computed().description("Whether create or update got a password."),
    }
}

crate::model! {
    /// The filters of a `list "fake_thing"` block.
    #[derive(Debug, Clone, Default)]
    pub struct ThingFilter {
        name: Option<String> = optional().validate(Validator::length(1, 20)).description("Only this name."),
    }
}

crate::model! {
    /// The fake ephemeral token.
    #[derive(Debug, Clone, Default)]
    pub struct TokenModel {
        scope: String = required().validate(Validator::OneOf(&["read", "write"])).description("The scope."),
        value: Option<String> = computed().sensitive().description("The token."),
    }
}

/// The fake API: things by id, the last id handed out, the calls seen.
#[derive(Debug, Default)]
pub struct Store {
    pub things: BTreeMap<String, ThingModel>,
    pub next: u64,
    pub calls: Vec<String>,
}

/// The client `configure` builds: the shared store and the request's stop token.
#[derive(Debug, Clone)]
pub struct FakeClient {
    pub store: Arc<Mutex<Store>>,
    pub stop: CancellationToken,
    pub endpoint: String,
}

impl FakeClient {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        match self.store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

/// A resource; `LISTED` says which of the two fake types it is.
pub struct Thing<const LISTED: bool>;

fn thing_name(listed: bool) -> &'static str {
    if listed {
        "fake_thing"
    } else {
        "fake_unlisted"
    }
}

#[async_trait]
impl<const LISTED: bool> Resource<FakeClient> for Thing<LISTED> {
    const TYPE_NAME: &'static str = if LISTED {
        "fake_thing"
    } else {
        "fake_unlisted"
    };
    const DESCRIPTION: &'static str = "A fake thing.";
    type Model = ThingModel;
    type Filter = ThingFilter;
    type Key = String;

    fn key(state: &ThingModel) -> Result<String, Diagnostic> {
        state
            .id
            .clone()
            .ok_or_else(|| Diagnostic::error("No id", "The state has no id."))
    }

    fn parse_import_id(id: &str) -> Result<String, Diagnostic> {
        if id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty() {
            Ok(id.to_string())
        } else {
            Err(Diagnostic::error(
                "Invalid import id",
                format!("{id:?} is not a number."),
            ))
        }
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if config.attr("name") == &Value::string("forbidden") {
            diags.attribute_error(AttrPath::root("name"), "Forbidden name", "Pick another.");
        }
    }

    /// A known parent (by id) or sibling (by name) must be a thing the store
    /// holds or the run plans (missing: an error if the state never held it, a
    /// warning if it did).
    async fn check_plan(
        &self,
        client: &FakeClient,
        planned: &Value,
        held: &HeldReferences,
    ) -> Diagnostics {
        let mut diags = Diagnostics::new();
        for (name, attr) in ThingModel::attributes() {
            let Some(reference) = attr.references else {
                continue;
            };
            for value in referenced_values(planned.attr(name)) {
                let store = client.store();
                let exists = match reference.attribute {
                    "id" => store.things.contains_key(value),
                    _ => store.things.values().any(|t| t.name == value),
                };
                if !exists && !held.is_planned(reference, value) {
                    diags.push(held.missing(name, reference, value, "the fake API"));
                }
            }
        }
        diags
    }

    async fn list(
        &self,
        client: &FakeClient,
        filter: ThingFilter,
    ) -> Result<Vec<ThingModel>, Diagnostics> {
        let store = client.store();
        Ok(store
            .things
            .values()
            .filter(|t| filter.name.as_ref().is_none_or(|n| *n == t.name))
            .cloned()
            .collect())
    }

    async fn create(
        &self,
        client: &FakeClient,
        plan: ThingModel,
    ) -> Result<ThingModel, ApplyError<ThingModel>> {
        let mut store = client.store();
        store.calls.push(format!("create {}", plan.name));
        store.next += 1;
        let id = store.next.to_string();
        let mut thing = plan;
        thing.id = Some(id.clone());
        thing.password_seen = Some(thing.password.is_some());
        // The fake API spells names in lower case, as Halo does GUIDs.
        thing.name = thing.name.to_lowercase();
        store.things.insert(id, thing.clone());
        if thing.name == "half" {
            return Err(ApplyError::with_state(
                thing,
                Diagnostic::error("Half done", "A later step failed."),
            ));
        }
        Ok(thing)
    }

    async fn read(
        &self,
        client: &FakeClient,
        key: String,
        _prior: Option<&ThingModel>,
    ) -> Result<Option<ThingModel>, Diagnostics> {
        let mut store = client.store();
        store.calls.push(format!("read {key}"));
        Ok(store.things.get(&key).cloned())
    }

    async fn update(
        &self,
        client: &FakeClient,
        _prior: ThingModel,
        plan: ThingModel,
    ) -> Result<ThingModel, ApplyError<ThingModel>> {
        let mut store = client.store();
        let key = Self::key(&plan)?;
        store.calls.push(format!("update {key}"));
        let mut thing = plan;
        thing.password_seen = Some(thing.password.is_some());
        store.things.insert(key, thing.clone());
        Ok(thing)
    }

    async fn delete(&self, client: &FakeClient, state: ThingModel) -> Result<(), Diagnostics> {
        if state.name == "stuck" {
            // Never answers: only a stop ends it.
            std::future::pending::<()>().await;
        }
        let key = Self::key(&state)?;
        let mut store = client.store();
        store.calls.push(format!("delete {key}"));
        store.things.remove(&key);
        Ok(())
    }
}

/// `data "fake_thing"`: the thing of a name.
pub struct ThingByName;

#[async_trait]
impl AnyDataSource<FakeClient> for ThingByName {
    fn type_name(&self) -> &'static str {
        "fake_thing"
    }
    fn schema(&self) -> Schema {
        Schema::of::<ThingModel>("A thing by name.")
    }
    fn check_model(&self) -> Result<(), String> {
        Ok(())
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if config.attr("name").is_null() {
            diags.attribute_error(AttrPath::root("name"), "Missing name", "Give a name.");
        }
    }
    async fn read(&self, client: &FakeClient, config: &Value) -> Applied {
        let name = config.attr("name").clone();
        let found = client
            .store()
            .things
            .values()
            .find(|t| Value::string(t.name.clone()) == name)
            .cloned();
        match found {
            Some(t) => Applied {
                state: t.to_value(),
                diagnostics: Diagnostics::new(),
            },
            None => Applied {
                state: Value::Null,
                diagnostics: Diagnostic::error(
                    "No such thing",
                    format!("No thing is named {name:?}."),
                )
                .into(),
            },
        }
    }
}

/// `ephemeral "fake_token"`: opens a token; no renew, closes quietly.
pub struct Token;

#[async_trait]
impl EphemeralResource<FakeClient> for Token {
    const TYPE_NAME: &'static str = "fake_token";
    const DESCRIPTION: &'static str = "A fake token.";
    type Model = TokenModel;

    async fn open(
        &self,
        client: &FakeClient,
        config: TokenModel,
    ) -> Result<Opened<TokenModel>, Diagnostics> {
        let value = format!("{}-{}", client.endpoint, config.scope);
        Ok(Opened {
            result: TokenModel {
                value: Some(value),
                ..config
            },
            renew_at: None,
            private: b"opened".to_vec(),
        })
    }
}

fn upper(args: &[Value]) -> Result<Value, FunctionError> {
    match &args[0] {
        Value::String(s) if !s.is_empty() => Ok(Value::string(s.to_uppercase())),
        _ => Err(FunctionError::argument(0, "text must not be empty")),
    }
}

/// The fake provider.
pub struct Fake;

impl ProviderDefinition for Fake {
    type Client = FakeClient;

    fn name(&self) -> &'static str {
        "fake"
    }

    fn schema(&self) -> Schema {
        Schema::of::<FakeConfig>("A fake provider.")
    }

    fn configure(&self, config: &Value) -> Result<FakeClient, Diagnostics> {
        let config = FakeConfig::from_value(config)?;
        let endpoint = config.endpoint.unwrap_or_else(|| "memory".to_string());
        if endpoint == "refuse" {
            return Err(Diagnostic::attribute_error(
                AttrPath::root("endpoint"),
                "Cannot reach the fake API",
                "It refuses.",
            )
            .into());
        }
        Ok(FakeClient {
            store: Arc::default(),
            stop: CancellationToken::new(),
            endpoint,
        })
    }

    fn configuration_hint(&self) -> &'static str {
        "Set endpoint to a known value."
    }

    fn bind(&self, client: &FakeClient, stop: CancellationToken) -> FakeClient {
        FakeClient {
            stop,
            ..client.clone()
        }
    }

    fn resources(&self) -> Vec<Box<dyn AnyResource<FakeClient>>> {
        vec![Box::new(Thing::<true>), Box::new(Thing::<false>)]
    }

    fn lists(&self, type_name: &str) -> bool {
        type_name == thing_name(true)
    }

    fn data_sources(&self) -> Vec<Box<dyn AnyDataSource<FakeClient>>> {
        vec![Box::new(ThingByName)]
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn AnyEphemeral<FakeClient>>> {
        vec![Box::new(Token)]
    }

    fn functions(&self) -> Vec<Function> {
        vec![Function {
            name: "upper",
            summary: "Upper case",
            description: "The text in upper case.",
            parameters: vec![Parameter {
                name: "text",
                ty: Type::String,
                description: "Any text.",
            }],
            returns: Type::String,
            example: "provider::fake::upper(\"a\") # \"A\"",
            call: upper,
        }]
    }
}

/// A service of the fake provider, not configured.
pub(super) fn service() -> ProviderService<Fake> {
    ProviderService::new(Fake)
}

/// A service of the fake provider, configured (endpoint `memory`).
pub(super) async fn configured() -> ProviderService<Fake> {
    let svc = service();
    let ty = svc.catalog().provider_ty.clone();
    let answer = super::configure::configure_provider(
        &svc,
        pb::configure_provider::Request {
            config: dv(&object(&ty, &[]), &ty),
            ..Default::default()
        },
    )
    .await
    .expect("answers")
    .into_inner();
    assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
    svc
}

/// The store of a configured fake service.
pub(super) async fn store(svc: &ProviderService<Fake>) -> Arc<Mutex<Store>> {
    let (client, _) = svc.client().await.expect("configured");
    client.store
}

/// The value type of a fake resource type.
pub(super) fn ty(svc: &ProviderService<Fake>, type_name: &str) -> Type {
    svc.resource(type_name).expect("a fake type").ty.clone()
}

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
