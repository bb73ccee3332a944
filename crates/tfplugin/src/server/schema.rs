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

pub(super) fn get_metadata<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::get_metadata::Response> {
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
    use crate::server::testing;

    fn attribute<'a>(schema: &'a pb::Schema, name: &str) -> &'a pb::schema::Attribute {
        schema
            .block
            .as_ref()
            .and_then(|b| b.attributes.iter().find(|a| a.name == name))
            .unwrap_or_else(|| panic!("no attribute {name}"))
    }

    #[test]
    fn the_schema_holds_every_type_of_the_definition() {
        let answer = get_provider_schema(&testing::service())
            .expect("answers")
            .into_inner();
        let mut served: Vec<_> = answer.resource_schemas.keys().cloned().collect();
        served.sort();
        assert_eq!(served, ["fake_thing", "fake_unlisted"]);
        assert_eq!(
            answer.data_source_schemas.keys().collect::<Vec<_>>(),
            ["fake_thing"]
        );
        let provider = answer.provider.as_ref().expect("a provider schema");
        assert!(attribute(provider, "token").sensitive);
        assert!(!attribute(provider, "endpoint").sensitive);
        let thing = &answer.resource_schemas["fake_thing"];
        assert!(attribute(thing, "name").required);
        assert!(attribute(thing, "id").computed);
        let password = attribute(thing, "password");
        assert!(password.write_only && password.optional);
        // Only the types the definition lists have list block schemas.
        assert_eq!(
            answer.list_resource_schemas.keys().collect::<Vec<_>>(),
            ["fake_thing"]
        );
        let token = &answer.ephemeral_resource_schemas["fake_token"];
        assert!(attribute(token, "value").sensitive);
        assert!(answer.functions.contains_key("upper"));
        let caps = answer.server_capabilities.expect("capabilities");
        assert!(caps.get_provider_schema_optional);
        assert!(!caps.move_resource_state);
    }

    #[test]
    fn metadata_names_the_types_sorted() {
        let answer = get_metadata(&testing::service())
            .expect("answers")
            .into_inner();
        let names: Vec<_> = answer
            .resources
            .iter()
            .map(|r| r.type_name.clone())
            .collect();
        assert_eq!(names, ["fake_thing", "fake_unlisted"]);
        assert_eq!(answer.data_sources.len(), 1);
        assert_eq!(answer.list_resources.len(), 1);
        assert_eq!(answer.list_resources[0].type_name, "fake_thing");
        assert_eq!(answer.ephemeral_resources[0].type_name, "fake_token");
        assert_eq!(answer.functions.len(), 1);
    }
}
