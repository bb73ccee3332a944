//! The plugin floor: a provider built from the same crates as ours (`tfplugin`:
//! handshake, AutoMTLS, server, framework) with one no-op resource,
//! `floor_thing`, that talks to nothing. An apply of N of them is what any plugin
//! costs Terraform on this machine; ours is measured against it.
//!
//! The bench binary is that provider too: Terraform starts a copy of it named
//! `terraform-provider-floor` (see [`install`]), and [`serve_if_launched`] serves
//! the floor instead of running the benchmarks.

use std::path::Path;

use async_trait::async_trait;
use tfplugin::framework::{
    AnyResource, ApplyError, Diagnostic, Diagnostics, Resource, Schema, Value,
};
use tfplugin::server::{ProviderDefinition, ProviderService};
use tokio_util::sync::CancellationToken;

tfplugin::model! {
    /// A thing: its name, and an id that is the name.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ThingModel {
        id: Option<String> = computed().use_state_for_unknown().description("The name again."),
        name: String = required().description("Any name."),
    }
}

tfplugin::model! {
    /// No filters.
    #[derive(Debug, Clone, Default)]
    pub struct NoFilter {}
}

struct Thing;

#[async_trait]
impl Resource<()> for Thing {
    const TYPE_NAME: &'static str = "floor_thing";
    const DESCRIPTION: &'static str = "Nothing, kept in state.";
    type Model = ThingModel;
    type Filter = NoFilter;
    type Key = String;

    fn key(state: &ThingModel) -> Result<String, Diagnostic> {
        Ok(state.name.clone())
    }
    fn parse_import_id(id: &str) -> Result<String, Diagnostic> {
        Ok(id.to_string())
    }
    async fn list(&self, _: &(), _: NoFilter) -> Result<Vec<ThingModel>, Diagnostics> {
        Ok(Vec::new())
    }
    async fn create(&self, _: &(), plan: ThingModel) -> Result<ThingModel, ApplyError<ThingModel>> {
        Ok(ThingModel {
            id: Some(plan.name.clone()),
            ..plan
        })
    }
    async fn read(
        &self,
        _: &(),
        _: String,
        prior: Option<&ThingModel>,
    ) -> Result<Option<ThingModel>, Diagnostics> {
        Ok(prior.cloned())
    }
    async fn update(
        &self,
        _: &(),
        _: ThingModel,
        plan: ThingModel,
    ) -> Result<ThingModel, ApplyError<ThingModel>> {
        Ok(plan)
    }
    async fn delete(&self, _: &(), _: ThingModel) -> Result<(), Diagnostics> {
        Ok(())
    }
}

tfplugin::model! {
    /// An empty provider block.
    #[derive(Debug, Default)]
    pub struct FloorConfig {}
}

struct Floor;

impl ProviderDefinition for Floor {
    type Client = ();

    fn name(&self) -> &'static str {
        "floor"
    }
    fn schema(&self) -> Schema {
        Schema::of::<FloorConfig>("The plugin floor.")
    }
    fn configure(&self, _: &Value) -> Result<(), Diagnostics> {
        Ok(())
    }
    fn bind(&self, _: &(), _: CancellationToken) {}
    fn resources(&self) -> Vec<Box<dyn AnyResource<()>>> {
        vec![Box::new(Thing)]
    }
}

/// When Terraform started this binary as `terraform-provider-floor`, serves the
/// floor provider and returns true.
pub fn serve_if_launched() -> bool {
    if std::env::var_os("TF_PLUGIN_MAGIC_COOKIE").is_none() {
        return false;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let served = runtime.block_on(tfplugin::plugin::serve_for_terraform(ProviderService::new(
        Floor,
    )));
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if let Err(e) = served {
        eprintln!("{e}");
        std::process::exit(1);
    }
    true
}

/// The source address Terraform knows the floor by.
pub const SOURCE: &str = "registry.terraform.io/bench/floor";

/// Puts a copy of this binary in `dir` as `terraform-provider-floor`, for a
/// `dev_overrides` entry of [`SOURCE`].
pub fn install(dir: &Path) {
    let me = std::env::current_exe().expect("the bench binary's path");
    let name = if cfg!(windows) {
        "terraform-provider-floor.exe"
    } else {
        "terraform-provider-floor"
    };
    std::fs::create_dir_all(dir).expect("the floor's directory");
    std::fs::copy(me, dir.join(name)).expect("the floor provider is copied");
}

/// The configuration of an apply of `n` floor things.
pub fn things(n: usize) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    floor = {{\n      source = \"{SOURCE}\"\n    }}\n  }}\n}}\n\nresource \"floor_thing\" \"t\" {{\n  count = {n}\n  name  = \"Bench ${{count.index}}\"\n}}\n"
    )
}
