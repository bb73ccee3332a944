//! ApplyResourceChange: create, update or delete against Halo. The state
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
            new_identity: identity_of(state),
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
    use crate::server::testing::{dv, object};

    async fn apply<D: ProviderDefinition>(
        svc: &ProviderService<D>,
        prior: &Value,
        planned: &Value,
    ) -> pb::apply_resource_change::Response {
        let ty = &svc.resource("halopsa_organisation").expect("a type").ty;
        apply_resource_change(
            svc,
            pb::apply_resource_change::Request {
                type_name: "halopsa_organisation".to_string(),
                prior_state: dv(prior, ty),
                planned_state: dv(planned, ty),
                planned_private: b"p".to_vec(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    #[tokio::test]
    async fn without_a_client_the_prior_state_stays() {
        let svc = ProviderService::new();
        let ty = svc
            .resource("halopsa_organisation")
            .expect("a type")
            .ty
            .clone();
        let prior = object(
            &ty,
            &[("id", Value::string("7")), ("name", Value::string("Acme"))],
        );
        let planned = object(
            &ty,
            &[
                ("id", Value::string("7")),
                ("name", Value::string("Acme Ltd")),
            ],
        );
        let answer = apply(&svc, &prior, &planned).await;
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
        assert_eq!(decode(answer.new_state.as_ref(), &ty), Ok(prior));
        assert_eq!(answer.private, b"p".to_vec());
    }

    #[tokio::test]
    async fn an_undecodable_plan_answers_a_null_state() {
        let svc = ProviderService::new();
        let ty = svc
            .resource("halopsa_organisation")
            .expect("a type")
            .ty
            .clone();
        let answer = apply_resource_change(
            &svc,
            pb::apply_resource_change::Request {
                type_name: "halopsa_organisation".to_string(),
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
}
