//! A raw, read-only look at Halo's answers for `terraform-provider-halopsa doctor`,
//! which needs to see list shapes and fields the typed models leave out.
//!
//! Only `GET` is offered: the doctor cannot change anything in Halo by construction.

use reqwest::Method;
use serde_json::Value;

use super::client::{Call, HaloClient, Result};
use super::error::HaloError;

impl HaloClient {
    /// `GET {url}/api/{segments...}?{query}` through the client's one request path
    /// (token, rate limit, retries with backoff, timeout, cancellation), answering
    /// the JSON as Halo sent it (`Value::Null` for an empty body). A 404 is
    /// [`HaloError::NotFound`]; a body that is not JSON is [`HaloError::Decode`].
    pub async fn get_raw(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Value> {
        let call = Call {
            method: Method::GET,
            url: self.endpoint(segments)?,
            query,
            body: None,
        };
        let answer = self.run(&call).await?;
        let body = answer.body.trim();
        if body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(body).map_err(|e| HaloError::Decode {
            method: "GET".into(),
            path: call.url.path().to_owned(),
            // The body itself is left out: it may hold a secret.
            message: format!("not JSON ({e})"),
        })
    }
}
