//! Every RPC the provider does not implement, answered in one way: a gRPC
//! `UNIMPLEMENTED` status naming the RPC and what the provider lacks.
//!
//! Terraform only calls these for features a provider announces (ephemeral
//! resources, functions, state stores, actions, configuration generation), and
//! the schema announces none of them. Ephemeral resources and functions will get
//! modules of their own; until then their RPCs are answered here.

use tonic::{Response, Status};

use super::RpcResult;
use crate::plugin::proto::tfplugin6 as pb;

/// What the provider has none of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    ConfigGeneration,
    EphemeralResources,
    Functions,
    StateStores,
    Actions,
}

impl Missing {
    fn reason(self) -> &'static str {
        match self {
            Missing::ConfigGeneration => "this provider does not generate resource configuration",
            Missing::EphemeralResources => "this provider has no ephemeral resources",
            Missing::Functions => "this provider has no functions",
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

/// GetFunctions: the provider has none, which is an answer, not an error.
pub(super) fn get_functions() -> RpcResult<pb::get_functions::Response> {
    Ok(Response::new(pb::get_functions::Response::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_names_the_rpc_and_what_is_missing() {
        let status = rpc::<pb::call_function::Response>("CallFunction", Missing::Functions)
            .expect_err("unsupported");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        assert_eq!(
            status.message(),
            "CallFunction is not supported: this provider has no functions"
        );
        let status = rpc::<pb::lock_state::Response>("LockState", Missing::StateStores)
            .expect_err("unsupported");
        assert!(status.message().starts_with("LockState is not supported"));
        assert!(status.message().ends_with("state stores"));
    }

    #[test]
    fn there_are_no_functions() {
        let answer = get_functions().expect("answers").into_inner();
        assert!(answer.functions.is_empty());
        assert!(answer.diagnostics.is_empty());
    }
}
