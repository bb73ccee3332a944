//! HaloPSA REST client (see `docs/halo-api.md` for the API as modelled).
//!
//! [`HaloClient`] is the only way the provider talks to Halo: every request
//! goes through one path that applies the client-side rate limit, the bearer
//! token (fetched lazily, shared, refreshed once on 401), retries with
//! exponential backoff and full jitter, and cancellation.

mod auth;
mod backoff;
mod batch;
mod batch_send;
mod client;
mod config;
mod error;
mod generic;
mod models;
mod ratelimit;
mod raw;
mod snapshot;

#[cfg(test)]
mod tests;

pub use client::HaloClient;
pub use config::{check_url, ClientConfig, RateLimit, Secret};
pub use error::HaloError;
pub use models::{
    Agent, Application, Claim, Client, Department, DepartmentMembership, HaloObject, Organisation,
    OrganisationRef, Role, RoleRef, Scope, Team, Webhook, WebhookEvent, Workday,
};
pub use models::{
    AllowedStatus, AllowedTeam, CustomField, FieldChoice, FieldGroup, GroupField, Sla, SlaPriority,
    TicketType, TicketTypeField,
};
pub use models::{Category, Outcome, Status};
pub use ratelimit::default_budget_dir;
