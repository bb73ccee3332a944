//! ReadResource (refresh), ImportResourceState, UpgradeResourceState and
//! MoveResourceState: the RPCs that bring existing objects and stored states in.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::identity::{identity_id, identity_of};
use super::{cancellable, cancelled_diag, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Value;
use crate::framework::{Applied, Diagnostic, Diagnostics};
use crate::plugin::proto::tfplugin6 as pb;

pub(super) async fn read_resource<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::read_resource::Request,
) -> RpcResult<pb::read_resource::Response> {
    let e = svc.resource(&r.type_name)?;
    let respond =
        |state: &Value, diags: &Diagnostics, private: Vec<u8>| pb::read_resource::Response {
            new_state: encode(state, &e.ty),
            diagnostics: diags_to_pb(diags),
            private,
            new_identity: identity_of(e.imp.identity(), state),
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
    let (client, token) = match svc.client().await {
        Ok(c) => c,
        Err(d) => return Ok(Response::new(respond(&current, &d, r.private))),
    };
    let applied = cancellable(&token, e.imp.read(&client, &current), || {
        crate::framework::Applied {
            state: current.clone(),
            diagnostics: cancelled_diag(),
        }
    })
    .await;
    if applied.state.is_null() && !applied.diagnostics.has_errors() {
        svc.remember_vanished(&e.schema, &current);
    }
    Ok(Response::new(respond(
        &applied.state,
        &applied.diagnostics,
        r.private,
    )))
}

pub(super) async fn import_resource_state<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::import_resource_state::Request,
) -> RpcResult<pb::import_resource_state::Response> {
    let e = svc.resource(&r.type_name)?;
    // `import { identity = { id = ... } }` sends the identity instead of an id.
    let id = match identity_id(e.imp.identity(), r.identity.as_ref()) {
        Some(id) if r.id.is_empty() => id,
        _ => r.id.clone(),
    };
    let respond = |d: &Diagnostics| pb::import_resource_state::Response {
        diagnostics: diags_to_pb(d),
        ..Default::default()
    };
    let (client, token) = match svc.client().await {
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
            identity: identity_of(e.imp.identity(), &state),
            state: encode(&state, &e.ty),
            private: Vec::new(),
        }],
        diagnostics: diags_to_pb(&imported.diagnostics),
        ..Default::default()
    }))
}

pub(super) fn upgrade_resource_state<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::upgrade_resource_state::Request,
) -> RpcResult<pb::upgrade_resource_state::Response> {
    let e = svc.resource(&r.type_name)?;
    let raw = r.raw_state.unwrap_or_default();
    let outcome = (|| -> std::result::Result<Value, Diagnostics> {
        if raw.json.is_empty() {
            if raw.flatmap.is_empty() {
                return Ok(Value::Null);
            }
            return Err(Diagnostic::error(
                "Unsupported state format",
                format!(
                    "This state was written in Terraform's pre-0.12 flatmap form, which the {} provider never wrote.",
                    svc.definition().name()
                ),
            )
            .into());
        }
        let mut json: serde_json::Value = serde_json::from_slice(&raw.json)
            .map_err(|err| Diagnostic::error("Stored state is not valid JSON", err.to_string()))?;
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
        Value::from_json(&json, &e.ty, false)
            .map_err(|err| Diagnostic::error("Stored state does not fit the schema", err).into())
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

pub(super) fn move_resource_state<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::move_resource_state::Response> {
    let d: Diagnostics = Diagnostic::error(
        "Moving state is not supported",
        format!(
            "The {} provider cannot take over state from another resource type.",
            svc.definition().name()
        ),
    )
    .into();
    Ok(Response::new(pb::move_resource_state::Response {
        diagnostics: diags_to_pb(&d),
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{self, dv, object, Fake, ThingModel};

    const THING: &str = "fake_thing";

    async fn import(svc: &ProviderService<Fake>, id: &str) -> pb::import_resource_state::Response {
        import_resource_state(
            svc,
            pb::import_resource_state::Request {
                type_name: THING.to_string(),
                id: id.to_string(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    async fn read(svc: &ProviderService<Fake>, current: &Value) -> pb::read_resource::Response {
        let ty = testing::ty(svc, THING);
        read_resource(
            svc,
            pb::read_resource::Request {
                type_name: THING.to_string(),
                current_state: dv(current, &ty),
                private: b"x".to_vec(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    async fn with_thing(svc: &ProviderService<Fake>, id: &str, name: &str) {
        let store = testing::store(svc).await;
        store.lock().expect("store").things.insert(
            id.to_string(),
            ThingModel {
                id: Some(id.to_string()),
                name: name.to_string(),
                ..Default::default()
            },
        );
    }

    #[tokio::test]
    async fn an_import_needs_a_configured_provider() {
        let answer = import(&testing::service(), "42").await;
        assert!(answer.imported_resources.is_empty());
        assert_eq!(answer.diagnostics.len(), 1);
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
    }

    #[tokio::test]
    async fn an_import_reads_the_object_by_its_id() {
        let svc = testing::configured().await;
        with_thing(&svc, "42", "a").await;
        let answer = import(&svc, "42").await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let imported = &answer.imported_resources[0];
        assert_eq!(imported.type_name, THING);
        let state = decode(imported.state.as_ref(), &testing::ty(&svc, THING)).expect("a state");
        assert_eq!(state.attr("name"), &Value::string("a"));
        assert_eq!(
            identity_id(&["id"], imported.identity.as_ref()).as_deref(),
            Some("42")
        );

        let bad = import(&svc, "x").await;
        assert_eq!(bad.diagnostics[0].summary, "Invalid import id");
        assert!(bad.imported_resources.is_empty());
    }

    fn upgrade(version: i64, raw: pb::RawState) -> pb::upgrade_resource_state::Response {
        upgrade_resource_state(
            &testing::service(),
            pb::upgrade_resource_state::Request {
                type_name: THING.to_string(),
                version,
                raw_state: Some(raw),
            },
        )
        .expect("answers")
        .into_inner()
    }

    #[test]
    fn a_stored_state_is_read_back_leaving_dropped_attributes_behind() {
        let ty = testing::ty(&testing::service(), THING);
        let answer = upgrade(
            0,
            pb::RawState {
                json: br#"{"id":"3","name":"a","dropped":"x"}"#.to_vec(),
                ..Default::default()
            },
        );
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let state = decode(answer.upgraded_state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("id"), &Value::string("3"));
        assert_eq!(state.attr("name"), &Value::string("a"));
    }

    #[test]
    fn a_newer_or_flatmap_state_is_refused() {
        let newer = upgrade(
            99,
            pb::RawState {
                json: br#"{"id":"3"}"#.to_vec(),
                ..Default::default()
            },
        );
        assert_eq!(
            newer.diagnostics[0].summary,
            "State written by a newer provider"
        );
        assert!(newer.upgraded_state.is_none());
        let flatmap = upgrade(
            0,
            pb::RawState {
                json: Vec::new(),
                flatmap: [("id".to_string(), "3".to_string())].into_iter().collect(),
            },
        );
        assert_eq!(flatmap.diagnostics[0].summary, "Unsupported state format");
        assert!(flatmap.diagnostics[0].detail.contains("fake provider"));
    }

    #[tokio::test]
    async fn a_read_without_a_client_keeps_the_state() {
        let svc = testing::service();
        let ty = testing::ty(&svc, THING);
        let current = object(
            &ty,
            &[("id", Value::string("5")), ("name", Value::string("A"))],
        );
        let answer = read(&svc, &current).await;
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(current));
        assert_eq!(answer.private, b"x".to_vec());
        assert_eq!(
            identity_id(&["id"], answer.new_identity.as_ref()).as_deref(),
            Some("5")
        );
    }

    #[tokio::test]
    async fn a_read_refreshes_the_state_or_finds_it_gone() {
        let svc = testing::configured().await;
        let ty = testing::ty(&svc, THING);
        with_thing(&svc, "5", "changed").await;
        let current = object(
            &ty,
            &[("id", Value::string("5")), ("name", Value::string("a"))],
        );
        let answer = read(&svc, &current).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let state = decode(answer.new_state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("name"), &Value::string("changed"));

        let gone = object(
            &ty,
            &[("id", Value::string("6")), ("name", Value::string("a"))],
        );
        let answer = read(&svc, &gone).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(Value::Null));
        assert!(answer.new_identity.is_none());
    }

    #[tokio::test]
    async fn a_read_of_nothing_is_nothing() {
        let svc = testing::service();
        let answer = read_resource(
            &svc,
            pb::read_resource::Request {
                type_name: THING.to_string(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner();
        assert!(answer.diagnostics.is_empty());
        let ty = testing::ty(&svc, THING);
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(Value::Null));
    }

    #[test]
    fn moving_state_is_refused() {
        let answer = move_resource_state(&testing::service())
            .expect("answers")
            .into_inner();
        assert_eq!(
            answer.diagnostics[0].summary,
            "Moving state is not supported"
        );
        assert!(answer.diagnostics[0].detail.contains("fake provider"));
        assert!(answer.target_state.is_none());
    }
}
