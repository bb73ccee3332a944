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
                "{name} is a write-only attribute: its value is sent to the API and never stored. \
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
    use crate::server::testing::{self, dv, object, path_of};

    fn validate_resource(
        svc: &ProviderService<testing::Fake>,
        set: &[(&str, Value)],
        write_only_allowed: bool,
    ) -> Vec<pb::Diagnostic> {
        let ty = testing::ty(svc, "fake_thing");
        resource_config(
            svc,
            pb::validate_resource_config::Request {
                type_name: "fake_thing".to_string(),
                config: dv(&object(&ty, set), &ty),
                client_capabilities: Some(pb::ClientCapabilities {
                    write_only_attributes_allowed: write_only_allowed,
                    ..Default::default()
                }),
            },
        )
        .expect("answers")
        .into_inner()
        .diagnostics
    }

    #[test]
    fn a_bad_attribute_is_reported_at_its_path() {
        let svc = testing::service();
        let d = validate_resource(&svc, &[("name", Value::string(""))], true);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(d[0].summary, "Invalid value for name");
        assert_eq!(path_of(&d[0]).as_deref(), Some("name"));
    }

    #[test]
    fn a_read_only_attribute_cannot_be_configured() {
        let svc = testing::service();
        let d = validate_resource(
            &svc,
            &[("name", Value::string("a")), ("id", Value::string("3"))],
            true,
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
        let svc = testing::service();
        assert!(validate_resource(&svc, &[("name", Value::string("a"))], true).is_empty());
        assert!(validate_resource(&svc, &[("name", Value::Unknown)], true).is_empty());
    }

    #[test]
    fn the_resource_type_adds_its_own_checks() {
        let svc = testing::service();
        let d = validate_resource(&svc, &[("name", Value::string("forbidden"))], true);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].summary, "Forbidden name");
        assert_eq!(path_of(&d[0]).as_deref(), Some("name"));
    }

    #[test]
    fn a_write_only_attribute_needs_a_client_that_allows_them() {
        let svc = testing::service();
        let set = [
            ("name", Value::string("a")),
            ("password", Value::string("hush")),
        ];
        let refused = validate_resource(&svc, &set, false);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(path_of(&refused[0]).as_deref(), Some("password"));
        assert!(refused[0].summary.contains("Terraform 1.11"), "{refused:?}");
        assert!(!refused[0].detail.contains("hush"));
        assert!(validate_resource(&svc, &set, true).is_empty());
        // Unset, it needs nothing of the client.
        assert!(validate_resource(&svc, &set[..1], false).is_empty());
    }

    #[test]
    fn an_unknown_resource_type_is_not_found() {
        let err = resource_config(
            &testing::service(),
            pb::validate_resource_config::Request {
                type_name: "fake_nothing".to_string(),
                ..Default::default()
            },
        )
        .expect_err("no such type");
        assert_eq!(err.code(), tonic::Code::NotFound);
    }

    #[test]
    fn the_provider_block_is_checked() {
        let svc = testing::service();
        let ty = &svc.catalog().provider_ty;
        let answer = provider_config(
            &svc,
            pb::validate_provider_config::Request {
                config: dv(&object(ty, &[("endpoint", Value::string(""))]), ty),
            },
        )
        .expect("answers")
        .into_inner();
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        assert_eq!(path_of(&answer.diagnostics[0]).as_deref(), Some("endpoint"));
    }

    #[test]
    fn a_data_source_is_checked_by_schema_and_type() {
        let svc = testing::service();
        let ty = &svc.data_source("fake_thing").expect("a type").ty;
        let ask = |set: &[(&str, Value)]| {
            data_resource_config(
                &svc,
                pb::validate_data_resource_config::Request {
                    type_name: "fake_thing".to_string(),
                    config: dv(&object(ty, set), ty),
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let unnamed = ask(&[]);
        assert_eq!(unnamed.len(), 1, "{unnamed:?}");
        assert_eq!(unnamed[0].summary, "Missing name");
        let long = ask(&[("name", Value::string("x".repeat(21)))]);
        assert_eq!(long.len(), 1, "{long:?}");
        assert_eq!(long[0].summary, "Invalid value for name");
        assert!(ask(&[("name", Value::string("a"))]).is_empty());
    }
}
