//! The schema users see (`terraform providers schema -json`): every attribute of
//! the provider, every resource and every data source is described, secrets are
//! sensitive, and the document is what real Terraform reads.

use crate::support::TestEnv;
use serde_json::Value;

fn undescribed(block: &Value, at: &str, into: &mut Vec<String>) {
    if let Some(attrs) = block["attributes"].as_object() {
        for (name, attr) in attrs {
            let path = format!("{at}.{name}");
            if attr["description"]
                .as_str()
                .is_none_or(|d| d.trim().is_empty())
            {
                into.push(path.clone());
            }
            if let Some(nested) = attr.get("nested_type") {
                undescribed(nested, &path, into);
            }
        }
    }
}

#[test]
fn every_attribute_is_described_and_secrets_are_sensitive() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config("");
    let text = wd.run_ok(&["providers", "schema", "-json"]);
    let doc: Value = serde_json::from_str(&text).expect("schema JSON");
    let provider = &doc["provider_schemas"]["registry.terraform.io/halopsa/halopsa"];
    assert!(
        provider.is_object(),
        "the halopsa provider is in the schema: {text}"
    );

    let mut missing = Vec::new();
    undescribed(&provider["provider"]["block"], "provider", &mut missing);
    let resources = provider["resource_schemas"].as_object().expect("resources");
    let data_sources = provider["data_source_schemas"]
        .as_object()
        .expect("data sources");
    // The counts are the registry's (`resources::types!`): every registered
    // type reaches Terraform, and nothing else does.
    let registered = terraform_provider_halopsa::provider::resources().len();
    assert_eq!(
        resources.len(),
        registered,
        "{registered} resource types: {:?}",
        resources.keys()
    );
    let registered = terraform_provider_halopsa::provider::data_sources().len();
    assert_eq!(
        data_sources.len(),
        registered,
        "{registered} data sources: {:?}",
        data_sources.keys()
    );
    for (name, schema) in resources.iter().chain(data_sources) {
        if schema["block"]["description"]
            .as_str()
            .is_none_or(|d| d.trim().is_empty())
        {
            missing.push(name.clone());
        }
        undescribed(&schema["block"], name, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "attributes without a description: {missing:?}"
    );

    assert_eq!(
        provider["provider"]["block"]["attributes"]["client_secret"]["sensitive"],
        true
    );
    assert_eq!(
        resources["halopsa_api_application"]["block"]["attributes"]["client_secret"]["sensitive"],
        true
    );
    let api_object = &resources["halopsa_api_object"]["block"]["attributes"];
    assert_eq!(api_object["sensitive_body"]["write_only"], true);
    assert_eq!(api_object["body"]["type"], "dynamic");
    for secret in ["basic_password", "authentication_header"] {
        assert_eq!(
            resources["halopsa_webhook"]["block"]["attributes"][secret]["sensitive"], true,
            "halopsa_webhook {secret}"
        );
    }
}
