//! The endpoint families served generically from Halo's OpenAPI document
//! (`halo-catalog`): array POST, update by id, get, pages, delete, and 400 for a
//! field the schema lacks; the typed kinds keep their own behaviour.

use crate::common::{id_of, start, start_with, Client};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_family_without_a_kind_is_served_from_its_schema() {
    let sim = start();
    let c = Client::new(&sim).await;
    let (status, saved) = c
        .post(
            "/api/TicketType",
            json!([{"name": "Incident", "sequence": 1}, {"name": "Change"}]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let saved = saved
        .as_array()
        .expect("two objects answer an array")
        .clone();
    assert_eq!(saved.len(), 2);
    let id = id_of(&saved[0]);
    assert!(
        saved[0]["guid"].is_string(),
        "a guid is filled in: {saved:?}"
    );

    // Update by id keeps what the POST leaves out.
    let (status, updated) = c
        .post(
            "/api/TicketType",
            json!([{"id": saved[0]["id"], "sequence": 5}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["name"], "Incident");
    assert_eq!(updated["sequence"], 5);
    let (status, got) = c.get(&format!("/api/TicketType/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["sequence"], 5);

    // A field the schema lacks, top level or nested, is refused, nothing saved.
    let (status, body) = c
        .post("/api/TicketType", json!([{"name": "X", "nmae": "typo"}]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("nmae"), "{body}");
    let (status, body) = c
        .post(
            "/api/SLA",
            json!([{"name": "S", "priorities": [{"name": "P1", "bogus": 1}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("priorities.0.bogus"), "{body}");
    assert_eq!(sim.generic_objects("TicketType").len(), 2);
    assert!(sim.generic_objects("SLA").is_empty());

    // Delete, then 404.
    let (status, _) = c.delete(&format!("/api/TicketType/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = c.get(&format!("/api/TicketType/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = c.get("/api/NoSuchFamily").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn generic_lists_are_paged_and_leave_out_detail_lists() {
    // No seed: the built-in statuses would count too.
    let sim = start_with(halo_sim::SimOptions {
        seed: false,
        ..Default::default()
    });
    for i in 0..150 {
        sim.insert_generic(
            "Status",
            json!({"name": format!("status {i:03}"), "colour": "#fff", "access_control": [{"id": 1}]}),
        );
    }
    let c = Client::new(&sim).await;
    let (_, first) = c.get("/api/Status").await;
    assert_eq!(first["record_count"], 150);
    let items = first["status"].as_array().expect("the list key");
    assert_eq!(items.len(), 100, "capped at 100");
    assert!(items[0].get("access_control").is_none(), "{}", items[0]);
    let (_, second) = c
        .get("/api/Status?pageinate=true&page_size=100&page_no=2")
        .await;
    assert_eq!(second["status"].as_array().map(Vec::len), Some(50));
    let (_, found) = c.get("/api/Status?search=status%20149").await;
    assert_eq!(found["record_count"], 1);
    let id = id_of(&found["status"][0]);
    let (_, one) = c.get(&format!("/api/Status/{id}")).await;
    assert_eq!(one["access_control"], json!([{"id": 1}]));
}

#[tokio::test]
async fn settings_keep_their_values_and_have_no_delete() {
    let sim = start();
    sim.insert_generic("Control", json!({"atera_url": "https://old"}));
    let c = Client::new(&sim).await;
    let (status, _) = c
        .post("/api/Control", json!([{"app_colour": "#000"}]))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, control) = c.get("/api/Control").await;
    assert_eq!(control["app_colour"], "#000");
    assert_eq!(control["atera_url"], "https://old");
    let (status, _) = c.delete("/api/Control/1").await;
    assert_ne!(status, StatusCode::OK);
    let (status, body) = c.post("/api/Control", json!([{"nope_x": 1}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let _: Value = control;
}

#[tokio::test]
async fn typed_kinds_take_precedence() {
    let sim = start();
    let c = Client::new(&sim).await;
    // Team is a typed kind: its own validation (a department is required) holds.
    let (status, _) = c.post("/api/Team", json!([{"name": "t"}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_new_tenant_has_the_built_in_statuses_and_new_ones_get_fresh_ids() {
    let sim = start();
    let c = Client::new(&sim).await;
    let (_, listed) = c.get("/api/Status").await;
    let names: Vec<(String, String)> = listed["status"]
        .as_array()
        .expect("the list key")
        .iter()
        .map(|s| (id_of(s), s["name"].as_str().unwrap_or_default().to_string()))
        .collect();
    for (id, name) in [("1", "New"), ("9", "Closed")] {
        assert!(
            names.contains(&(id.to_string(), name.to_string())),
            "{id} {name} in {names:?}"
        );
    }
    let (status, made) = c.post("/api/Status", json!([{"name": "Waiting"}])).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        made["id"], 10,
        "a new status gets an id past the built-in ones"
    );
}

#[tokio::test]
async fn hidden_actions_are_listed_only_when_asked_for() {
    let sim = start();
    let c = Client::new(&sim).await;
    let (status, _) = c
        .post(
            "/api/Outcome",
            json!([{"outcome": "Shown"}, {"outcome": "Secret", "hidden": true}]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let outcomes = |v: &Value| -> Vec<String> {
        v["outcome"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| o["outcome"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let (_, plain) = c.get("/api/Outcome").await;
    assert_eq!(outcomes(&plain), ["Shown"]);
    assert_eq!(plain["record_count"], 1);
    let (_, all) = c.get("/api/Outcome?showhidden=true").await;
    assert_eq!(outcomes(&all), ["Shown", "Secret"]);
    // Read by id, a hidden action is always there.
    let id = id_of(&all["outcome"][1]);
    let (status, _) = c.get(&format!("/api/Outcome/{id}")).await;
    assert_eq!(status, StatusCode::OK);
}
