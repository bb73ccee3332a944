//! ValidateProviderConfig, ValidateResourceConfig, ValidateDataResourceConfig:
//! the schema's checks (read-only attributes, validators), then the type's own.

use tonic::Response;

use super::convert::{decode, diags_to_pb};
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::framework::validate_config;
use crate::framework::{AttrPath, Attribute, Diagnostics, Schema, Type, Value};
use crate::plugin::proto::tfplugin6 as pb;

/// The configuration `raw` decoded with the type `ty`, after the schema's checks
/// (`attributes`) and the type's own (`check`); `None` when it does not decode.
pub(super) fn checked(
    raw: Option<&pb::DynamicValue>,
    ty: &Type,
    attributes: &[(&'static str, Attribute)],
    check: impl FnOnce(&Value, &mut Diagnostics),
    diags: &mut Diagnostics,
) -> Option<Value> {
    match decode(raw, ty) {
        Ok(config) => {
            validate_config(attributes, &config, &Default::default(), diags);
            check(&config, diags);
            Some(config)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

pub(super) fn provider_config<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::validate_provider_config::Request,
) -> RpcResult<pb::validate_provider_config::Response> {
    let c = svc.catalog();
    let mut diags = Diagnostics::new();
    let ty = &c.provider_ty;
    checked(
        r.config.as_ref(),
        ty,
        &c.provider.attributes,
        |_, _| {},
        &mut diags,
    );
    Ok(Response::new(pb::validate_provider_config::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

pub(super) fn resource_config<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::validate_resource_config::Request,
) -> RpcResult<pb::validate_resource_config::Response> {
    let e = svc.resource(&r.type_name)?;
    let mut diags = Diagnostics::new();
    let check = |config: &Value, diags: &mut Diagnostics| e.imp.validate(config, diags);
    let config = checked(
        r.config.as_ref(),
        &e.ty,
        &e.schema.attributes,
        check,
        &mut diags,
    );
    let allowed = r
        .client_capabilities
        .as_ref()
        .is_some_and(|c| c.write_only_attributes_allowed);
    if let Some(config) = config.filter(|_| !allowed) {
        write_only_refused(&e.schema, &config, &mut diags);
    }
    Ok(Response::new(pb::validate_resource_config::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

/// An error for each write-only attribute `config` sets, for a Terraform that
/// does not announce `write_only_attributes_allowed` (older than 1.11): it would
/// treat the attribute as an ordinary one and store its value in plan and state.
fn write_only_refused(schema: &Schema, config: &Value, diags: &mut Diagnostics) {
    for name in schema.write_only_attributes() {
        if config.attr(name).is_null() {
            continue;
        }
        diags.attribute_error(
            AttrPath::root(name),
            format!("{name} needs Terraform 1.11 or later"),
            format!(
                "{name} is a write-only attribute: its value is sent to Halo and never stored. \
                 This Terraform does not support write-only attributes (it does not announce \
                 write_only_attributes_allowed; they came with Terraform 1.11), so it would \
                 keep the value in plan and state. Upgrade Terraform, or leave {name} unset."
            ),
        );
    }
}

pub(super) fn data_resource_config<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::validate_data_resource_config::Request,
) -> RpcResult<pb::validate_data_resource_config::Response> {
    let e = svc.data_source(&r.type_name)?;
    let mut diags = Diagnostics::new();
    let check = |config: &Value, diags: &mut Diagnostics| e.imp.validate(config, diags);
    checked(
        r.config.as_ref(),
        &e.ty,
        &e.schema.attributes,
        check,
        &mut diags,
    );
    Ok(Response::new(pb::validate_data_resource_config::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Value;
    use crate::server::testing::{dv, object, path_of};

    fn validate_resource<D: ProviderDefinition>(
        svc: &ProviderService<D>,
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
    fn a_bad_attribute_is_reported_at_its_path() {
        let svc = ProviderService::new();
        let d = validate_resource(&svc, "halopsa_organisation", &[("name", Value::string(""))]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(d[0].summary, "Invalid value for name");
        assert_eq!(path_of(&d[0]).as_deref(), Some("name"));
    }

    #[test]
    fn a_read_only_attribute_cannot_be_configured() {
        let svc = ProviderService::new();
        let d = validate_resource(
            &svc,
            "halopsa_organisation",
            &[("name", Value::string("Acme")), ("id", Value::string("3"))],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].summary,
            "Invalid configuration for read-only attribute"
        );
        assert_eq!(path_of(&d[0]).as_deref(), Some("id"));
    }

    #[test]
    fn a_valid_configuration_and_unknowns_pass() {
        let svc = ProviderService::new();
        let ok = validate_resource(
            &svc,
            "halopsa_organisation",
            &[("name", Value::string("Acme"))],
        );
        assert!(ok.is_empty(), "{ok:?}");
        let unknown = validate_resource(&svc, "halopsa_organisation", &[("name", Value::Unknown)]);
        assert!(unknown.is_empty(), "{unknown:?}");
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
    fn a_write_only_attribute_needs_a_client_that_allows_them() {
        let svc = ProviderService::new();
        let ty = &svc.resource("halopsa_api_application").expect("a type").ty;
        let config = object(
            ty,
            &[
                ("name", Value::string("ci")),
                ("login_as_agent_id", Value::string("3")),
                ("client_secret_wo", Value::string("hush")),
                (
                    "client_secret_wo_version",
                    Value::Number(crate::framework::Number::Int(1)),
                ),
            ],
        );
        let ask = |allowed: bool| {
            resource_config(
                &svc,
                pb::validate_resource_config::Request {
                    type_name: "halopsa_api_application".to_string(),
                    config: dv(&config, ty),
                    client_capabilities: Some(pb::ClientCapabilities {
                        write_only_attributes_allowed: allowed,
                        ..Default::default()
                    }),
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let refused = ask(false);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(path_of(&refused[0]).as_deref(), Some("client_secret_wo"));
        assert!(refused[0].summary.contains("Terraform 1.11"), "{refused:?}");
        assert!(!refused[0].detail.contains("hush"));
        assert!(ask(true).is_empty());
    }

    #[test]
    fn an_unknown_resource_type_is_not_found() {
        let svc = ProviderService::new();
        let err = resource_config(
            &svc,
            pb::validate_resource_config::Request {
                type_name: "halopsa_nothing".to_string(),
                ..Default::default()
            },
        )
        .expect_err("no such type");
        assert_eq!(err.code(), tonic::Code::NotFound);
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
