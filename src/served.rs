//! The provider as the tfplugin6 server serves it: what the RPCs answer that is
//! this provider's own: its registrations (every type, list block, identity and
//! function served), its schema (sensitive and write-only attributes) and its
//! concrete types' checks (a type's own validation, a replace attribute, a list
//! filter, a data source's lookup, the functions' answers). How each RPC works
//! (decoding, unknown types, an unconfigured provider, state upgrades, ...) is
//! asserted once, against a fake provider, in `crates/tfplugin/src/server`.
//! `shim` calls the RPCs through the public `Provider` trait under the names the
//! server's modules give them.

mod shim {
    use std::collections::HashMap;

    pub use crate::framework::{Function, Schema, Type, Value};
    pub use crate::plugin::proto::tfplugin6 as pb;
    pub use pb::provider_server::Provider;
    pub use tonic::{Request, Response, Status};

    use crate::provider::{self, Halopsa};
    use crate::server;

    pub type RpcResult<T> = std::result::Result<Response<T>, Status>;

    /// A type's value type, and its `list` block's filters where it has them.
    pub struct Entry {
        pub ty: Type,
        pub list: Option<(Schema, Type)>,
    }

    pub struct Catalog {
        pub provider_ty: Type,
        pub functions: HashMap<&'static str, Function>,
    }

    /// The provider's service, with its types' value types at hand.
    pub struct ProviderService {
        pub svc: server::ProviderService<Halopsa>,
        resources: HashMap<&'static str, Entry>,
        data_sources: HashMap<&'static str, Entry>,
        ephemerals: HashMap<&'static str, Entry>,
        catalog: Catalog,
    }

    fn entry(schema: Schema) -> Entry {
        Entry {
            ty: schema.value_type(),
            list: None,
        }
    }

    impl ProviderService {
        pub fn new() -> ProviderService {
            ProviderService {
                svc: provider::service(),
                resources: provider::resources()
                    .iter()
                    .map(|r| {
                        let list = r.list_schema();
                        let list_ty = list.value_type();
                        (
                            r.type_name(),
                            Entry {
                                list: Some((list, list_ty)),
                                ..entry(r.schema())
                            },
                        )
                    })
                    .collect(),
                data_sources: provider::data_sources()
                    .iter()
                    .map(|d| (d.type_name(), entry(d.schema())))
                    .collect(),
                ephemerals: provider::ephemeral_resources()
                    .iter()
                    .map(|e| (e.type_name(), entry(e.schema())))
                    .collect(),
                catalog: Catalog {
                    provider_ty: provider::schema().value_type(),
                    functions: provider::functions()
                        .into_iter()
                        .map(|f| (f.name, f))
                        .collect(),
                },
            }
        }

        pub fn resource(&self, name: &str) -> std::result::Result<&Entry, Status> {
            self.resources
                .get(name)
                .ok_or_else(|| Status::not_found(name.to_string()))
        }

        pub fn data_source(&self, name: &str) -> std::result::Result<&Entry, Status> {
            self.data_sources
                .get(name)
                .ok_or_else(|| Status::not_found(name.to_string()))
        }

        pub fn ephemeral(&self, name: &str) -> std::result::Result<&Entry, Status> {
            self.ephemerals
                .get(name)
                .ok_or_else(|| Status::not_found(name.to_string()))
        }

        pub fn catalog(&self) -> &Catalog {
            &self.catalog
        }
    }

    /// Runs an RPC that does not wait on I/O (no client is configured in these tests).
    fn now<T>(f: impl std::future::Future<Output = T>) -> T {
        futures::executor::block_on(f)
    }

    /// The value in msgpack, as Terraform sends it.
    pub fn dv(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
        Some(pb::DynamicValue {
            msgpack: crate::framework::codec::encode(v, ty),
            json: Vec::new(),
        })
    }

    /// A value Terraform got back; absent is null.
    pub fn decode(
        dv: Option<&pb::DynamicValue>,
        ty: &Type,
    ) -> std::result::Result<Value, crate::framework::Diagnostics> {
        match dv {
            Some(dv) if !dv.msgpack.is_empty() => crate::framework::codec::decode(&dv.msgpack, ty)
                .map_err(|e| {
                    crate::framework::Diagnostic::error("Invalid value", e.to_string()).into()
                }),
            _ => Ok(Value::Null),
        }
    }

    /// An object of `ty` with every attribute null but those given.
    pub fn object(ty: &Type, set: &[(&str, Value)]) -> Value {
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

    /// The attribute path of a protobuf diagnostic, as `a.b[2]`-style text.
    pub fn path_of(d: &pb::Diagnostic) -> Option<String> {
        use crate::framework::{AttrPath, Step};
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

    pub fn get_provider_schema(
        s: &ProviderService,
    ) -> RpcResult<pb::get_provider_schema::Response> {
        now(s.svc.get_provider_schema(Request::new(Default::default())))
    }
    pub fn get_metadata(s: &ProviderService) -> RpcResult<pb::get_metadata::Response> {
        now(s.svc.get_metadata(Request::new(Default::default())))
    }
    pub fn resource_config(
        s: &ProviderService,
        r: pb::validate_resource_config::Request,
    ) -> RpcResult<pb::validate_resource_config::Response> {
        now(s.svc.validate_resource_config(Request::new(r)))
    }
    pub fn provider_config(
        s: &ProviderService,
        r: pb::validate_provider_config::Request,
    ) -> RpcResult<pb::validate_provider_config::Response> {
        now(s.svc.validate_provider_config(Request::new(r)))
    }
    pub fn data_resource_config(
        s: &ProviderService,
        r: pb::validate_data_resource_config::Request,
    ) -> RpcResult<pb::validate_data_resource_config::Response> {
        now(s.svc.validate_data_resource_config(Request::new(r)))
    }
    pub fn plan_resource_change(
        s: &ProviderService,
        r: pb::plan_resource_change::Request,
    ) -> RpcResult<pb::plan_resource_change::Response> {
        now(s.svc.plan_resource_change(Request::new(r)))
    }
    pub fn validate_list_resource_config(
        s: &ProviderService,
        r: pb::validate_list_resource_config::Request,
    ) -> RpcResult<pb::validate_list_resource_config::Response> {
        now(s.svc.validate_list_resource_config(Request::new(r)))
    }
    pub fn get_resource_identity_schemas(
        s: &ProviderService,
    ) -> RpcResult<pb::get_resource_identity_schemas::Response> {
        now(s
            .svc
            .get_resource_identity_schemas(Request::new(Default::default())))
    }
    pub fn validate(
        s: &ProviderService,
        r: pb::validate_ephemeral_resource_config::Request,
    ) -> RpcResult<pb::validate_ephemeral_resource_config::Response> {
        now(s.svc.validate_ephemeral_resource_config(Request::new(r)))
    }
    pub fn get_functions(s: &ProviderService) -> RpcResult<pb::get_functions::Response> {
        now(s.svc.get_functions(Request::new(Default::default())))
    }
    pub fn call_function(
        s: &ProviderService,
        r: pb::call_function::Request,
    ) -> RpcResult<pb::call_function::Response> {
        now(s.svc.call_function(Request::new(r)))
    }
    pub fn encode(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
        dv(v, ty)
    }
}

mod schema {
    use super::shim::*;
    use crate::provider;

    fn attribute<'a>(schema: &'a pb::Schema, name: &str) -> &'a pb::schema::Attribute {
        schema
            .block
            .as_ref()
            .and_then(|b| b.attributes.iter().find(|a| a.name == name))
            .unwrap_or_else(|| panic!("no attribute {name}"))
    }

    #[test]
    fn the_schema_lists_every_type_and_marks_sensitive_attributes() {
        let answer = get_provider_schema(&ProviderService::new())
            .expect("answers")
            .into_inner();
        let mut served: Vec<_> = answer.resource_schemas.keys().cloned().collect();
        served.sort();
        let mut declared: Vec<_> = provider::resources()
            .iter()
            .map(|r| r.type_name().to_string())
            .collect();
        declared.sort();
        assert_eq!(served, declared);
        assert!(served.iter().any(|n| n == "halopsa_organisation"));
        let mut served_ds: Vec<_> = answer.data_source_schemas.keys().cloned().collect();
        served_ds.sort();
        let mut declared_ds: Vec<_> = provider::data_sources()
            .iter()
            .map(|d| d.type_name().to_string())
            .collect();
        declared_ds.sort();
        assert_eq!(served_ds, declared_ds);

        let provider_schema = answer.provider.as_ref().expect("a provider schema");
        assert!(attribute(provider_schema, "client_secret").sensitive);
        assert!(!attribute(provider_schema, "client_id").sensitive);
        let org = &answer.resource_schemas["halopsa_organisation"];
        assert!(attribute(org, "name").required);
        assert!(attribute(org, "id").computed);
        assert!(answer
            .list_resource_schemas
            .contains_key("halopsa_organisation"));
        let app = &answer.resource_schemas["halopsa_api_application"];
        let wo = attribute(app, "client_secret_wo");
        assert!(wo.write_only && wo.sensitive && wo.optional);
        assert!(!attribute(app, "client_secret_wo_version").write_only);
        let token = &answer.ephemeral_resource_schemas["halopsa_access_token"];
        assert!(attribute(token, "access_token").sensitive);
        assert!(answer.functions.contains_key("parse_membership_id"));
    }

    #[test]
    fn metadata_names_the_types_sorted() {
        let answer = get_metadata(&ProviderService::new())
            .expect("answers")
            .into_inner();
        let names: Vec<_> = answer
            .resources
            .iter()
            .map(|r| r.type_name.clone())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), provider::resources().len());
        assert_eq!(answer.data_sources.len(), provider::data_sources().len());
        assert_eq!(answer.list_resources.len(), provider::resources().len());
        assert_eq!(
            answer.ephemeral_resources[0].type_name,
            "halopsa_access_token"
        );
        assert_eq!(answer.functions.len(), 2);
        assert!(answer
            .list_resources
            .iter()
            .any(|l| l.type_name == "halopsa_organisation"));
    }
}

mod validate {
    use super::shim::*;

    fn validate_resource(
        svc: &ProviderService,
        type_name: &str,
        set: &[(&str, Value)],
    ) -> Vec<pb::Diagnostic> {
        let ty = &svc.resource(type_name).expect("a resource type").ty;
        resource_config(
            svc,
            pb::validate_resource_config::Request {
                type_name: type_name.to_string(),
                config: dv(&object(ty, set), ty),
                ..Default::default()
            },
        )
        .expect("answers")
        .into_inner()
        .diagnostics
    }

    #[test]
    fn the_resource_type_adds_its_own_checks() {
        let svc = ProviderService::new();
        let d = validate_resource(
            &svc,
            "halopsa_api_application",
            &[("name", Value::string("ci"))],
        );
        assert!(
            d.iter()
                .any(|d| path_of(d).as_deref() == Some("login_as_agent_id")),
            "{d:?}"
        );
    }

    #[test]
    fn the_provider_block_is_checked() {
        let svc = ProviderService::new();
        let ty = &svc.catalog().provider_ty;
        let answer = provider_config(
            &svc,
            pb::validate_provider_config::Request {
                config: dv(&object(ty, &[("scope", Value::string(""))]), ty),
            },
        )
        .expect("answers")
        .into_inner();
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        assert_eq!(path_of(&answer.diagnostics[0]).as_deref(), Some("scope"));
    }

    #[test]
    fn a_data_source_is_checked_by_schema_and_type() {
        let svc = ProviderService::new();
        let ty = &svc.data_source("halopsa_organisation").expect("a type").ty;
        let ask = |set: &[(&str, Value)]| {
            data_resource_config(
                &svc,
                pb::validate_data_resource_config::Request {
                    type_name: "halopsa_organisation".to_string(),
                    config: dv(&object(ty, set), ty),
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let neither = ask(&[]);
        assert_eq!(neither.len(), 1, "{neither:?}");
        assert_eq!(path_of(&neither[0]), None);
        let bad_id = ask(&[("id", Value::string("abc"))]);
        assert_eq!(bad_id.len(), 1, "{bad_id:?}");
        assert_eq!(path_of(&bad_id[0]).as_deref(), Some("id"));
    }
}

mod plan {
    use super::shim::*;
    use crate::plugin::proto::tfplugin6::attribute_path::step::Selector;

    /// Plans `type_name` from `prior` to `config` the way Terraform proposes it:
    /// configuration, with computed attributes taken from the prior state.
    fn plan(
        svc: &ProviderService,
        type_name: &str,
        prior: &Value,
        config: &Value,
    ) -> (pb::plan_resource_change::Response, Value) {
        let e = svc.resource(type_name).expect("a resource type");
        let mut proposed = config.clone();
        if let Value::Object(m) = &mut proposed {
            for (name, v) in m.iter_mut() {
                if v.is_null() {
                    *v = prior.attr(name).clone();
                }
            }
        }
        let answer = plan_resource_change(
            svc,
            pb::plan_resource_change::Request {
                type_name: type_name.to_string(),
                prior_state: dv(prior, &e.ty),
                proposed_new_state: dv(&proposed, &e.ty),
                config: dv(config, &e.ty),
                prior_private: b"kept".to_vec(),
                ..Default::default()
            },
        )
        .expect("answers")
        .into_inner();
        let planned = decode(answer.planned_state.as_ref(), &e.ty).expect("a planned state");
        (answer, planned)
    }

    #[test]
    fn a_changed_replace_attribute_is_named() {
        let svc = ProviderService::new();
        let ty = svc
            .resource("halopsa_department")
            .expect("department")
            .ty
            .clone();
        let prior = object(
            &ty,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("Ops")),
                ("organisation_id", Value::string("1")),
            ],
        );
        let config = object(
            &ty,
            &[
                ("name", Value::string("Ops")),
                ("organisation_id", Value::string("2")),
            ],
        );
        let (answer, planned) = plan(&svc, "halopsa_department", &prior, &config);
        assert_eq!(planned.attr("organisation_id"), &Value::string("2"));
        let replace: Vec<_> = answer
            .requires_replace
            .iter()
            .map(|p| {
                p.steps
                    .iter()
                    .map(|s| s.selector.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            replace,
            vec![vec![Some(Selector::AttributeName(
                "organisation_id".to_string()
            ))]]
        );
    }
}

mod list {
    use super::shim::*;

    const DEPARTMENT: &str = "halopsa_department";

    /// A department list block's filters.
    fn filter(svc: &ProviderService, set: &[(&str, Value)]) -> Option<pb::DynamicValue> {
        let e = svc.resource(DEPARTMENT).expect("a type");
        let (_, ty) = e.list.as_ref().expect("listable");
        dv(&object(ty, set), ty)
    }

    #[test]
    fn the_list_configuration_is_validated() {
        let svc = ProviderService::new();
        let validate = |config| {
            validate_list_resource_config(
                &svc,
                pb::validate_list_resource_config::Request {
                    type_name: DEPARTMENT.to_string(),
                    config,
                    ..Default::default()
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let bad = validate(filter(&svc, &[("organisation_id", Value::string("-1"))]));
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(path_of(&bad[0]).as_deref(), Some("organisation_id"));
        let fine = validate(filter(&svc, &[("organisation_id", Value::string("12"))]));
        assert!(fine.is_empty(), "{fine:?}");
    }
}

mod identity {
    use super::shim::*;

    #[test]
    fn every_resource_type_has_the_id_identity() {
        let svc = ProviderService::new();
        let answer = get_resource_identity_schemas(&svc)
            .expect("answers")
            .into_inner();
        assert_eq!(
            answer.identity_schemas.len(),
            crate::provider::resources().len()
        );
        let org = &answer.identity_schemas["halopsa_organisation"];
        assert_eq!(org.identity_attributes.len(), 1);
        assert_eq!(org.identity_attributes[0].name, "id");
        assert!(org.identity_attributes[0].required_for_import);
    }
}

mod ephemeral {
    use super::shim::*;

    #[test]
    fn a_bad_scope_is_reported() {
        let svc = ProviderService::new();
        let ty = svc
            .ephemeral("halopsa_access_token")
            .expect("a type")
            .ty
            .clone();
        let answer = validate(
            &svc,
            pb::validate_ephemeral_resource_config::Request {
                type_name: "halopsa_access_token".into(),
                config: dv(&object(&ty, &[("scope", Value::string(""))]), &ty),
            },
        )
        .expect("answers")
        .into_inner();
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        assert_eq!(path_of(&answer.diagnostics[0]).as_deref(), Some("scope"));
    }
}

mod functions {
    use super::shim::*;

    fn call(svc: &ProviderService, name: &str, args: &[&str]) -> pb::call_function::Response {
        call_function(
            svc,
            pb::call_function::Request {
                name: name.into(),
                arguments: args
                    .iter()
                    .map(|a| encode(&Value::string(*a), &Type::String).expect("encodes"))
                    .collect(),
            },
        )
        .expect("answers")
        .into_inner()
    }

    #[test]
    fn both_functions_are_announced_and_answer() {
        let svc = ProviderService::new();
        let fs = get_functions(&svc).expect("answers").into_inner().functions;
        assert_eq!(fs.len(), 2);
        assert_eq!(fs["membership_id"].parameters.len(), 2);
        let joined = call(&svc, "membership_id", &["abc", "4"]);
        assert_eq!(
            decode(joined.result.as_ref(), &Type::String),
            Ok(Value::string("abc/4"))
        );
        let f = &svc.catalog().functions["parse_membership_id"];
        let parsed = call(&svc, "parse_membership_id", &["abc/4"]);
        let v = decode(parsed.result.as_ref(), &f.returns).expect("an object");
        assert_eq!(v.attr("department_id"), &Value::string("4"));
        let bad = call(&svc, "parse_membership_id", &["abc"]);
        let e = bad.error.expect("an error");
        assert_eq!(e.function_argument, Some(0));
        assert!(bad.result.is_none());
    }
}
