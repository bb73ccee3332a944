//! ApplyResourceChange: create, update or delete through the provider's client. The state
//! Terraform receives is the resource's model as it answered (no value is
//! rewritten here; see `framework::resource` for declared semantic equality).
//! The configuration goes to the resource too: it alone carries the values of
//! write-only attributes, which the answer never holds.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::identity::identity_of;
use super::{cancellable, cancelled_diag, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Diagnostics;
use crate::framework::Value;
use crate::plugin::proto::tfplugin6 as pb;

pub(super) async fn apply_resource_change<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::apply_resource_change::Request,
) -> RpcResult<pb::apply_resource_change::Response> {
    let e = svc.resource(&r.type_name)?;
    let respond = |state: &Value, diags: &Diagnostics, private: Vec<u8>| {
        pb::apply_resource_change::Response {
            new_state: encode(state, &e.ty),
            private,
            diagnostics: diags_to_pb(diags),
            new_identity: identity_of(e.imp.identity(), state),
            ..Default::default()
        }
    };
    let decoded = decode(r.prior_state.as_ref(), &e.ty).and_then(|prior| {
        Ok((
            prior,
            decode(r.planned_state.as_ref(), &e.ty)?,
            decode(r.config.as_ref(), &e.ty)?,
        ))
    });
    let (prior, planned, config) = match decoded {
        Ok(v) => v,
        Err(d) => return Ok(Response::new(respond(&Value::Null, &d, Vec::new()))),
    };
    let (client, token) = match svc.client().await {
        Ok(c) => c,
        Err(d) => return Ok(Response::new(respond(&prior, &d, r.planned_private))),
    };
    if planned.is_null() {
        let diags = cancellable(&token, e.imp.delete(&client, &prior), cancelled_diag).await;
        let state = if diags.has_errors() {
            prior
        } else {
            Value::Null
        };
        return Ok(Response::new(respond(&state, &diags, Vec::new())));
    }
    let work = async {
        if prior.is_null() {
            e.imp.create(&client, &planned, &config).await
        } else {
            e.imp.update(&client, &prior, &planned, &config).await
        }
    };
    let applied = cancellable(&token, work, || crate::framework::Applied {
        state: prior.clone(),
        diagnostics: cancelled_diag(),
    })
    .await;
    Ok(Response::new(respond(
        &applied.state,
        &applied.diagnostics,
        r.planned_private,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{self, dv, object, Fake};

    const THING: &str = "fake_thing";

    async fn apply(
        svc: &ProviderService<Fake>,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> pb::apply_resource_change::Response {
        let ty = testing::ty(svc, THING);
        apply_resource_change(
            svc,
            pb::apply_resource_change::Request {
                type_name: THING.to_string(),
                prior_state: dv(prior, &ty),
                planned_state: dv(planned, &ty),
                config: dv(config, &ty),
                planned_private: b"p".to_vec(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    fn thing(svc: &ProviderService<Fake>, set: &[(&str, Value)]) -> Value {
        object(&testing::ty(svc, THING), set)
    }

    #[tokio::test]
    async fn without_a_client_the_prior_state_stays() {
        let svc = testing::service();
        let prior = thing(
            &svc,
            &[("id", Value::string("7")), ("name", Value::string("a"))],
        );
        let planned = thing(
            &svc,
            &[("id", Value::string("7")), ("name", Value::string("b"))],
        );
        let answer = apply(&svc, &prior, &planned, &planned).await;
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
        let ty = testing::ty(&svc, THING);
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(prior));
        assert_eq!(answer.private, b"p".to_vec());
    }

    #[tokio::test]
    async fn an_undecodable_plan_answers_a_null_state() {
        let svc = testing::service();
        let ty = testing::ty(&svc, THING);
        let answer = apply_resource_change(
            &svc,
            pb::apply_resource_change::Request {
                type_name: THING.to_string(),
                planned_state: Some(pb::DynamicValue {
                    msgpack: vec![0xc1],
                    json: Vec::new(),
                }),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner();
        assert_eq!(
            answer.diagnostics[0].summary,
            "Invalid value from Terraform"
        );
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(Value::Null));
        assert!(answer.new_identity.is_none());
    }

    #[tokio::test]
    async fn a_create_answers_the_object_with_write_only_values_dropped() {
        let svc = testing::configured().await;
        let ty = testing::ty(&svc, THING);
        let planned = thing(
            &svc,
            &[
                ("id", Value::Unknown),
                ("name", Value::string("Ab")),
                ("password_seen", Value::Unknown),
            ],
        );
        let config = thing(
            &svc,
            &[
                ("name", Value::string("Ab")),
                ("password", Value::string("hush")),
            ],
        );
        let answer = apply(&svc, &Value::Null, &planned, &config).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let state = decode(answer.new_state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("id"), &Value::string("1"));
        // The resource got the password from the configuration, the state has none.
        assert_eq!(state.attr("password_seen"), &Value::Bool(true));
        assert!(state.attr("password").is_null());
        // The fake API answers "ab": equal under the declared IgnoreCase, so the
        // planned spelling stands.
        assert_eq!(state.attr("name"), &Value::string("Ab"));
        assert!(answer.new_identity.is_some());
        let store = testing::store(&svc).await;
        let store = store.lock().expect("store");
        assert_eq!(store.things["1"].name, "ab");
        assert_eq!(store.calls, ["create Ab"]);
    }

    #[tokio::test]
    async fn a_create_that_fails_after_saving_keeps_the_object() {
        let svc = testing::configured().await;
        let ty = testing::ty(&svc, THING);
        let planned = thing(
            &svc,
            &[("id", Value::Unknown), ("name", Value::string("half"))],
        );
        let answer = apply(&svc, &Value::Null, &planned, &planned).await;
        assert_eq!(answer.diagnostics[0].summary, "Half done");
        let state = decode(answer.new_state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("id"), &Value::string("1"));
    }

    #[tokio::test]
    async fn an_update_and_a_delete_reach_the_resource() {
        let svc = testing::configured().await;
        let ty = testing::ty(&svc, THING);
        let planned = thing(
            &svc,
            &[("id", Value::Unknown), ("name", Value::string("a"))],
        );
        let created = apply(&svc, &Value::Null, &planned, &planned).await;
        let prior = decode(created.new_state.as_ref(), &ty).expect("a state");
        let mut changed = prior.clone();
        changed.set_attr("name", Value::string("b"));
        let updated = apply(&svc, &prior, &changed, &changed).await;
        assert!(updated.diagnostics.is_empty(), "{:?}", updated.diagnostics);
        let state = decode(updated.new_state.as_ref(), &ty).expect("a state");
        assert_eq!(state.attr("name"), &Value::string("b"));
        assert_eq!(state.attr("password_seen"), &Value::Bool(false));

        let deleted = apply(&svc, &state, &Value::Null, &Value::Null).await;
        assert!(deleted.diagnostics.is_empty(), "{:?}", deleted.diagnostics);
        assert_eq!(decode(deleted.new_state.as_ref(), &ty), Ok(Value::Null));
        let store = testing::store(&svc).await;
        let store = store.lock().expect("store");
        assert!(store.things.is_empty());
        assert_eq!(store.calls, ["create a", "update 1", "delete 1"]);
    }

    #[tokio::test]
    async fn a_stopped_provider_abandons_the_apply_and_keeps_the_prior_state() {
        let svc = testing::configured().await;
        let ty = testing::ty(&svc, THING);
        let prior = thing(
            &svc,
            &[("id", Value::string("7")), ("name", Value::string("stuck"))],
        );
        let stopper = svc.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            crate::server::configure::stop_provider(&stopper).expect("answers");
        });
        let answer = apply(&svc, &prior, &Value::Null, &Value::Null).await;
        assert_eq!(answer.diagnostics[0].summary, "Operation cancelled");
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(prior));
    }
}
