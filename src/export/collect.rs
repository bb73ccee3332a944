//! Reading the tenant: every object of each kind through the provider's own
//! `list` (so an object reads exactly as its import does), counting the requests
//! each kind took.

use crate::framework::{AnyResource, Diagnostics, Schema, Value};
use crate::halo::HaloClient;

use super::kinds::no_filter;

/// The objects of one kind, as state.
pub struct Listed {
    pub type_name: &'static str,
    pub schema: Schema,
    /// The state attributes whose values, joined by `/`, are the import id.
    pub identity: &'static [&'static str],
    pub objects: Vec<Value>,
    /// The API requests listing them took.
    pub requests: u64,
}

impl Listed {
    /// The progress line: `halopsa_team: 12 objects, 1 request`.
    pub fn progress(&self) -> String {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}: {}, {}",
            self.type_name,
            plural(self.objects.len() as u64, "object", "objects"),
            plural(self.requests, "request", "requests")
        )
    }
}

/// Every object of the kind `r`: all pages of its list, with the detail reads
/// the type needs (`ObjectResource::DETAILS`), nothing else.
pub async fn list(
    client: &HaloClient,
    r: &dyn AnyResource<HaloClient>,
) -> Result<Listed, Diagnostics> {
    let before = client.api_requests();
    let objects = r.list(client, &no_filter(r)).await?;
    Ok(Listed {
        type_name: r.type_name(),
        schema: r.schema(),
        identity: r.identity(),
        objects,
        requests: client.api_requests().saturating_sub(before),
    })
}
