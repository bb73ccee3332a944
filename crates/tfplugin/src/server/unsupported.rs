//! Every RPC the provider does not implement, answered in one way: a gRPC
//! `UNIMPLEMENTED` status naming the RPC and what the provider lacks.
//!
//! Terraform only calls these for features a provider announces (state stores,
//! actions, configuration generation), and the schema announces none of them.
//! Ephemeral resources and functions have modules of their own.

use tonic::Status;

use super::RpcResult;

/// What the provider has none of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    ConfigGeneration,
    StateStores,
    Actions,
}

impl Missing {
    fn reason(self) -> &'static str {
        match self {
            Missing::ConfigGeneration => "this provider does not generate resource configuration",
            Missing::StateStores => "this provider has no state stores",
            Missing::Actions => "this provider has no actions",
        }
    }
}

/// The answer to an RPC the provider does not implement.
pub(super) fn rpc<T>(name: &str, missing: Missing) -> RpcResult<T> {
    Err(Status::unimplemented(format!(
        "{name} is not supported: {}",
        missing.reason()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::proto::tfplugin6 as pb;

    #[test]
    fn the_answer_names_the_rpc_and_what_is_missing() {
        let status = rpc::<pb::generate_resource_config::Response>(
            "GenerateResourceConfig",
            Missing::ConfigGeneration,
        )
        .expect_err("unsupported");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        assert_eq!(
            status.message(),
            "GenerateResourceConfig is not supported: this provider does not generate resource configuration"
        );
        let status = rpc::<pb::lock_state::Response>("LockState", Missing::StateStores)
            .expect_err("unsupported");
        assert!(status.message().starts_with("LockState is not supported"));
        assert!(status.message().ends_with("state stores"));
    }
}

#[cfg(test)]
mod dispatch_tests {
    use crate::plugin::proto::tfplugin6::provider_server::Provider;
    use crate::server::testing;
    use crate::server::RpcResult;
    use tonic::Request;

    /// The message of an RPC answered as unsupported.
    fn unsupported<T: std::fmt::Debug>(answer: RpcResult<T>) -> String {
        let status = answer.expect_err("unsupported");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        status.message().to_string()
    }

    #[tokio::test]
    async fn each_unsupported_rpc_names_itself() {
        let svc = testing::service();
        let answers = [
            (
                "GenerateResourceConfig",
                unsupported(
                    svc.generate_resource_config(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "ValidateStateStoreConfig",
                unsupported(
                    svc.validate_state_store_config(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "ConfigureStateStore",
                unsupported(
                    svc.configure_state_store(Request::new(Default::default()))
                        .await,
                ),
            ),
            (
                "LockState",
                unsupported(svc.lock_state(Request::new(Default::default())).await),
            ),
            (
                "UnlockState",
                unsupported(svc.unlock_state(Request::new(Default::default())).await),
            ),
            (
                "GetStates",
                unsupported(svc.get_states(Request::new(Default::default())).await),
            ),
            (
                "DeleteState",
                unsupported(svc.delete_state(Request::new(Default::default())).await),
            ),
            (
                "PlanAction",
                unsupported(svc.plan_action(Request::new(Default::default())).await),
            ),
            (
                "ValidateActionConfig",
                unsupported(
                    svc.validate_action_config(Request::new(Default::default()))
                        .await,
                ),
            ),
        ];
        for (rpc, message) in answers {
            assert!(
                message.starts_with(&format!("{rpc} is not supported: ")),
                "{rpc}: {message}"
            );
        }
        for stream in [
            svc.read_state_bytes(Request::new(Default::default()))
                .await
                .err(),
            svc.invoke_action(Request::new(Default::default()))
                .await
                .err(),
        ] {
            assert_eq!(stream.map(|s| s.code()), Some(tonic::Code::Unimplemented));
        }
    }
}
