//! `halopsa_api_setting`: keys of one of Halo's singleton settings (`Control`,
//! with some 3,000 global settings, or one module of `Features`), which have no
//! DELETE. Only the keys given are sent, compared and refreshed; destroying the
//! resource sends nothing and leaves Halo's values as they are.

use async_trait::async_trait;
use halo_catalog::{catalog, IdKind};
use serde_json::Value as J;

use super::api_body;
use super::support::{halo_diagnostic, halo_error};
use crate::framework::{
    attr_error, ApplyError, AttrPath, Diagnostic, Diagnostics, Dynamic, Resource, Value,
};
use crate::halo::HaloClient;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ApiSettingModel {
        id: Option<String> = computed().use_state_for_unknown()
            .description("`Control`, or `Features/ID` for a module of `Features`."),
        path: String = required().requires_replace()
            .description("The setting: `Control` (Halo's global settings) or `Features` (one module, named by `object_id`)."),
        object_id: Option<String> = optional().requires_replace()
            .description("For `Features`: the id of the module. Not used with `Control`."),
        body: Dynamic = optional()
            .description("Required. The keys to manage, with Halo's field names (`{ app_colour = \"#1d4ed8\" }`). Every key is checked at plan time against Halo's schema. Only these keys are sent and compared; the thousands of others keep their values and never show as a diff."),
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct NoFilter {
        path: String = required().description("`Control` or `Features`."),
    }
}

pub struct ApiSettingResource;

type Key = (&'static str, Option<String>, Vec<String>);

fn setting_of(path: &str) -> Result<(&'static str, IdKind), Diagnostic> {
    catalog()
        .setting(path.trim())
        .map(|(n, f)| (n, f.id))
        .ok_or_else(|| {
            api_body::unknown_path(
                ApiSettingModel::path,
                path,
                catalog().setting_names().collect(),
                "a setting",
            )
        })
}

fn key_of(path: &str, object_id: Option<&str>) -> Result<Key, Diagnostic> {
    let (name, kind) = setting_of(path)?;
    let object_id = object_id.map(str::trim).filter(|s| !s.is_empty());
    match (kind, object_id) {
        (IdKind::None, None) => Ok((name, None, Vec::new())),
        (IdKind::None, Some(_)) => Err(attr_error(
            ApiSettingModel::object_id,
            "object_id is not used here",
            format!("{name} is one object: leave object_id out."),
        )),
        (_, Some(id)) => Ok((name, Some(id.to_string()), Vec::new())),
        (_, None) => Err(attr_error(
            ApiSettingModel::object_id,
            "Missing object_id",
            format!(
                "{name} holds several objects: object_id names the one whose keys are managed."
            ),
        )),
    }
}

fn id_of(name: &str, object_id: Option<&str>) -> String {
    match object_id {
        Some(id) => format!("{name}/{id}"),
        None => name.to_string(),
    }
}

#[async_trait]
impl Resource<HaloClient> for ApiSettingResource {
    const TYPE_NAME: &'static str = "halopsa_api_setting";
    const DESCRIPTION: &'static str = "Keys of one of Halo's singleton settings: `Control` (global settings) or a module of `Features`. Only the keys in `body` are managed. These settings cannot be deleted: destroying this resource sends nothing to Halo and leaves the values as they are (set them back yourself, or keep the resource). Import with `Control` or `Features/ID`.";
    type Model = ApiSettingModel;
    type Filter = NoFilter;
    type Key = Key;

    fn key(state: &ApiSettingModel) -> Result<Key, Diagnostic> {
        let (name, id, _) = key_of(&state.path, state.object_id.as_deref())?;
        Ok((name, id, api_body::keys(&state.body.0)))
    }

    fn parse_import_id(id: &str) -> Result<Key, Diagnostic> {
        let (path, oid) = match id.trim().split_once('/') {
            Some((p, o)) => (p, Some(o)),
            None => (id.trim(), None),
        };
        key_of(path, oid)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let Some(path) = config.attr(ApiSettingModel::path).as_str() else {
            return;
        };
        if config.attr(ApiSettingModel::body).undynamic().is_null() {
            diags.push(attr_error(
                ApiSettingModel::body,
                "Missing body",
                "body names the keys of the setting to manage: give at least one.",
            ));
        }
        match setting_of(path) {
            Ok((name, _)) => {
                if let Some((_, f)) = catalog().setting(name) {
                    api_body::check(ApiSettingModel::body, config.attr(ApiSettingModel::body), name, &f.schema, diags);
                }
            }
            Err(d) => diags.push(d),
        }
    }

    async fn list(
        &self,
        _client: &HaloClient,
        _f: NoFilter,
    ) -> Result<Vec<ApiSettingModel>, Diagnostics> {
        Err(Diagnostic::error(
            "halopsa_api_setting cannot be listed",
            "A setting is one object: import it with `Control` or `Features/ID`.",
        )
        .into())
    }

    async fn create(
        &self,
        client: &HaloClient,
        plan: ApiSettingModel,
    ) -> Result<ApiSettingModel, ApplyError<ApiSettingModel>> {
        self.save(client, plan).await
    }

    async fn read(
        &self,
        client: &HaloClient,
        (name, id, _): Key,
        prior: Option<&ApiSettingModel>,
    ) -> Result<Option<ApiSettingModel>, Diagnostics> {
        let halo = match &id {
            None => Some(client.get_singleton(name).await.map_err(halo_error)?),
            Some(id) => client.get_json(name, id).await.map_err(halo_error)?,
        };
        let Some(halo) = halo.filter(J::is_object) else {
            return Ok(None);
        };
        let body = match prior {
            Some(p) => api_body::refreshed(&halo, &p.body.0),
            // An import manages no key until the configuration names some.
            None => api_body::from_json(&J::Object(Default::default())),
        };
        Ok(Some(ApiSettingModel {
            id: Some(id_of(name, id.as_deref())),
            path: prior.map_or_else(|| name.to_string(), |p| p.path.clone()),
            object_id: id,
            body: Dynamic(body),
        }))
    }

    async fn update(
        &self,
        client: &HaloClient,
        _prior: ApiSettingModel,
        plan: ApiSettingModel,
    ) -> Result<ApiSettingModel, ApplyError<ApiSettingModel>> {
        self.save(client, plan).await
    }

    async fn delete(
        &self,
        _client: &HaloClient,
        state: ApiSettingModel,
    ) -> Result<(), Diagnostics> {
        tracing::info!(
            setting = %id_of(&state.path, state.object_id.as_deref()),
            "halopsa_api_setting destroyed: nothing is sent, Halo keeps its values"
        );
        Ok(())
    }
}

impl ApiSettingResource {
    async fn save(
        &self,
        client: &HaloClient,
        plan: ApiSettingModel,
    ) -> Result<ApiSettingModel, ApplyError<ApiSettingModel>> {
        let (name, id, _) = key_of(&plan.path, plan.object_id.as_deref())?;
        let mut body = api_body::to_json(plan.body.inner());
        if let (Some(id), J::Object(m)) = (&id, &mut body) {
            let v = id
                .parse::<i64>()
                .map(J::from)
                .unwrap_or(J::String(id.clone()));
            m.insert("id".into(), v);
        }
        client.save_json(name, &body).await.map_err(|e| {
            let d = halo_diagnostic(&e);
            if e.status() == Some(reqwest::StatusCode::BAD_REQUEST) {
                d.at(AttrPath::root(ApiSettingModel::body))
            } else {
                d
            }
        })?;
        Ok(ApiSettingModel {
            id: Some(id_of(name, id.as_deref())),
            ..plan
        })
    }
}
