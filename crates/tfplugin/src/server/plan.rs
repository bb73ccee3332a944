//! PlanResourceChange: the framework's generic plan, then the type's own
//! adjustments, then (when the provider is configured and the plan is not a
//! destroy) the type's checks against the API (`check_plan`), whose
//! diagnostics go to Terraform with the plan.

use tonic::Response;

use super::convert::{decode, diags_to_pb, encode, path_to_pb};
use super::identity::identity_of;
use super::{cancellable, ProviderDefinition, ProviderService, RpcResult};
use crate::framework::plan_resource;
use crate::plugin::proto::tfplugin6 as pb;

pub(super) async fn plan_resource_change<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::plan_resource_change::Request,
) -> RpcResult<pb::plan_resource_change::Response> {
    let e = svc.resource(&r.type_name)?;
    let decoded = decode(r.prior_state.as_ref(), &e.ty).and_then(|prior| {
        Ok((
            prior,
            decode(r.proposed_new_state.as_ref(), &e.ty)?,
            decode(r.config.as_ref(), &e.ty)?,
        ))
    });
    let (prior, proposed, config) = match decoded {
        Ok(v) => v,
        Err(d) => {
            return Ok(Response::new(pb::plan_resource_change::Response {
                diagnostics: diags_to_pb(&d),
                ..Default::default()
            }))
        }
    };
    let mut planned = plan_resource(&e.schema, &prior, &proposed, &config);
    let mut diagnostics = Vec::new();
    if !planned.state.is_null() {
        e.imp.modify_plan(&prior, &config, &mut planned);
        // An unconfigured provider (its settings unknown until apply) plans
        // without the checks: the apply's own plan makes them.
        if let Ok((client, token)) = svc.client().await {
            let held = svc.held_references(&e.schema, &prior);
            let checks = e.imp.check_plan(&client, &planned.state, &held);
            let diags = cancellable(&token, checks, Default::default).await;
            diagnostics = diags_to_pb(&diags);
        }
        svc.remember_planned(e.imp.type_name(), &planned.state);
    }
    Ok(Response::new(pb::plan_resource_change::Response {
        diagnostics,
        planned_state: encode(&planned.state, &e.ty),
        requires_replace: planned.requires_replace.iter().map(path_to_pb).collect(),
        planned_identity: identity_of(e.imp.identity(), &planned.state).or(r.prior_identity),
        planned_private: r.prior_private,
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Value;
    use crate::plugin::proto::tfplugin6::attribute_path::step::Selector;
    use crate::server::identity::identity_id;
    use crate::server::testing::{self, dv, object};

    const THING: &str = "fake_thing";

    /// Plans from `prior` to `config` the way Terraform proposes it: configuration,
    /// with computed attributes taken from the prior state.
    async fn plan(
        svc: &ProviderService<testing::Fake>,
        prior: &Value,
        config: &Value,
    ) -> (pb::plan_resource_change::Response, Value) {
        let ty = testing::ty(svc, THING);
        let mut proposed = config.clone();
        if let Value::Object(m) = &mut proposed {
            for (name, v) in m.iter_mut() {
                if v.is_null() {
                    *v = prior.attr(name).clone();
                }
            }
        }
        let answer = plan_resource_change(
            svc,
            pb::plan_resource_change::Request {
                type_name: THING.to_string(),
                prior_state: dv(prior, &ty),
                proposed_new_state: dv(&proposed, &ty),
                config: dv(config, &ty),
                prior_private: b"kept".to_vec(),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner();
        let planned = decode(answer.planned_state.as_ref(), &ty).expect("a planned state");
        (answer, planned)
    }

    fn thing(svc: &ProviderService<testing::Fake>, set: &[(&str, Value)]) -> Value {
        object(&testing::ty(svc, THING), set)
    }

    #[tokio::test]
    async fn an_unchanged_resource_plans_no_change() {
        let svc = testing::service();
        let config = thing(&svc, &[("name", Value::string("a"))]);
        let prior = thing(
            &svc,
            &[
                ("id", Value::string("7")),
                ("name", Value::string("a")),
                ("password_seen", Value::Bool(false)),
            ],
        );
        let (answer, planned) = plan(&svc, &prior, &config).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        assert_eq!(planned, prior);
        assert!(answer.requires_replace.is_empty());
        assert_eq!(answer.planned_private, b"kept".to_vec());
        assert_eq!(
            identity_id(&["id"], answer.planned_identity.as_ref()).as_deref(),
            Some("7")
        );
    }

    #[tokio::test]
    async fn a_new_resource_leaves_its_computed_values_unknown() {
        let svc = testing::service();
        let config = thing(&svc, &[("name", Value::string("a"))]);
        let (answer, planned) = plan(&svc, &Value::Null, &config).await;
        assert!(planned.attr("id").is_unknown());
        assert!(planned.attr("password_seen").is_unknown());
        assert_eq!(planned.attr("name"), &Value::string("a"));
        assert!(answer.planned_identity.is_none());
    }

    #[tokio::test]
    async fn a_write_only_value_is_never_planned() {
        let svc = testing::service();
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("password", Value::string("hush")),
            ],
        );
        let (_, planned) = plan(&svc, &Value::Null, &config).await;
        assert!(planned.attr("password").is_null());
    }

    #[tokio::test]
    async fn a_destroy_plans_null() {
        let svc = testing::service();
        let prior = thing(
            &svc,
            &[("id", Value::string("7")), ("name", Value::string("a"))],
        );
        let (_, planned) = plan(&svc, &prior, &Value::Null).await;
        assert!(planned.is_null());
    }

    #[tokio::test]
    async fn a_changed_replace_attribute_is_named() {
        let svc = testing::service();
        let prior = thing(
            &svc,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("a")),
                ("parent_id", Value::string("1")),
            ],
        );
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("2")),
            ],
        );
        let (answer, planned) = plan(&svc, &prior, &config).await;
        assert_eq!(planned.attr("parent_id"), &Value::string("2"));
        let replace: Vec<_> = answer
            .requires_replace
            .iter()
            .map(|p| {
                p.steps
                    .iter()
                    .map(|s| s.selector.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            replace,
            vec![vec![Some(Selector::AttributeName("parent_id".to_string()))]]
        );
    }

    #[tokio::test]
    async fn an_undecodable_state_is_a_diagnostic() {
        let answer = plan_resource_change(
            &testing::service(),
            pb::plan_resource_change::Request {
                type_name: THING.to_string(),
                prior_state: Some(pb::DynamicValue {
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
    }

    #[tokio::test]
    async fn a_failed_plan_check_reaches_terraform_with_its_attribute() {
        let svc = testing::configured().await;
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
            ],
        );
        let (answer, planned) = plan(&svc, &Value::Null, &config).await;
        assert_eq!(planned.attr("parent_id"), &Value::string("404"));
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        let d = &answer.diagnostics[0];
        assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
        assert!(d.detail.contains("fake_thing 404 does not exist"), "{d:?}");
        assert_eq!(testing::path_of(d).as_deref(), Some("parent_id"));
    }

    /// The one diagnostic of a plan's answer, its severity and attribute path.
    fn only(answer: &pb::plan_resource_change::Response) -> (i32, Option<String>, &str) {
        assert_eq!(answer.diagnostics.len(), 1, "{:?}", answer.diagnostics);
        let d = &answer.diagnostics[0];
        (d.severity, testing::path_of(d), d.detail.as_str())
    }

    /// Terraform's refresh of `state`: the state ReadResource answers.
    async fn refresh(svc: &ProviderService<testing::Fake>, state: &Value) -> Value {
        let ty = testing::ty(svc, THING);
        let read = crate::server::read::read_resource(
            svc,
            pb::read_resource::Request {
                type_name: THING.to_string(),
                current_state: dv(state, &ty),
                ..Default::default()
            },
        )
        .await
        .expect("answers")
        .into_inner();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        decode(read.new_state.as_ref(), &ty).expect("a state")
    }

    const ERROR: i32 = pb::diagnostic::Severity::Error as i32;
    const WARNING: i32 = pb::diagnostic::Severity::Warning as i32;

    #[tokio::test]
    async fn a_missing_parent_the_prior_state_held_is_a_warning() {
        let svc = testing::configured().await;
        let prior = thing(
            &svc,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
                ("password_seen", Value::Bool(false)),
            ],
        );
        let config = thing(
            &svc,
            &[
                ("name", Value::string("b")),
                ("parent_id", Value::string("404")),
            ],
        );
        let (answer, planned) = plan(&svc, &prior, &config).await;
        assert_eq!(planned.attr("name"), &Value::string("b"));
        let (severity, path, detail) = only(&answer);
        assert_eq!(severity, WARNING, "{detail}");
        assert_eq!(path.as_deref(), Some("parent_id"));
        assert!(
            detail.contains("no longer exists") && detail.contains("apply will fail"),
            "{detail}"
        );

        // Another missing parent than the prior state's is new: an error.
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("405")),
            ],
        );
        let (answer, _) = plan(&svc, &prior, &config).await;
        assert_eq!(only(&answer).0, ERROR);
    }

    /// Terraform's pre-destroy refresh: the refresh finds the resource gone,
    /// then plans it as a create with no prior state; the parent it held must
    /// not fail that plan, or the destroy is blocked.
    #[tokio::test]
    async fn a_parent_held_by_a_resource_found_gone_is_a_warning() {
        let svc = testing::configured().await;
        let gone = thing(
            &svc,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
                ("password_seen", Value::Bool(false)),
            ],
        );
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
            ],
        );
        // Before the refresh, the same create plan is an error.
        let (answer, _) = plan(&svc, &Value::Null, &config).await;
        assert_eq!(only(&answer).0, ERROR);

        assert!(refresh(&svc, &gone).await.is_null(), "found gone");

        let (answer, planned) = plan(&svc, &Value::Null, &config).await;
        assert!(planned.attr("id").is_unknown());
        let (severity, path, detail) = only(&answer);
        assert_eq!(severity, WARNING, "{detail}");
        assert_eq!(path.as_deref(), Some("parent_id"));

        // Only what the vanished resource held: another parent is still an error.
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("405")),
            ],
        );
        let (answer, _) = plan(&svc, &Value::Null, &config).await;
        assert_eq!(only(&answer).0, ERROR);
    }

    /// `sibling = fake_thing.b.name`: known at plan, but `b` is created by the
    /// same apply; its plan (first: Terraform orders them) offers the name.
    #[tokio::test]
    async fn a_name_reference_to_an_object_planned_earlier_in_the_run_passes() {
        let svc = testing::configured().await;
        let with_sibling = |sibling: &str| {
            thing(
                &svc,
                &[
                    ("name", Value::string("a")),
                    ("sibling", Value::string(sibling)),
                ],
            )
        };
        let (answer, _) = plan(&svc, &Value::Null, &with_sibling("b")).await;
        assert_eq!(only(&answer).0, ERROR, "nothing named b yet");

        let b = thing(&svc, &[("name", Value::string("b"))]);
        let (answer, _) = plan(&svc, &Value::Null, &b).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let (answer, _) = plan(&svc, &Value::Null, &with_sibling("B")).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let (answer, _) = plan(&svc, &Value::Null, &with_sibling("c")).await;
        let (severity, path, _) = only(&answer);
        assert_eq!((severity, path.as_deref()), (ERROR, Some("sibling")));
    }

    #[tokio::test]
    async fn a_refresh_that_finds_the_resource_keeps_nothing_in_memory() {
        let svc = testing::configured().await;
        testing::store(&svc)
            .await
            .lock()
            .expect("store")
            .things
            .insert(
                "4".into(),
                testing::ThingModel {
                    id: Some("4".into()),
                    name: "a".into(),
                    parent_id: Some("404".into()),
                    ..Default::default()
                },
            );
        let found = thing(
            &svc,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
            ],
        );
        assert!(!refresh(&svc, &found).await.is_null(), "found");
        let config = thing(
            &svc,
            &[
                ("name", Value::string("b")),
                ("parent_id", Value::string("404")),
            ],
        );
        let (answer, _) = plan(&svc, &Value::Null, &config).await;
        assert_eq!(only(&answer).0, ERROR);
    }

    #[tokio::test]
    async fn a_plan_check_passes_for_an_existing_parent_and_skips_a_destroy() {
        let svc = testing::configured().await;
        let store = testing::store(&svc).await;
        store
            .lock()
            .expect("store")
            .things
            .insert("9".into(), Default::default());
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("9")),
            ],
        );
        let (answer, _) = plan(&svc, &Value::Null, &config).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
        let prior = thing(
            &svc,
            &[
                ("id", Value::string("4")),
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
            ],
        );
        let (answer, planned) = plan(&svc, &prior, &Value::Null).await;
        assert!(planned.is_null());
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
    }

    #[tokio::test]
    async fn an_unconfigured_provider_plans_without_the_check() {
        let svc = testing::service();
        let config = thing(
            &svc,
            &[
                ("name", Value::string("a")),
                ("parent_id", Value::string("404")),
            ],
        );
        let (answer, _) = plan(&svc, &Value::Null, &config).await;
        assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
    }
}
