//! ApplyResourceChange: create, update or delete against Halo, and the two
//! policies that shape the state Terraform receives afterwards
//! (`settle_unknowns`, `keep_planned_values`).

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::identity::identity_of;
use super::{cancellable, cancelled_diag, ProviderService, RpcResult};
use crate::framework::diag::Diagnostics;
use crate::framework::Value;
use crate::plugin::proto::tfplugin6 as pb;

pub(super) async fn apply_resource_change(
    svc: &ProviderService,
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
    let decoded = decode(r.prior_state.as_ref(), &e.ty)
        .and_then(|prior| Ok((prior, decode(r.planned_state.as_ref(), &e.ty)?)));
    let (prior, planned) = match decoded {
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
            e.imp.create(&client, &planned, &e.ty).await
        } else {
            e.imp.update(&client, &prior, &planned, &e.ty).await
        }
    };
    let applied = cancellable(&token, work, || crate::framework::resource::Applied {
        state: prior.clone(),
        diagnostics: cancelled_diag(),
    })
    .await;
    let mut state = settle_unknowns(applied.state);
    if !applied.diagnostics.has_errors() {
        keep_planned_values(&mut state, &planned, &r.type_name);
    }
    Ok(Response::new(respond(
        &state,
        &applied.diagnostics,
        r.planned_private,
    )))
}

/// Replaces values still unknown after apply with null: Terraform refuses unknowns
/// in a new state.
pub(super) fn settle_unknowns(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, settle_unknowns(v)))
                .collect(),
        ),
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| (k, settle_unknowns(v)))
                .collect(),
        ),
        Value::List(l) => Value::List(l.into_iter().map(settle_unknowns).collect()),
        Value::Set(l) => Value::Set(l.into_iter().map(settle_unknowns).collect()),
        other => other,
    }
}

/// Terraform requires an applied state to match every value the plan knew. Where
/// Halo answered something else for a configured value, the planned value is kept
/// (the next refresh shows Halo's value as drift) instead of failing the apply.
fn keep_planned_values(applied: &mut Value, planned: &Value, type_name: &str) {
    if let (Value::Object(new), Value::Object(plan)) = (applied, planned) {
        for (name, planned_value) in plan {
            if planned_value.contains_unknown() {
                continue;
            }
            if let Some(current) = new.get_mut(name) {
                if !current.semantically_equal(planned_value) {
                    tracing::warn!(
                        resource = type_name,
                        attribute = name.as_str(),
                        "Halo stored a different value than planned; keeping the planned value"
                    );
                    *current = planned_value.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{dv, object};

    async fn apply(
        svc: &ProviderService,
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

    #[test]
    fn settle_unknowns_nulls_every_unknown() {
        let v = Value::Object(
            [
                ("a".to_string(), Value::Unknown),
                ("b".to_string(), Value::List(vec![Value::Unknown])),
                ("c".to_string(), Value::string("kept")),
            ]
            .into_iter()
            .collect(),
        );
        let settled = settle_unknowns(v);
        assert!(!settled.contains_unknown());
        assert_eq!(settled.attr("a"), &Value::Null);
        assert_eq!(settled.attr("b"), &Value::List(vec![Value::Null]));
        assert_eq!(settled.attr("c"), &Value::string("kept"));
    }

    #[test]
    fn keep_planned_values_overrides_known_planned_values_only() {
        let obj = |pairs: &[(&str, Value)]| {
            Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            )
        };
        let mut applied = obj(&[("id", Value::string("9")), ("name", Value::string("ACME"))]);
        let planned = obj(&[("id", Value::Unknown), ("name", Value::string("Acme"))]);
        keep_planned_values(&mut applied, &planned, "halopsa_organisation");
        assert_eq!(applied.attr("id"), &Value::string("9"));
        assert_eq!(applied.attr("name"), &Value::string("Acme"));
    }
}
