//! ReadDataSource: looks an object up through the provider's client.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::{cancellable, cancelled_diag, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Diagnostics;
use crate::framework::Value;
use crate::plugin::proto::tfplugin6 as pb;

pub(super) async fn read_data_source<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::read_data_source::Request,
) -> RpcResult<pb::read_data_source::Response> {
    let e = svc.data_source(&r.type_name)?;
    let respond = |state: &Value, diags: &Diagnostics| pb::read_data_source::Response {
        state: encode(state, &e.ty),
        diagnostics: diags_to_pb(diags),
        deferred: None,
    };
    let config = match decode(r.config.as_ref(), &e.ty) {
        Ok(v) => v,
        Err(d) => return Ok(Response::new(respond(&Value::Null, &d))),
    };
    let (client, token) = match svc.client().await {
        Ok(c) => c,
        Err(d) => return Ok(Response::new(respond(&Value::Null, &d))),
    };
    let applied = cancellable(&token, e.imp.read(&client, &config), || {
        crate::framework::Applied {
            state: Value::Null,
            diagnostics: cancelled_diag(),
        }
    })
    .await;
    Ok(Response::new(respond(&applied.state, &applied.diagnostics)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{self, dv, object, Fake, ThingModel};

    const THING: &str = "fake_thing";

    async fn read(
        svc: &ProviderService<Fake>,
        type_name: &str,
        config: Option<pb::DynamicValue>,
    ) -> pb::read_data_source::Response {
        read_data_source(
            svc,
            pb::read_data_source::Request {
                type_name: type_name.to_string(),
                config,
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    fn named(svc: &ProviderService<Fake>, name: &str) -> Option<pb::DynamicValue> {
        let ty = &svc.data_source(THING).expect("a type").ty;
        dv(&object(ty, &[("name", Value::string(name))]), ty)
    }

    #[tokio::test]
    async fn without_a_client_the_read_fails_with_a_null_state() {
        let svc = testing::service();
        let ty = svc.data_source(THING).expect("a type").ty.clone();
        let answer = read(&svc, THING, named(&svc, "a")).await;
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
        assert_eq!(decode(answer.state.as_ref(), &ty), Ok(Value::Null));
    }

    #[tokio::test]
    async fn the_data_source_answers_what_it_found_or_its_error() {
        let svc = testing::configured().await;
        let ty = svc.data_source(THING).expect("a type").ty.clone();
        testing::store(&svc)
            .await
            .lock()
            .expect("store")
            .things
            .insert(
                "9".to_string(),
                ThingModel {
                    id: Some("9".to_string()),
                    name: "a".to_string(),
                    ..Default::default()
                },
            );
        let found = read(&svc, THING, named(&svc, "a")).await;
        assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
        let state = decode(found.state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("id"), &Value::string("9"));
        let missing = read(&svc, THING, named(&svc, "b")).await;
        assert_eq!(missing.diagnostics[0].summary, "No such thing");
        assert_eq!(decode(missing.state.as_ref(), &ty), Ok(Value::Null));
    }

    #[tokio::test]
    async fn an_undecodable_configuration_is_a_diagnostic() {
        let svc = testing::service();
        let garbage = Some(pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        });
        let answer = read(&svc, THING, garbage).await;
        assert_eq!(
            answer.diagnostics[0].summary,
            "Invalid value from Terraform"
        );
    }

    #[tokio::test]
    async fn an_unknown_data_source_is_not_found() {
        let err = read_data_source(
            &testing::service(),
            pb::read_data_source::Request {
                type_name: "fake_nothing".to_string(),
                ..Default::default()
            },
        )
        .await
        .expect_err("no such type");
        assert_eq!(err.code(), tonic::Code::NotFound);
    }
}
