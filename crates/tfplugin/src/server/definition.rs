//! What a provider gives the server: its block's schema, how a configured block
//! becomes the API client, and its types. The binary builds one and hands it to
//! [`ProviderService::new`](super::ProviderService::new); the server knows nothing
//! else of the provider.

use tokio_util::sync::CancellationToken;

use crate::framework::{AnyDataSource, AnyEphemeral, AnyResource, Diagnostics, Function};
use crate::framework::{Schema, Value};

/// A provider, as the tfplugin6 server serves it.
pub trait ProviderDefinition: Send + Sync + 'static {
    /// What ConfigureProvider builds and every type's operations receive.
    type Client: Send + Sync + 'static;

    /// The provider's local name (`halopsa`), used in the server's messages.
    fn name(&self) -> &'static str;

    /// The provider block.
    fn schema(&self) -> Schema;

    /// Builds the client from the provider block's value (of [`schema`](Self::schema)'s
    /// type, known in full: the server answers a block holding unknowns itself).
    fn configure(&self, config: &Value) -> Result<Self::Client, Diagnostics>;

    /// Appended to the error an operation gets before the provider is configured:
    /// which settings to give known values.
    fn configuration_hint(&self) -> &'static str {
        ""
    }

    /// The client one request uses, cancelled when Terraform stops the provider.
    fn bind(&self, client: &Self::Client, stop: CancellationToken) -> Self::Client;

    /// Every managed resource type.
    fn resources(&self) -> Vec<Box<dyn AnyResource<Self::Client>>>;

    /// Whether a resource type is offered to `list` blocks (Terraform 1.14+) with
    /// its filters ([`AnyResource::list_schema`]). Every type by default.
    fn lists(&self, _type_name: &str) -> bool {
        true
    }

    /// Every data source type.
    fn data_sources(&self) -> Vec<Box<dyn AnyDataSource<Self::Client>>> {
        Vec::new()
    }

    /// Every ephemeral resource type.
    fn ephemeral_resources(&self) -> Vec<Box<dyn AnyEphemeral<Self::Client>>> {
        Vec::new()
    }

    /// Every provider function.
    fn functions(&self) -> Vec<Function> {
        Vec::new()
    }
}
