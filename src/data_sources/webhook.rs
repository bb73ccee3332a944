//! Data source `halopsa_webhook`: one webhook, by name or id, with its events. Its
//! secrets (`basic_password`, `authentication_header`) are never shown: Halo does
//! not answer them (docs/halo-api.md, "Webhook").

use super::{Lookup, NoExtra};
use crate::resources::WebhookResource;

pub struct WebhookLookup;

impl Lookup for WebhookLookup {
    const TYPE_NAME: &'static str = "halopsa_webhook";
    const DESCRIPTION: &'static str =
        "Looks up one webhook by `name` (exact, case-sensitive) or `id` (its GUID); with \
         both, both must match. Finding none or several is an error. The secrets are \
         always null.";
    type Source = WebhookResource;
    type Extra = NoExtra;
}
