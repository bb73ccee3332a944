//! ConfigureProvider and StopProvider: the provider block becomes the client every
//! later RPC uses; a stop cancels the requests in flight.

use tokio_util::sync::CancellationToken;
use tonic::Response;

use super::convert::{decode, diags_to_pb};
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::framework::{Diagnostic, Diagnostics};
use crate::plugin::proto::tfplugin6 as pb;

/// ConfigureProvider: builds the client from the provider block.
pub(super) async fn configure_provider<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::configure_provider::Request,
) -> RpcResult<pb::configure_provider::Response> {
    let c = svc.catalog();
    let outcome = decode(r.config.as_ref(), &c.provider_ty).and_then(|config| {
        if config.contains_unknown() {
            return Err(Diagnostic::error(
                "Provider configuration not known yet",
                format!(
                    "The {} provider block uses values known only after apply; it cannot be configured during this plan.",
                    svc.definition().name()
                ),
            )
            .into());
        }
        svc.definition().configure(&config)
    });
    let diags = match outcome {
        Ok(client) => {
            *svc.inner.client.write().await = Some(client);
            Diagnostics::new()
        }
        Err(d) => d,
    };
    Ok(Response::new(pb::configure_provider::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

/// StopProvider: cancels the requests in flight and keeps serving.
pub(super) fn stop_provider<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::stop_provider::Response> {
    tracing::debug!("Terraform asked the provider to stop: cancelling requests in flight");
    let mut guard = match svc.inner.stop.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    guard.cancel();
    *guard = CancellationToken::new();
    Ok(Response::new(pb::stop_provider::Response {
        error: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Value;
    use crate::server::cancellable;
    use crate::server::testing::{self, dv, object, path_of};

    async fn configure(
        svc: &ProviderService<testing::Fake>,
        set: &[(&str, Value)],
    ) -> pb::configure_provider::Response {
        let ty = svc.catalog().provider_ty.clone();
        configure_provider(
            svc,
            pb::configure_provider::Request {
                config: dv(&object(&ty, set), &ty),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner()
    }

    #[tokio::test]
    async fn stop_cancels_requests_in_flight_and_serves_on() {
        let svc = testing::service();
        let before = svc.stop_token();
        stop_provider(&svc).expect("answers");
        assert!(before.is_cancelled());
        let after = svc.stop_token();
        assert!(!after.is_cancelled());
        let outcome = cancellable(&before, std::future::pending::<u8>(), || 7).await;
        assert_eq!(outcome, 7);
    }

    #[tokio::test]
    async fn a_stop_reaches_the_client_of_a_request_in_flight() {
        let svc = testing::configured().await;
        let (client, token) = svc.client().await.expect("configured");
        stop_provider(&svc).expect("answers");
        assert!(token.is_cancelled());
        assert!(
            client.stop.is_cancelled(),
            "the definition bound the stop token"
        );
        let (later, _) = svc.client().await.expect("configured");
        assert!(!later.stop.is_cancelled());
    }

    #[tokio::test]
    async fn without_configuration_there_is_no_client() {
        let svc = testing::service();
        let err = svc.client().await.expect_err("not configured");
        assert_eq!(err.0[0].summary, "Provider not configured");
        assert!(err.0[0]
            .detail
            .starts_with("The fake provider has no usable configuration"));
        assert!(err.0[0].detail.ends_with(" Set endpoint to a known value."));
    }

    #[tokio::test]
    async fn an_unknown_provider_setting_defers_configuration() {
        let svc = testing::service();
        let answer = configure(&svc, &[("endpoint", Value::Unknown)]).await;
        assert_eq!(
            answer.diagnostics[0].summary,
            "Provider configuration not known yet"
        );
        assert!(answer.diagnostics[0]
            .detail
            .starts_with("The fake provider block"));
        assert!(svc.client().await.is_err());
    }

    #[tokio::test]
    async fn the_definition_builds_the_client_or_names_the_attribute() {
        let svc = testing::service();
        let refused = configure(&svc, &[("endpoint", Value::string("refuse"))]).await;
        assert_eq!(refused.diagnostics[0].summary, "Cannot reach the fake API");
        assert_eq!(
            path_of(&refused.diagnostics[0]).as_deref(),
            Some("endpoint")
        );
        assert!(svc.client().await.is_err());

        let answer = configure(&svc, &[("endpoint", Value::string("there"))]).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let (client, _) = svc.client().await.expect("configured");
        assert_eq!(client.endpoint, "there");
    }

    #[test]
    fn unknown_type_names_are_not_found() {
        let svc = testing::service();
        assert_eq!(
            svc.resource("fake_nothing").err().map(|s| s.code()),
            Some(tonic::Code::NotFound)
        );
        assert_eq!(
            svc.data_source("fake_nothing").err().map(|s| s.code()),
            Some(tonic::Code::NotFound)
        );
        assert!(svc.resource("fake_thing").is_ok());
    }
}
