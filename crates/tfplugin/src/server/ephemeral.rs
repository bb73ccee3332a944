//! ValidateEphemeralResourceConfig, OpenEphemeralResource, RenewEphemeralResource,
//! CloseEphemeralResource: the provider's ephemeral resources (Terraform 1.10+).
//! Their values go back to Terraform only in Open's answer, which Terraform keeps
//! in memory for the run and never writes to plan or state.

use std::time::{SystemTime, UNIX_EPOCH};

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode};
use super::validate::checked;
use super::{cancellable, cancelled_diag, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::{Diagnostics, OpenedValue, Value};
use crate::plugin::proto::google::protobuf::Timestamp;
use crate::plugin::proto::tfplugin6 as pb;

fn timestamp(t: SystemTime) -> Timestamp {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    Timestamp {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

pub(super) fn validate<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::validate_ephemeral_resource_config::Request,
) -> RpcResult<pb::validate_ephemeral_resource_config::Response> {
    let e = svc.ephemeral(&r.type_name)?;
    let mut diags = Diagnostics::new();
    let check = |config: &Value, diags: &mut Diagnostics| e.imp.validate(config, diags);
    checked(
        r.config.as_ref(),
        &e.ty,
        &e.schema.attributes,
        check,
        &mut diags,
    );
    Ok(Response::new(
        pb::validate_ephemeral_resource_config::Response {
            diagnostics: diags_to_pb(&diags),
        },
    ))
}

pub(super) async fn open<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::open_ephemeral_resource::Request,
) -> RpcResult<pb::open_ephemeral_resource::Response> {
    let e = svc.ephemeral(&r.type_name)?;
    let failed = |d: &Diagnostics| pb::open_ephemeral_resource::Response {
        diagnostics: diags_to_pb(d),
        ..Default::default()
    };
    let config = match decode(r.config.as_ref(), &e.ty) {
        Ok(c) => c,
        Err(d) => return Ok(Response::new(failed(&d))),
    };
    let (client, token) = match svc.client().await {
        Ok(c) => c,
        Err(d) => return Ok(Response::new(failed(&d))),
    };
    let opened = cancellable(&token, e.imp.open(&client, &config), || OpenedValue {
        result: Value::Null,
        renew_at: None,
        private: Vec::new(),
        diagnostics: cancelled_diag(),
    })
    .await;
    if opened.diagnostics.has_errors() {
        return Ok(Response::new(failed(&opened.diagnostics)));
    }
    Ok(Response::new(pb::open_ephemeral_resource::Response {
        diagnostics: diags_to_pb(&opened.diagnostics),
        renew_at: opened.renew_at.map(timestamp),
        result: encode(&opened.result, &e.ty),
        private: Some(opened.private),
        deferred: None,
    }))
}

pub(super) async fn renew<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::renew_ephemeral_resource::Request,
) -> RpcResult<pb::renew_ephemeral_resource::Response> {
    let e = svc.ephemeral(&r.type_name)?;
    let private = r.private.unwrap_or_default();
    let outcome = match svc.client().await {
        Ok((client, token)) => {
            cancellable(&token, e.imp.renew(&client, &private), || {
                Err(cancelled_diag())
            })
            .await
        }
        Err(d) => Err(d),
    };
    Ok(Response::new(match outcome {
        Ok(renewed) => pb::renew_ephemeral_resource::Response {
            diagnostics: diags_to_pb(&renewed.diagnostics),
            renew_at: renewed.renew_at.map(timestamp),
            private: Some(renewed.private),
        },
        Err(d) => pb::renew_ephemeral_resource::Response {
            diagnostics: diags_to_pb(&d),
            renew_at: None,
            private: Some(private),
        },
    }))
}

pub(super) async fn close<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::close_ephemeral_resource::Request,
) -> RpcResult<pb::close_ephemeral_resource::Response> {
    let e = svc.ephemeral(&r.type_name)?;
    let private = r.private.unwrap_or_default();
    let diags = match svc.client().await {
        Ok((client, token)) => {
            cancellable(&token, e.imp.close(&client, &private), cancelled_diag).await
        }
        Err(d) => d,
    };
    Ok(Response::new(pb::close_ephemeral_resource::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{self, dv, object, Fake};

    const TOKEN: &str = "fake_token";

    fn config(svc: &ProviderService<Fake>, scope: &str) -> Option<pb::DynamicValue> {
        let ty = &svc.ephemeral(TOKEN).expect("a type").ty;
        dv(&object(ty, &[("scope", Value::string(scope))]), ty)
    }

    async fn open_token(svc: &ProviderService<Fake>) -> pb::open_ephemeral_resource::Response {
        open(
            svc,
            pb::open_ephemeral_resource::Request {
                type_name: TOKEN.into(),
                config: config(svc, "read"),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    #[test]
    fn a_bad_scope_is_reported_and_unknown_types_are_not_found() {
        let svc = testing::service();
        let answer = validate(
            &svc,
            pb::validate_ephemeral_resource_config::Request {
                type_name: TOKEN.into(),
                config: config(&svc, "all"),
            },
        )
        .expect("answers")
        .into_inner();
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        assert!(svc.ephemeral("fake_nothing").is_err());
    }

    #[tokio::test]
    async fn without_a_client_open_fails_with_no_result() {
        let answer = open_token(&testing::service()).await;
        assert_eq!(answer.diagnostics[0].summary, "Provider not configured");
        assert!(answer.result.is_none());
    }

    #[tokio::test]
    async fn open_answers_the_value_and_close_succeeds() {
        let svc = testing::configured().await;
        let answer = open_token(&svc).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let ty = &svc.ephemeral(TOKEN).expect("a type").ty;
        let result = decode(answer.result.as_ref(), ty).expect("a result");
        assert_eq!(result.attr("value"), &Value::string("memory-read"));
        assert!(answer.renew_at.is_none());
        let closed = close(
            &svc,
            pb::close_ephemeral_resource::Request {
                type_name: TOKEN.into(),
                private: answer.private,
            },
        )
        .await
        .expect("answers")
        .into_inner();
        assert!(closed.diagnostics.is_empty(), "{:?}", closed.diagnostics);
    }

    #[tokio::test]
    async fn a_type_without_renew_answers_an_error() {
        let svc = testing::configured().await;
        let answer = renew(
            &svc,
            pb::renew_ephemeral_resource::Request {
                type_name: TOKEN.into(),
                private: Some(b"opened".to_vec()),
            },
        )
        .await
        .expect("answers")
        .into_inner();
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        assert_eq!(answer.diagnostics[0].summary, "Renewal not supported");
        assert!(answer.diagnostics[0].detail.contains(TOKEN));
        assert!(answer.renew_at.is_none());
        assert_eq!(answer.private, Some(b"opened".to_vec()));
    }

    #[test]
    fn timestamps_are_seconds_since_the_epoch() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1500);
        assert_eq!(timestamp(t).seconds, 1);
        assert_eq!(timestamp(t).nanos, 500_000_000);
    }
}
