//! Ephemeral resources (Terraform 1.10+): values opened for one Terraform run,
//! renewed while it lasts and closed at its end, never written to plan or state.
//! The trait is written against a typed [`Model`] holding both the
//! configuration and the result; [`AnyEphemeral`] is its erased form.

use std::time::SystemTime;

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::model::Model;
use super::schema::Schema;
use super::value::Value;

/// What opening an ephemeral resource gives Terraform.
#[derive(Debug)]
pub struct Opened<M> {
    /// Configuration and computed values.
    pub result: M,
    /// When Terraform should call renew (if it still uses the value then).
    pub renew_at: Option<SystemTime>,
    /// Opaque bytes Terraform hands back to renew and close.
    pub private: Vec<u8>,
}

/// What renewing gives Terraform: the next renewal, if any, and new private bytes.
#[derive(Debug, Default)]
pub struct Renewed {
    pub renew_at: Option<SystemTime>,
    pub private: Vec<u8>,
    /// Warnings to show (errors are the `Err` of [`EphemeralResource::renew`]).
    pub diagnostics: Diagnostics,
}

/// An ephemeral resource type, written against its model.
#[async_trait]
pub trait EphemeralResource<C: Sync>: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    const DESCRIPTION: &'static str;
    /// Configuration and result in one object; its declaration is the schema.
    type Model: Model;

    /// Checks beyond single-attribute validators.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    async fn open(
        &self,
        client: &C,
        config: Self::Model,
    ) -> Result<Opened<Self::Model>, Diagnostics>;

    /// Called at `renew_at` while Terraform still uses the value. A type that never
    /// sets `renew_at` need not implement it: the default answers an error, since
    /// a renewal that did nothing would let Terraform use a value gone stale.
    async fn renew(&self, _client: &C, _private: &[u8]) -> Result<Renewed, Diagnostics> {
        Err(super::diag::Diagnostic::error(
            "Renewal not supported",
            format!(
                "{} cannot be renewed: it schedules no renewal, so Terraform should not have asked. \
                 Open it again instead.",
                Self::TYPE_NAME
            ),
        )
        .into())
    }

    /// Called when Terraform no longer needs the value.
    async fn close(&self, _client: &C, _private: &[u8]) -> Result<(), Diagnostics> {
        Ok(())
    }
}

/// The outcome of opening, in value form.
pub struct OpenedValue {
    pub result: Value,
    pub renew_at: Option<SystemTime>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// An ephemeral resource with its model erased, as the protocol server sees it.
#[async_trait]
pub trait AnyEphemeral<C: Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn check_model(&self) -> Result<(), String>;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    async fn open(&self, client: &C, config: &Value) -> OpenedValue;
    async fn renew(&self, client: &C, private: &[u8]) -> Result<Renewed, Diagnostics>;
    async fn close(&self, client: &C, private: &[u8]) -> Diagnostics;
}

#[async_trait]
impl<C: Sync, E: EphemeralResource<C>> AnyEphemeral<C> for E {
    fn type_name(&self) -> &'static str {
        E::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::of::<E::Model>(E::DESCRIPTION)
    }

    fn check_model(&self) -> Result<(), String> {
        super::model::check_model::<E::Model>().map_err(|e| format!("{}: {e}", E::TYPE_NAME))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        EphemeralResource::validate(self, config, diags);
    }

    async fn open(&self, client: &C, config: &Value) -> OpenedValue {
        let failed = |diagnostics: Diagnostics| OpenedValue {
            result: Value::Null,
            renew_at: None,
            private: Vec::new(),
            diagnostics,
        };
        let model = match E::Model::from_value(config) {
            Ok(m) => m,
            Err(d) => return failed(d.into()),
        };
        match EphemeralResource::open(self, client, model).await {
            Ok(o) => OpenedValue {
                result: o.result.to_value(),
                renew_at: o.renew_at,
                private: o.private,
                diagnostics: Diagnostics::new(),
            },
            Err(d) => failed(d),
        }
    }

    async fn renew(&self, client: &C, private: &[u8]) -> Result<Renewed, Diagnostics> {
        EphemeralResource::renew(self, client, private).await
    }

    async fn close(&self, client: &C, private: &[u8]) -> Diagnostics {
        EphemeralResource::close(self, client, private)
            .await
            .err()
            .unwrap_or_default()
    }
}
