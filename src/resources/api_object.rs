//! `halopsa_api_object`: any object of any endpoint family of Halo's API that
//! has list, get, POST and delete (`halo-catalog`), its fields given as a
//! dynamic `body` checked against the family's schema at plan time.
//!
//! Only the keys the body sets are sent, compared and refreshed
//! (`api_body::refreshed`): whatever else Halo holds or adds never shows as a
//! diff, and a managed key changed in Halo shows as drift. Refreshes share the
//! run's list of the family (one list of pages for all objects of it) and read
//! an object by `GET` only when its listed form lacks a managed key.

use std::collections::BTreeSet;

use async_trait::async_trait;
use halo_catalog::{catalog, Family, IdKind};
use serde_json::Value as J;

use super::api_body::{self, id_text};
use super::support::{halo_diagnostic, halo_error};
use crate::framework::{attr_error, ApplyError, Diagnostic, Diagnostics, Dynamic, Resource, Value};
use crate::halo::HaloClient;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ApiObjectModel {
        id: Option<String> = computed().use_state_for_unknown()
            .description("Halo's id of the object: a whole number, or a GUID for the families Halo identifies so (`Webhook`, `Roles`, `Priority`, ...)."),
        path: String = required().requires_replace()
            .description("The endpoint family, as in Halo's API paths: `TicketType`, `Status`, `SLA`, `Outcome`, `Category`, `FieldGroup`, ... (every family of Halo's OpenAPI document with list, get, POST and delete; letter case as there). Checked at plan time, with the nearest name on a typo. Changing it replaces the object."),
        body: Dynamic = optional()
            .description("The fields of the object that this resource manages, as an HCL object with Halo's field names (`{ name = \"Incident\", sequence = 1 }`). Every key, nested ones included where Halo's schema types them, is checked at plan time. Only these keys are sent and compared: fields Halo holds besides them never show as a diff; one of them changed in Halo shows as drift."),
        sensitive_body: Dynamic = optional().write_only()
            .description("Fields merged into `body` when it is sent, for secrets (a mailbox password, a client secret). Write-only (Terraform 1.11+): never in the plan or state; sent on create and whenever `sensitive_body_version` changes."),
        sensitive_body_version: Option<String> = optional()
            .description("Any text; changing it sends `sensitive_body` again."),
        response_export_values: Option<BTreeSet<String>> = optional()
            .description("Keys of Halo's answer (or JSON pointers such as `/statuses/0/id`) to keep in `output`. Nothing by default, so the state stays small."),
        output: Dynamic = computed()
            .description("The values of Halo's answer that `response_export_values` names, each under its own name."),
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ApiObjectFilter {
        path: String = required().description("The endpoint family to list (`TicketType`, `Status`, ...)."),
        search: Option<String> = optional().description("Halo's `search` filter (matches names)."),
    }
}

/// The family of `path` with its canonical name.
pub(crate) fn family_of(path: &str) -> Result<(&'static str, &'static Family), Diagnostic> {
    catalog().family(path.trim()).ok_or_else(|| {
        api_body::unknown_path(
            ApiObjectModel::path,
            path,
            catalog().family_names().collect(),
            "an endpoint family with list, get, POST and delete",
        )
    })
}

/// Checks an id against the family's id kind.
fn check_id(
    family: &'static str,
    kind: IdKind,
    id: &str,
    attr: &str,
) -> Result<String, Diagnostic> {
    let id = id.trim();
    let ok = match kind {
        IdKind::Int => id.parse::<i64>().is_ok_and(|i| i > 0),
        IdKind::Guid | IdKind::String | IdKind::None => !id.is_empty(),
    };
    if ok {
        Ok(id.to_string())
    } else {
        let wanted = match kind {
            IdKind::Int => "a positive whole number",
            _ => "a non-empty id (a GUID)",
        };
        Err(attr_error(
            attr,
            format!("Invalid {family} id"),
            format!("{id:?} is not an id of {family}: {wanted} is expected."),
        ))
    }
}

pub struct ApiObjectResource;

/// The state of an object read back: `body` limited to `prior`'s keys, or to
/// its writable fields when there is no prior body (import, list).
fn state_of(
    family: &'static str,
    f: &Family,
    halo: &J,
    prior: Option<&ApiObjectModel>,
) -> Option<ApiObjectModel> {
    let id = id_text(halo)?;
    let (body, exports, version) = match prior {
        Some(p) if !p.body.is_null() => (
            Dynamic(api_body::refreshed(halo, &p.body.0)),
            p.response_export_values.clone(),
            p.sensitive_body_version.clone(),
        ),
        Some(p) => (
            Dynamic(Value::Null),
            p.response_export_values.clone(),
            p.sensitive_body_version.clone(),
        ),
        None => (Dynamic(api_body::writable(&f.schema, halo)), None, None),
    };
    let list: Vec<String> = exports.iter().flatten().cloned().collect();
    Some(ApiObjectModel {
        id: Some(id),
        path: prior.map_or_else(|| family.to_string(), |p| p.path.clone()),
        body,
        sensitive_body: Dynamic::default(),
        sensitive_body_version: version,
        response_export_values: exports,
        output: Dynamic(api_body::exported(halo, &list)),
    })
}

fn write_failed(e: &crate::halo::HaloError) -> Diagnostic {
    let d = halo_diagnostic(e);
    if e.status() == Some(reqwest::StatusCode::BAD_REQUEST) {
        return d.at(crate::framework::AttrPath::root(ApiObjectModel::body));
    }
    d
}

impl ApiObjectResource {
    async fn save(
        &self,
        client: &HaloClient,
        plan: &ApiObjectModel,
        id: Option<&str>,
        send_secret: bool,
    ) -> Result<ApiObjectModel, ApplyError<ApiObjectModel>> {
        let (family, f) = family_of(&plan.path)?;
        let mut body = api_body::to_json(plan.body.inner());
        if body.is_null() {
            body = J::Object(Default::default());
        }
        if send_secret && !plan.sensitive_body.is_null() {
            body = api_body::merged(body, plan.sensitive_body.inner());
        }
        if let (Some(id), J::Object(m)) = (id, &mut body) {
            let idv = match f.id {
                IdKind::Int => id
                    .parse::<i64>()
                    .map(J::from)
                    .unwrap_or(J::String(id.into())),
                _ => J::String(id.into()),
            };
            m.insert("id".into(), idv);
        }
        let answer = client
            .save_json(family, &body)
            .await
            .map_err(|e| write_failed(&e))?;
        let Some(new_id) = id_text(&answer).or_else(|| id.map(str::to_string)) else {
            return Err(Diagnostic::error(
                "Halo answered no id",
                format!(
                    "Halo saved the {family} but its answer holds no id; import it once found."
                ),
            )
            .into());
        };
        let exports: Vec<String> = plan
            .response_export_values
            .iter()
            .flatten()
            .cloned()
            .collect();
        Ok(ApiObjectModel {
            id: Some(new_id),
            path: plan.path.clone(),
            body: plan.body.clone(),
            sensitive_body: Dynamic::default(),
            sensitive_body_version: plan.sensitive_body_version.clone(),
            response_export_values: plan.response_export_values.clone(),
            output: Dynamic(api_body::exported(&answer, &exports)),
        })
    }
}

/// Checks `path` and the keys of `body` and `sensitive_body` (plan time).
pub(crate) fn validate_object(config: &Value, diags: &mut Diagnostics, attrs: &[&str]) {
    let Some(path) = config.attr(ApiObjectModel::path).as_str() else {
        return;
    };
    match family_of(path) {
        Ok((family, f)) => {
            for attr in attrs {
                api_body::check(attr, config.attr(attr), family, &f.schema, diags);
            }
        }
        Err(d) => diags.push(d),
    }
}

#[async_trait]
impl Resource<HaloClient> for ApiObjectResource {
    const TYPE_NAME: &'static str = "halopsa_api_object";
    /// `{ path, id }`: the family and Halo's id, as in `PATH/ID` import ids.
    const IDENTITY: &'static [&'static str] = &[ApiObjectModel::path, ApiObjectModel::id];
    const DESCRIPTION: &'static str = "Any object of Halo's API that has list, get, POST and delete (ticket types, statuses, SLAs, outcomes, categories, custom fields, templates, workflows, ...): its fields given as `body`, checked against Halo's OpenAPI schema at plan time. Only the keys `body` sets are managed: fields Halo holds besides them never show as a diff. Import with `PATH/ID` (e.g. `TicketType/12`).";
    type Model = ApiObjectModel;
    type Filter = ApiObjectFilter;
    type Key = (&'static str, String, Vec<String>);

    fn key(state: &ApiObjectModel) -> Result<Self::Key, Diagnostic> {
        let (family, f) = family_of(&state.path)?;
        let id = check_id(family, f.id, state.id.as_deref().unwrap_or_default(), ApiObjectModel::id)?;
        Ok((family, id, api_body::keys(&state.body.0)))
    }

    fn parse_import_id(id: &str) -> Result<Self::Key, Diagnostic> {
        let Some((path, oid)) = id.trim().split_once('/') else {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!("{id:?} is not PATH/ID: import halopsa_api_object with the family and the id, e.g. TicketType/12."),
            ));
        };
        let (family, f) = family_of(path)?;
        let oid = check_id(family, f.id, oid, ApiObjectModel::id)?;
        Ok((family, oid, Vec::new()))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let bodies = [ApiObjectModel::body, ApiObjectModel::sensitive_body];
        validate_object(config, diags, &bodies);
        for attr in bodies {
            if let Value::Object(m) = config.attr(attr).undynamic() {
                // Halo's own `id` field of the object.
                if m.contains_key("id") {
                    diags.push(Diagnostic::attribute_error(
                        crate::framework::AttrPath::root(attr).attr(ApiObjectModel::id),
                        format!("id cannot be set in {attr}"),
                        format!("{attr}.id: Halo's id of the object is the resource's `id`, set by Halo; to manage an existing object, import it (PATH/ID)."),
                    ));
                }
            }
        }
    }

    async fn list(
        &self,
        client: &HaloClient,
        filter: ApiObjectFilter,
    ) -> Result<Vec<ApiObjectModel>, Diagnostics> {
        let (family, f) =
            family_of(&filter.path).map_err(|d| d.at(crate::framework::AttrPath::root(ApiObjectModel::path)))?;
        let found = client
            .list_json(family, filter.search.as_deref().filter(|s| !s.is_empty()))
            .await
            .map_err(halo_error)?;
        Ok(found
            .iter()
            .filter_map(|o| state_of(family, f, o, None))
            .collect())
    }

    async fn create(
        &self,
        client: &HaloClient,
        plan: ApiObjectModel,
    ) -> Result<ApiObjectModel, ApplyError<ApiObjectModel>> {
        self.save(client, &plan, None, true).await
    }

    async fn read(
        &self,
        client: &HaloClient,
        (family, id, keys): Self::Key,
        prior: Option<&ApiObjectModel>,
    ) -> Result<Option<ApiObjectModel>, Diagnostics> {
        let (_, f) = family_of(family)?;
        let needs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let found = client
            .read_json(family, &id, &needs)
            .await
            .map_err(halo_error)?;
        Ok(found.and_then(|o| state_of(family, f, &o, prior)))
    }

    async fn update(
        &self,
        client: &HaloClient,
        prior: ApiObjectModel,
        plan: ApiObjectModel,
    ) -> Result<ApiObjectModel, ApplyError<ApiObjectModel>> {
        let send_secret = prior.sensitive_body_version != plan.sensitive_body_version;
        let id = prior.id.clone().unwrap_or_default();
        self.save(client, &plan, Some(&id), send_secret).await
    }

    async fn delete(&self, client: &HaloClient, state: ApiObjectModel) -> Result<(), Diagnostics> {
        let (family, id, _) = Self::key(&state)?;
        client.delete_json(family, &id).await.map_err(halo_error)?;
        Ok(())
    }
}
