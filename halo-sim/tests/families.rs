//! The generic families the provider manages typed (`families`): detail lists
//! only with `includedetails=true`, SLA priorities kept as rows under the SLA.

use crate::common::{id_of, start, Client};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn sla_priorities_are_rows_under_the_sla_answered_with_details_only() {
    let sim = start();
    let c = Client::new(&sim).await;
    let (status, saved) = c
        .post(
            "/api/SLA",
            json!([{"name": "Gold", "priorities": [{"priorityid": 1, "name": "P1"}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = id_of(&saved);
    let guid = saved["priorities"][0]["id"]
        .as_str()
        .expect("a GUID")
        .to_string();
    assert_eq!(saved["priorities"][0]["slaid"].to_string(), id);

    let (_, bare) = c.get(&format!("/api/SLA/{id}")).await;
    assert!(bare.get("priorities").is_none(), "{bare}");
    let (_, full) = c.get(&format!("/api/SLA/{id}?includedetails=true")).await;
    assert_eq!(full["priorities"][0]["id"], guid.as_str());

    // A row with a GUID that is not this SLA's is refused; nothing changes.
    let (status, body) = c
        .post(
            "/api/SLA",
            json!([{"id": id.parse::<i64>().unwrap(), "priorities": [{"id": "nope", "priorityid": 1}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("nope"), "{body}");

    // Kept by GUID, a new one added, and the list sent is the list kept.
    let (status, saved) = c
        .post(
            "/api/SLA",
            json!([{"id": id.parse::<i64>().unwrap(), "priorities": [
                {"id": guid, "priorityid": 1, "name": "Urgent"},
                {"priorityid": 2, "name": "P2"}
            ]}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows = saved["priorities"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], guid.as_str());
    assert_eq!(rows[0]["name"], "Urgent");
    assert!(rows[1]["id"].is_string());

    // New choices of a custom field get ids.
    let (_, field) = c
        .post(
            "/api/FieldInfo",
            json!([{"name": "size", "type": 2, "values": [{"name": "S"}, {"name": "L"}]}]),
        )
        .await;
    assert_eq!(field["values"][0]["id"], 1);
    assert_eq!(field["values"][1]["id"], 2);
    let (_, bare) = c.get(&format!("/api/FieldInfo/{}", id_of(&field))).await;
    assert!(bare.get("values").is_none(), "{bare}");
}
