//! Resource identity: GetResourceIdentitySchemas, UpgradeResourceIdentity, and
//! the identity of a state.
//!
//! A resource is identified by the attributes its type declares
//! (`Resource::IDENTITY`): its `id` by default (composite for memberships),
//! `{ id = "..." }` in import blocks.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Diagnostic;
use crate::framework::{Type, Value};
use crate::plugin::proto::tfplugin6 as pb;

/// The identity's type: each of a resource's identity attributes
/// (`Resource::IDENTITY`) as a string.
fn identity_type(attrs: &[&str]) -> Type {
    Type::Object(
        attrs
            .iter()
            .map(|a| (a.to_string(), Type::String))
            .collect(),
    )
}

fn identity_schema(attrs: &[&str]) -> pb::ResourceIdentitySchema {
    let description = |attr: &str| {
        match attr {
        "id" if attrs.len() == 1 => "The object's id, as in the resource's `id` attribute (for memberships `PARENT_ID/DEPARTMENT_ID`).".to_string(),
        other => format!("The resource's `{other}` attribute."),
    }
    };
    pb::ResourceIdentitySchema {
        version: 0,
        identity_attributes: attrs
            .iter()
            .map(|attr| pb::resource_identity_schema::IdentityAttribute {
                name: attr.to_string(),
                r#type: Type::String.to_json().to_string().into_bytes(),
                required_for_import: true,
                optional_for_import: false,
                description: description(attr),
            })
            .collect(),
    }
}

/// The identity of a state: its identity attributes, when every one is known.
pub(super) fn identity_of(attrs: &[&str], state: &Value) -> Option<pb::ResourceIdentityData> {
    let identity = attrs
        .iter()
        .map(|a| Some((a.to_string(), Value::string(state.attr(a).as_str()?))))
        .collect::<Option<_>>()?;
    Some(pb::ResourceIdentityData {
        identity_data: encode(&Value::Object(identity), &identity_type(attrs)),
    })
}

/// The import id an identity names: its attributes' values joined by `/`.
pub(super) fn identity_id(
    attrs: &[&str],
    identity: Option<&pb::ResourceIdentityData>,
) -> Option<String> {
    let data = identity?.identity_data.as_ref()?;
    let value = decode(Some(data), &identity_type(attrs)).ok()?;
    let parts = attrs
        .iter()
        .map(|a| value.attr(a).as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join("/"))
}

pub(super) fn get_resource_identity_schemas<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::get_resource_identity_schemas::Response> {
    let c = svc.catalog();
    Ok(Response::new(pb::get_resource_identity_schemas::Response {
        identity_schemas: c
            .resources
            .iter()
            .map(|(n, e)| (n.to_string(), identity_schema(e.imp.identity())))
            .collect(),
        diagnostics: Vec::new(),
    }))
}

pub(super) fn upgrade_resource_identity<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::upgrade_resource_identity::Request,
) -> RpcResult<pb::upgrade_resource_identity::Response> {
    let attrs = svc.resource(&r.type_name)?.imp.identity();
    let json = r.raw_identity.map(|raw| raw.json).unwrap_or_default();
    let outcome = serde_json::from_slice::<serde_json::Value>(&json)
        .map_err(|e| e.to_string())
        .and_then(|j| Value::from_json(&j, &identity_type(attrs), false));
    Ok(Response::new(match outcome {
        Ok(v) => pb::upgrade_resource_identity::Response {
            upgraded_identity: Some(pb::ResourceIdentityData {
                identity_data: encode(&v, &identity_type(attrs)),
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
        let identity = identity_of(&["id"], &s).expect("an identity");
        let decoded =
            decode(identity.identity_data.as_ref(), &identity_type(&["id"])).expect("decodes");
        assert_eq!(decoded, state(&[("id", Value::string("12/3"))]));
        assert_eq!(
            identity_id(&["id"], Some(&identity)).as_deref(),
            Some("12/3")
        );
    }

    #[test]
    fn an_identity_of_several_attributes_names_them_joined() {
        let attrs = ["path", "id"];
        let s = state(&[
            ("path", Value::string("TicketType")),
            ("id", Value::string("12")),
            ("body", Value::string("x")),
        ]);
        let identity = identity_of(&attrs, &s).expect("an identity");
        let decoded =
            decode(identity.identity_data.as_ref(), &identity_type(&attrs)).expect("decodes");
        assert_eq!(
            decoded,
            state(&[
                ("path", Value::string("TicketType")),
                ("id", Value::string("12"))
            ])
        );
        assert_eq!(
            identity_id(&attrs, Some(&identity)).as_deref(),
            Some("TicketType/12")
        );
        let no_path = state(&[("id", Value::string("12"))]);
        assert!(identity_of(&attrs, &no_path).is_none());
    }

    #[test]
    fn no_known_id_no_identity() {
        assert!(identity_of(&["id"], &state(&[("id", Value::Unknown)])).is_none());
        assert!(identity_of(&["id"], &state(&[("id", Value::Null)])).is_none());
        assert!(identity_of(&["id"], &Value::Null).is_none());
        assert_eq!(identity_id(&["id"], None), None);
        assert_eq!(
            identity_id(
                &["id"],
                Some(&pb::ResourceIdentityData {
                    identity_data: None
                })
            ),
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
            identity_id(&["id"], ok.upgraded_identity.as_ref()).as_deref(),
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
