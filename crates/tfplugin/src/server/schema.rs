//! GetMetadata and GetProviderSchema: the types the provider serves and their
//! schemas, and what the server can do.

use tonic::Response;

use super::convert::schema_to_pb;
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::plugin::proto::tfplugin6 as pb;

fn capabilities() -> Option<pb::ServerCapabilities> {
    Some(pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    })
}

pub(super) fn get_metadata<D: ProviderDefinition>(svc: &ProviderService<D>) -> RpcResult<pb::get_metadata::Response> {
    let c = svc.catalog();
    let mut resources: Vec<_> = c.resources.keys().map(|n| n.to_string()).collect();
    let mut data_sources: Vec<_> = c.data_sources.keys().map(|n| n.to_string()).collect();
    let mut lists: Vec<_> = c
        .resources
        .iter()
        .filter(|(_, e)| e.list.is_some())
        .map(|(n, _)| n.to_string())
        .collect();
    let mut ephemerals: Vec<_> = c.ephemerals.keys().map(|n| n.to_string()).collect();
    let mut functions: Vec<_> = c.functions.keys().map(|n| n.to_string()).collect();
    resources.sort();
    data_sources.sort();
    lists.sort();
    ephemerals.sort();
    functions.sort();
    Ok(Response::new(pb::get_metadata::Response {
        server_capabilities: capabilities(),
        diagnostics: Vec::new(),
        data_sources: data_sources
            .into_iter()
            .map(|type_name| pb::get_metadata::DataSourceMetadata { type_name })
            .collect(),
        resources: resources
            .into_iter()
            .map(|type_name| pb::get_metadata::ResourceMetadata { type_name })
            .collect(),
        list_resources: lists
            .into_iter()
            .map(|type_name| pb::get_metadata::ListResourceMetadata { type_name })
            .collect(),
        ephemeral_resources: ephemerals
            .into_iter()
            .map(|type_name| pb::get_metadata::EphemeralMetadata { type_name })
            .collect(),
        functions: functions
            .into_iter()
            .map(|name| pb::get_metadata::FunctionMetadata { name })
            .collect(),
        ..Default::default()
    }))
}

pub(super) fn get_provider_schema<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::get_provider_schema::Response> {
    let c = svc.catalog();
    Ok(Response::new(pb::get_provider_schema::Response {
        provider: Some(schema_to_pb(&c.provider)),
        resource_schemas: c
            .resources
            .iter()
            .map(|(n, e)| (n.to_string(), schema_to_pb(&e.schema)))
            .collect(),
        data_source_schemas: c
            .data_sources
            .iter()
            .map(|(n, e)| (n.to_string(), schema_to_pb(&e.schema)))
            .collect(),
        list_resource_schemas: c
            .resources
            .iter()
            .filter_map(|(n, e)| {
                e.list
                    .as_ref()
                    .map(|(s, _)| (n.to_string(), schema_to_pb(s)))
            })
            .collect(),
        ephemeral_resource_schemas: c
            .ephemerals
            .iter()
            .map(|(n, e)| (n.to_string(), schema_to_pb(&e.schema)))
            .collect(),
        functions: super::functions::functions_to_pb(svc),
        server_capabilities: capabilities(),
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider;

    fn attribute<'a>(schema: &'a pb::Schema, name: &str) -> &'a pb::schema::Attribute {
        schema
            .block
            .as_ref()
            .and_then(|b| b.attributes.iter().find(|a| a.name == name))
            .unwrap_or_else(|| panic!("no attribute {name}"))
    }

    #[test]
    fn the_schema_lists_every_type_and_marks_sensitive_attributes() {
        let answer = get_provider_schema(&ProviderService::new())
            .expect("answers")
            .into_inner();
        let mut served: Vec<_> = answer.resource_schemas.keys().cloned().collect();
        served.sort();
        let mut declared: Vec<_> = provider::resources()
            .iter()
            .map(|r| r.type_name().to_string())
            .collect();
        declared.sort();
        assert_eq!(served, declared);
        assert!(served.iter().any(|n| n == "halopsa_organisation"));
        let mut served_ds: Vec<_> = answer.data_source_schemas.keys().cloned().collect();
        served_ds.sort();
        let mut declared_ds: Vec<_> = provider::data_sources()
            .iter()
            .map(|d| d.type_name().to_string())
            .collect();
        declared_ds.sort();
        assert_eq!(served_ds, declared_ds);

        let provider_schema = answer.provider.as_ref().expect("a provider schema");
        assert!(attribute(provider_schema, "client_secret").sensitive);
        assert!(!attribute(provider_schema, "client_id").sensitive);
        let org = &answer.resource_schemas["halopsa_organisation"];
        assert!(attribute(org, "name").required);
        assert!(attribute(org, "id").computed);
        assert!(answer
            .list_resource_schemas
            .contains_key("halopsa_organisation"));
        let app = &answer.resource_schemas["halopsa_api_application"];
        let wo = attribute(app, "client_secret_wo");
        assert!(wo.write_only && wo.sensitive && wo.optional);
        assert!(!attribute(app, "client_secret_wo_version").write_only);
        let token = &answer.ephemeral_resource_schemas["halopsa_access_token"];
        assert!(attribute(token, "access_token").sensitive);
        assert!(answer.functions.contains_key("parse_membership_id"));
        let caps = answer.server_capabilities.expect("capabilities");
        assert!(caps.get_provider_schema_optional);
        assert!(!caps.move_resource_state);
    }

    #[test]
    fn metadata_names_the_types_sorted() {
        let answer = get_metadata(&ProviderService::new())
            .expect("answers")
            .into_inner();
        let names: Vec<_> = answer
            .resources
            .iter()
            .map(|r| r.type_name.clone())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), provider::resources().len());
        assert_eq!(answer.data_sources.len(), provider::data_sources().len());
        assert_eq!(answer.list_resources.len(), provider::resources().len());
        assert_eq!(
            answer.ephemeral_resources[0].type_name,
            "halopsa_access_token"
        );
        assert_eq!(answer.functions.len(), 2);
        assert!(answer
            .list_resources
            .iter()
            .any(|l| l.type_name == "halopsa_organisation"));
    }
}
