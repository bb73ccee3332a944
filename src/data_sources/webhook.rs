//! Data source `halopsa_webhook`: one webhook, by name or id, with its events. Its
//! secrets (`basic_password`, `authentication_header`) are never shown: Halo does
//! not answer them (docs/halo-api.md, "Webhook").

use super::{Lookup, NoExtra};
use crate::halo::Webhook;
use crate::resources::WebhookModel;

pub struct WebhookLookup;

impl Lookup for WebhookLookup {
    const TYPE_NAME: &'static str = "halopsa_webhook";
    const DESCRIPTION: &'static str =
        "Looks up one webhook by `name` (exact, case-sensitive) or `id` (its GUID); with \
         both, both must match. Finding none or several is an error. The secrets are \
         always null.";
    /// Events are a detail list.
    const DETAILS: bool = true;
    type Object = Webhook;
    type Model = WebhookModel;
    type Extra = NoExtra;

    fn model(obj: &Webhook) -> WebhookModel {
        let mut found = WebhookModel::from_halo(obj.clone(), &WebhookModel::default());
        found.forget_secrets();
        found
    }

    fn extra(_: &Webhook) -> NoExtra {
        NoExtra {}
    }
}
