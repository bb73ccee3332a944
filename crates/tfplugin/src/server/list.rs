//! ListResource and ValidateListResourceConfig: `list` blocks, which find the
//! existing objects of a type (e.g. to import them).

use tonic::{Response, Status};

use super::convert::{decode, diags_to_pb, encode};
use super::identity::identity_of;
use super::{
    cancellable, cancelled_diag, EventStream, ProviderDefinition, ProviderService, RpcResult,
};
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
                identity: identity_of(e.imp.identity(), &state),
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
    use crate::server::testing::{self, dv, object, path_of, Fake, ThingModel};
    use futures::StreamExt;

    const THING: &str = "fake_thing";

    /// A thing list block's filters.
    fn filter(svc: &ProviderService<Fake>, set: &[(&str, Value)]) -> Option<pb::DynamicValue> {
        let e = svc.resource(THING).expect("a type");
        let (_, ty) = e.list.as_ref().expect("listable");
        dv(&object(ty, set), ty)
    }

    async fn events(
        svc: &ProviderService<Fake>,
        type_name: &str,
        config: Option<pb::DynamicValue>,
        limit: i64,
    ) -> std::result::Result<Vec<pb::list_resource::Event>, Status> {
        let stream = list_resource(
            svc,
            pb::list_resource::Request {
                type_name: type_name.to_string(),
                config,
                limit,
                include_resource_object: true,
            },
        )
        .await?
        .into_inner();
        Ok(stream.map(|e| e.expect("an event")).collect().await)
    }

    #[tokio::test]
    async fn an_invalid_filter_answers_one_event_with_its_path() {
        let svc = testing::service();
        let config = filter(&svc, &[("name", Value::string(""))]);
        let got = events(&svc, THING, config, 0).await.expect("a stream");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].diagnostic.len(), 1, "{:?}", got[0].diagnostic);
        assert_eq!(path_of(&got[0].diagnostic[0]).as_deref(), Some("name"));
        assert!(got[0].identity.is_none());
    }

    #[tokio::test]
    async fn without_a_client_listing_fails_in_the_stream() {
        let svc = testing::service();
        let config = filter(&svc, &[("name", Value::string("a"))]);
        let got = events(&svc, THING, config, 0).await.expect("a stream");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].diagnostic[0].summary, "Provider not configured");
    }

    #[tokio::test]
    async fn the_matching_objects_are_listed_with_their_identity_up_to_the_limit() {
        let svc = testing::configured().await;
        {
            let store = testing::store(&svc).await;
            let mut store = store.lock().expect("store");
            for (id, name) in [("1", "a"), ("2", "b"), ("3", "a")] {
                store.things.insert(
                    id.to_string(),
                    ThingModel {
                        id: Some(id.to_string()),
                        name: name.to_string(),
                        ..Default::default()
                    },
                );
            }
        }
        let got = events(
            &svc,
            THING,
            filter(&svc, &[("name", Value::string("a"))]),
            0,
        )
        .await
        .expect("a stream");
        let ids: Vec<_> = got
            .iter()
            .map(|e| crate::server::identity::identity_id(&["id"], e.identity.as_ref()))
            .collect();
        assert_eq!(ids, [Some("1".to_string()), Some("3".to_string())]);
        assert_eq!(got[0].display_name, "a");
        assert!(got[0].resource_object.is_some());
        let limited = events(&svc, THING, filter(&svc, &[]), 2)
            .await
            .expect("a stream");
        assert_eq!(limited.len(), 2);
    }

    #[tokio::test]
    async fn a_type_without_list_support_is_not_found() {
        let svc = testing::service();
        for name in ["fake_nothing", "fake_unlisted"] {
            let err = events(&svc, name, None, 0).await.expect_err("not listable");
            assert_eq!(err.code(), tonic::Code::NotFound);
        }
    }

    #[test]
    fn the_list_configuration_is_validated() {
        let svc = testing::service();
        let validate = |type_name: &str, config| {
            validate_list_resource_config(
                &svc,
                pb::validate_list_resource_config::Request {
                    type_name: type_name.to_string(),
                    config,
                    ..Default::default()
                },
            )
            .expect("answers")
            .into_inner()
            .diagnostics
        };
        let bad = validate(THING, filter(&svc, &[("name", Value::string(""))]));
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(path_of(&bad[0]).as_deref(), Some("name"));
        let fine = validate(THING, filter(&svc, &[("name", Value::string("a"))]));
        assert!(fine.is_empty(), "{fine:?}");
        let unlisted = validate("fake_unlisted", None);
        assert_eq!(unlisted[0].summary, "Not listable");
    }
}
