//! ListResource and ValidateListResourceConfig: `list` blocks, which find the
//! existing objects of a type (e.g. to import them).

use tonic::{Response, Status};

use super::convert::{decode, diags_to_pb, encode};
use super::identity::identity_of;
use super::{cancellable, cancelled_diag, EventStream, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::validate_config;
use crate::framework::Diagnostics;
use crate::plugin::proto::tfplugin6 as pb;

type Events = EventStream<pb::list_resource::Event>;

/// A stream of one event carrying the diagnostics.
fn failed(d: Diagnostics) -> RpcResult<Events> {
    let event = pb::list_resource::Event {
        diagnostic: diags_to_pb(&d),
        ..Default::default()
    };
    Ok(Response::new(Box::pin(futures::stream::iter([Ok(event)]))))
}

pub(super) async fn list_resource<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::list_resource::Request,
) -> RpcResult<Events> {
    let e = svc.resource(&r.type_name)?;
    let Some((list_schema, list_ty)) = &e.list else {
        return Err(Status::not_found(format!(
            "{} cannot be listed",
            r.type_name
        )));
    };
    let filter = match decode(r.config.as_ref(), list_ty) {
        Ok(v) => v,
        Err(d) => return failed(d),
    };
    let mut diags = Diagnostics::new();
    validate_config(
        &list_schema.attributes,
        &filter,
        &Default::default(),
        &mut diags,
    );
    if diags.has_errors() {
        return failed(diags);
    }
    let (client, token) = match svc.client().await {
        Ok(c) => c,
        Err(d) => return failed(d),
    };
    let found = cancellable(&token, e.imp.list(&client, &filter), || {
        Err(cancelled_diag())
    })
    .await;
    let states = match found {
        Ok(states) => states,
        Err(d) => return failed(d),
    };
    let limit = usize::try_from(r.limit)
        .ok()
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    let events: Vec<_> = states
        .into_iter()
        .take(limit)
        .map(|state| {
            Ok(pb::list_resource::Event {
                identity: identity_of(&state),
                display_name: state
                    .attr("name")
                    .as_str()
                    .or_else(|| state.attr("id").as_str())
                    .unwrap_or_default()
                    .to_string(),
                resource_object: if r.include_resource_object {
                    encode(&state, &e.ty)
                } else {
                    None
                },
                diagnostic: Vec::new(),
            })
        })
        .collect();
    Ok(Response::new(Box::pin(futures::stream::iter(events))))
}

pub(super) fn validate_list_resource_config<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::validate_list_resource_config::Request,
) -> RpcResult<pb::validate_list_resource_config::Response> {
    let e = svc.resource(&r.type_name)?;
    let mut diags = Diagnostics::new();
    match &e.list {
        None => diags.error(
            "Not listable",
            format!("{} cannot be used in a list block.", r.type_name),
        ),
        Some((schema, ty)) => match decode(r.config.as_ref(), ty) {
            Ok(config) => {
                validate_config(&schema.attributes, &config, &Default::default(), &mut diags)
            }
            Err(d) => diags.extend(d),
        },
    }
    Ok(Response::new(pb::validate_list_resource_config::Response {
        diagnostics: diags_to_pb(&diags),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Value;
    use crate::server::testing::{dv, object, path_of};
    use futures::StreamExt;

    const DEPARTMENT: &str = "halopsa_department";

    /// A department list block's filters.
    fn filter<D: ProviderDefinition>(svc: &ProviderService<D>, set: &[(&str, Value)]) -> Option<pb::DynamicValue> {
        let e = svc.resource(DEPARTMENT).expect("a type");
        let (_, ty) = e.list.as_ref().expect("listable");
        dv(&object(ty, set), ty)
    }

    async fn events<D: ProviderDefinition>(
        svc: &ProviderService<D>,
        type_name: &str,
        config: Option<pb::DynamicValue>,
    ) -> std::result::Result<Vec<pb::list_resource::Event>, Status> {
        let stream = list_resource(
            svc,
            pb::list_resource::Request {
                type_name: type_name.to_string(),
                config,
                ..Default::default()
            },
        )
        .await?
        .into_inner();
        Ok(stream.map(|e| e.expect("an event")).collect().await)
    }

    #[tokio::test]
    async fn an_invalid_filter_answers_one_event_with_its_path() {
        let svc = ProviderService::new();
        let config = filter(&svc, &[("organisation_id", Value::string("abc"))]);
        let got = events(&svc, DEPARTMENT, config).await.expect("a stream");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].diagnostic.len(), 1, "{:?}", got[0].diagnostic);
        assert_eq!(
            path_of(&got[0].diagnostic[0]).as_deref(),
            Some("organisation_id")
        );
        assert!(got[0].identity.is_none());
    }

    #[tokio::test]
    async fn without_a_client_listing_fails_in_the_stream() {
        let svc = ProviderService::new();
        let config = filter(&svc, &[("name", Value::string("Ops"))]);
        let got = events(&svc, DEPARTMENT, config).await.expect("a stream");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].diagnostic[0].summary, "Provider not configured");
    }

    #[tokio::test]
    async fn a_type_without_list_support_is_not_found() {
        let svc = ProviderService::new();
        let err = events(&svc, "halopsa_nothing", None)
            .await
            .expect_err("no such type");
        assert_eq!(err.code(), tonic::Code::NotFound);
    }

    #[test]
    fn the_list_configuration_is_validated() {
        let svc = ProviderService::new();
        let validate = |config| {
            validate_list_resource_config(
                &svc,
                pb::validate_list_resource_config::Request {
                    type_name: DEPARTMENT.to_string(),
                    config,
                    ..Default::default()
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let bad = validate(filter(&svc, &[("organisation_id", Value::string("-1"))]));
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(path_of(&bad[0]).as_deref(), Some("organisation_id"));
        let fine = validate(filter(&svc, &[("organisation_id", Value::string("12"))]));
        assert!(fine.is_empty(), "{fine:?}");
    }
}
