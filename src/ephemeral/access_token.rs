//! `halopsa_access_token`: a Halo access token for the provider's own client
//! credentials (the API application it is configured with), for handing to
//! other tools (an `http` data source, another provider, a write-only attribute)
//! without it ever reaching plan or state.
//!
//! Each open asks Halo's token endpoint for a new token (the provider's cached
//! token is not handed out). Halo's client-credentials tokens cannot be
//! extended, so the renewal Terraform asks for at `renew_at` (a minute before
//! expiry) only warns when the token is about to expire while still in use.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::framework::{Diagnostic, Diagnostics, EphemeralResource, Opened, Renewed, Validator};
use crate::halo::{HaloClient, Secret};
use crate::resources::support::halo_error;

pub struct AccessTokenResource;

/// Renewal is asked for this long before the token expires (half its life when
/// it lives less than twice this).
const RENEW_MARGIN: Duration = Duration::from_secs(60);

crate::model! {
    /// Configuration and result. `Debug` prints the token as `***`.
    #[derive(Debug, Default)]
    pub struct AccessTokenModel {
        scope: Option<String> = optional_computed()
            .validate(Validator::length(1, 1000))
            .description(
                "The scopes to ask for, space-separated (e.g. `read:tickets`); default the \
                 provider's `scope`. Halo grants at most what the provider's API \
                 application may do.",
            ),
        access_token: Option<Secret> = computed()
            .sensitive()
            .description("The bearer token (sensitive)."),
        expires_at: Option<String> = computed()
            .description("When the token expires, RFC 3339 (UTC), from Halo's `expires_in`."),
    }
}

/// What Terraform hands back to renew and close: never the token itself.
#[derive(Serialize, Deserialize)]
struct Private {
    expires_at: String,
}

fn rfc3339(t: SystemTime) -> String {
    let t = OffsetDateTime::from(t);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// When Terraform should renew a token that lives `lifetime` from `now`.
fn renew_at(now: SystemTime, lifetime: Duration) -> SystemTime {
    if lifetime >= RENEW_MARGIN * 2 {
        now + (lifetime - RENEW_MARGIN)
    } else {
        now + lifetime / 2
    }
}

#[async_trait]
impl EphemeralResource<HaloClient> for AccessTokenResource {
    const TYPE_NAME: &'static str = "halopsa_access_token";
    const DESCRIPTION: &'static str =
        "A Halo access token (OAuth client credentials) for the API application the \
         provider is configured with, for feeding other providers, HTTP calls and \
         write-only attributes. Never written to plan or state. Requires Terraform 1.10+.";
    type Model = AccessTokenModel;

    async fn open(
        &self,
        halo: &HaloClient,
        config: AccessTokenModel,
    ) -> Result<Opened<AccessTokenModel>, Diagnostics> {
        let (token, lifetime, scope) = halo
            .issue_token(config.scope.as_deref())
            .await
            .map_err(halo_error)?;
        let now = SystemTime::now();
        let expires_at = rfc3339(now + lifetime);
        let private = serde_json::to_vec(&Private {
            expires_at: expires_at.clone(),
        })
        .map_err(|e| Diagnostic::error("Could not keep the token's expiry", e.to_string()))?;
        Ok(Opened {
            result: AccessTokenModel {
                scope: Some(scope),
                access_token: Some(token),
                expires_at: Some(expires_at),
            },
            renew_at: Some(renew_at(now, lifetime)),
            private,
        })
    }

    async fn renew(&self, _halo: &HaloClient, private: &[u8]) -> Result<Renewed, Diagnostics> {
        let expires_at = serde_json::from_slice::<Private>(private)
            .map(|p| p.expires_at)
            .unwrap_or_else(|_| "soon".to_string());
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(Diagnostic::warning(
            "The Halo access token expires while still in use",
            format!(
                "The token of halopsa_access_token expires at {expires_at}. Halo's \
                 client-credentials tokens cannot be extended; a request that uses it \
                 after then fails with 401 and needs a new run."
            ),
        ));
        Ok(Renewed {
            renew_at: None,
            private: private.to_vec(),
            diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_before_expiry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            renew_at(now, Duration::from_secs(3600)),
            now + Duration::from_secs(3540)
        );
        assert_eq!(
            renew_at(now, Duration::from_secs(60)),
            now + Duration::from_secs(30)
        );
        assert_eq!(rfc3339(now), "2023-11-14T22:13:20Z");
    }
}
