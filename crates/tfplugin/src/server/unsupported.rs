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
