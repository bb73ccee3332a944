//! Resource identity: GetResourceIdentitySchemas, UpgradeResourceIdentity, and
//! the identity of a state.
//!
//! Every resource is identified by its `id` (composite for memberships), so one
//! identity schema serves them all: `{ id = "..." }` in import blocks.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Diagnostic;
use crate::framework::{Type, Value};
use crate::plugin::proto::tfplugin6 as pb;

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
pub(super) fn identity_of(state: &Value) -> Option<pb::ResourceIdentityData> {
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
pub(super) fn identity_id(identity: Option<&pb::ResourceIdentityData>) -> Option<String> {
    let data = identity?.identity_data.as_ref()?;
    let value = decode(Some(data), &identity_type()).ok()?;
    value.attr("id").as_str().map(str::to_owned)
}

pub(super) fn get_resource_identity_schemas<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::get_resource_identity_schemas::Response> {
    let c = svc.catalog();
    Ok(Response::new(pb::get_resource_identity_schemas::Response {
        identity_schemas: c
            .resources
            .keys()
            .map(|n| (n.to_string(), identity_schema()))
            .collect(),
        diagnostics: Vec::new(),
    }))
}

pub(super) fn upgrade_resource_identity<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::upgrade_resource_identity::Request,
) -> RpcResult<pb::upgrade_resource_identity::Response> {
    svc.resource(&r.type_name)?;
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
            diagnostics: diags_to_pb(&Diagnostic::error("Stored identity is not valid", e).into()),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing;

    fn state(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn identity_of_picks_the_id() {
        let s = state(&[
            ("id", Value::string("12/3")),
            ("name", Value::string("Acme")),
        ]);
        let identity = identity_of(&s).expect("an identity");
        let decoded = decode(identity.identity_data.as_ref(), &identity_type()).expect("decodes");
        assert_eq!(decoded, state(&[("id", Value::string("12/3"))]));
        assert_eq!(identity_id(Some(&identity)).as_deref(), Some("12/3"));
    }

    #[test]
    fn no_known_id_no_identity() {
        assert!(identity_of(&state(&[("id", Value::Unknown)])).is_none());
        assert!(identity_of(&state(&[("id", Value::Null)])).is_none());
        assert!(identity_of(&Value::Null).is_none());
        assert_eq!(identity_id(None), None);
        assert_eq!(
            identity_id(Some(&pb::ResourceIdentityData {
                identity_data: None
            })),
            None
        );
    }

    #[test]
    fn every_resource_type_has_the_id_identity() {
        let answer = get_resource_identity_schemas(&testing::service())
            .expect("answers")
            .into_inner();
        let mut names: Vec<_> = answer.identity_schemas.keys().cloned().collect();
        names.sort();
        assert_eq!(names, ["fake_thing", "fake_unlisted"]);
        let thing = &answer.identity_schemas["fake_thing"];
        assert_eq!(thing.identity_attributes.len(), 1);
        assert_eq!(thing.identity_attributes[0].name, "id");
        assert!(thing.identity_attributes[0].required_for_import);
    }

    fn upgrade(type_name: &str, json: &[u8]) -> RpcResult<pb::upgrade_resource_identity::Response> {
        upgrade_resource_identity(
            &testing::service(),
            pb::upgrade_resource_identity::Request {
                type_name: type_name.to_string(),
                version: 0,
                raw_identity: Some(pb::RawState {
                    json: json.to_vec(),
                    ..Default::default()
                }),
            },
        )
    }

    #[test]
    fn a_stored_identity_is_upgraded_or_refused() {
        let ok = upgrade("fake_thing", br#"{"id":"5"}"#)
            .expect("answers")
            .into_inner();
        assert!(ok.diagnostics.is_empty());
        assert_eq!(
            identity_id(ok.upgraded_identity.as_ref()).as_deref(),
            Some("5")
        );
        let bad = upgrade("fake_thing", b"not json")
            .expect("answers")
            .into_inner();
        assert!(bad.upgraded_identity.is_none());
        assert_eq!(bad.diagnostics[0].summary, "Stored identity is not valid");
        let unknown = upgrade("fake_nothing", b"{}").expect_err("no such type");
        assert_eq!(unknown.code(), tonic::Code::NotFound);
    }
}
