//! What the provider binary's subcommands that talk to Halo (`export`, `sweep`)
//! share: the Halo client from the provider's `HALOPSA_*` environment, the runtime
//! it runs on, and the scrubbing of the client secret from anything printed.

use std::process::ExitCode;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::halo::{HaloClient, Secret};
use crate::provider::ProviderConfig;

/// A subcommand's connection to Halo. Opening it prints why it could not be
/// opened (prefixed with the command's name, followed by `hint`) and gives the
/// exit code: 2 for a configuration the user must fix, 1 otherwise.
pub struct Session {
    /// Always `Some` until the session is dropped.
    runtime: Option<Runtime>,
    pub client: HaloClient,
    secret: Secret,
}

impl Session {
    pub fn open(command: &str, hint: &str) -> Result<Session, ExitCode> {
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("\n{hint}")
        };
        let config = ProviderConfig::default().client_config().map_err(|diags| {
            eprintln!(
                "{command}: the configuration is incomplete:\n{}{hint}",
                diags.to_string().trim_end()
            );
            ExitCode::from(2)
        })?;
        let secret = config.client_secret.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                eprintln!("{command}: cannot start the async runtime: {e}");
                ExitCode::FAILURE
            })?;
        let client = HaloClient::new(config).map_err(|e| {
            eprintln!("{command}: {}{hint}", scrub(&secret, e.to_string()));
            ExitCode::from(2)
        })?;
        Ok(Session {
            runtime: Some(runtime),
            client,
            secret,
        })
    }

    /// `text` with the client secret replaced by `***`.
    pub fn scrub(&self, text: String) -> String {
        scrub(&self.secret, text)
    }

    /// Runs `work` to its end.
    pub fn run<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        match &self.runtime {
            Some(runtime) => runtime.block_on(work),
            None => unreachable!("the runtime is taken only on drop"),
        }
    }
}

/// The command is over: what is left of its background work (a token refresh,
/// a budget file write) gets a moment, not forever.
impl Drop for Session {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_millis(100));
        }
    }
}

fn scrub(secret: &Secret, text: String) -> String {
    if secret.is_empty() {
        text
    } else {
        text.replace(secret.expose(), "***")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_secret_is_scrubbed_and_an_empty_one_changes_nothing() {
        let secret = crate::halo::Secret::from("s3cr3t-value".to_string());
        assert_eq!(
            super::scrub(&secret, "token s3cr3t-value refused".into()),
            "token *** refused"
        );
        let empty = crate::halo::Secret::from(String::new());
        assert_eq!(super::scrub(&empty, "as is".into()), "as is");
    }
}
