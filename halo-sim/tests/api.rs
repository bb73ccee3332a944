//! The Halo API over real HTTP: auth, CRUD of every kind, details,
//! partial updates and validation.

use crate::common::{id_of, start, start_with, Client};
use halo_sim::{Kind, SimOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn authinfo_needs_no_token_and_api_needs_one() {
    let sim = start();
    let http = reqwest::Client::new();
    let info: Value = http
        .get(format!("{}/api/authinfo", sim.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["auth_url"], json!(format!("{}/auth", sim.url())));
    assert_eq!(info["tenant_id"], json!(""));

    let bare = http
        .get(format!("{}/api/Organisation", sim.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    let junk = http
        .get(format!("{}/api/Organisation", sim.url()))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(junk.status(), StatusCode::UNAUTHORIZED);

    let wrong = http
        .post(format!("{}/auth/token", sim.url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "halo-sim"),
            ("client_secret", "wrong"),
            ("scope", "all"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], json!("invalid_client"));

    let client = Client::new(&sim).await;
    let (status, _) = client.get("/api/Organisation").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn tenant_is_required_when_configured() {
    let sim = start_with(SimOptions {
        tenant: Some("acme".into()),
        ..SimOptions::default()
    });
    let http = reqwest::Client::new();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "halo-sim"),
        ("client_secret", "halo-sim-secret"),
        ("scope", "all"),
    ];
    for query in ["", "?tenant=other"] {
        let response = http
            .post(format!("{}/auth/token{query}", sim.url()))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], json!("invalid_request"));
    }
    let ok: Value = http
        .post(format!("{}/auth/token?tenant=acme", sim.url()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["token_type"], json!("Bearer"));
    assert_eq!(ok["expires_in"], json!(3600));
    let info: Value = http
        .get(format!("{}/api/authinfo", sim.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["tenant_id"], json!("acme"));
}

#[tokio::test]
async fn seed_data_and_list_shapes() {
    let sim = start();
    let client = Client::new(&sim).await;
    let (_, orgs) = client.get("/api/Organisation").await;
    assert_eq!(orgs["record_count"], json!(1));
    assert_eq!(orgs["organisations"][0]["name"], json!("Main Organisation"));
    let (_, tree) = client.get("/api/TopLevel").await;
    assert_eq!(tree["tree"][0]["name"], json!("Service Desk"));
    let (_, teams) = client.get("/api/Team").await;
    let names: Vec<&str> = teams
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["1st Line Support", "2nd Line Support"]);
    let (_, workdays) = client.get("/api/Workday").await;
    assert_eq!(workdays[0]["name"], json!("Standard Hours"));
    assert_eq!(workdays[0]["timezone"], json!("GMT Standard Time"));
    assert_eq!(workdays[1]["name"], json!("24/7 Support"));
    let (_, agents) = client.get("/api/Agent").await;
    assert_eq!(agents["agents"][0]["name"], json!("admin"));
    assert_eq!(agents["agents"][0]["isapiagent"], json!(false));
    let (_, roles) = client.get("/api/Roles").await;
    assert!(roles.is_array());
    let (_, apps) = client.get("/api/Application").await;
    assert_eq!(apps, json!({"record_count": 0, "applications": []}));

    let empty = start_with(SimOptions {
        seed: false,
        ..SimOptions::default()
    });
    assert!(empty.objects(Kind::Organisation).is_empty());
    assert!(empty.objects(Kind::Workday).is_empty());
}

#[tokio::test]
async fn organisation_crud() {
    let sim = start();
    let client = Client::new(&sim).await;
    let org = client
        .create(
            "/api/Organisation",
            json!({"name": "Acme", "email": "a@acme.test", "phone": "1", "website": "https://acme.test", "reply_address": "r@acme.test", "colour": "red"}),
        )
        .await;
    let id = id_of(&org);
    assert!(org["id"].is_i64());
    assert_eq!(org["colour"], json!("red"), "unknown fields are kept");

    let (status, got) = client.get(&format!("/api/Organisation/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, org);

    let (status, updated) = client
        .post(
            "/api/Organisation",
            json!([{"id": org["id"], "phone": "2"}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["phone"], json!("2"));
    assert_eq!(
        updated["email"],
        json!("a@acme.test"),
        "absent fields keep their value"
    );

    let (status, deleted) = client.delete(&format!("/api/Organisation/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["name"], json!("Acme"));
    let (status, body) = client.get(&format!("/api/Organisation/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"].is_string());
    let (status, _) = client.delete(&format!("/api/Organisation/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = client
        .post("/api/Organisation", json!([{"id": 999, "name": "Ghost"}]))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn departments_and_teams_with_filters() {
    let sim = start();
    let client = Client::new(&sim).await;
    let org = client
        .create("/api/Organisation", json!({"name": "Other"}))
        .await;
    let dept = client
        .create(
            "/api/TopLevel",
            json!({"name": "Projects", "organisation_id": org["id"], "notes": "n"}),
        )
        .await;
    let (_, tree) = client
        .get(&format!("/api/TopLevel?org_id={}", id_of(&org)))
        .await;
    assert_eq!(tree["record_count"], json!(1));
    assert_eq!(tree["tree"][0]["name"], json!("Projects"));

    let team = client
        .create(
            "/api/Team",
            json!({"name": "Builders", "department_id": dept["id"]}),
        )
        .await;
    assert_eq!(team["inactive"], json!(false));
    let (_, teams) = client
        .get(&format!("/api/Team?department_id={}", id_of(&dept)))
        .await;
    assert_eq!(teams.as_array().unwrap().len(), 1);
    assert_eq!(teams[0]["name"], json!("Builders"));

    let (_, found) = client.get("/api/Team?search=line").await;
    assert_eq!(
        found.as_array().unwrap().len(),
        2,
        "search is case-insensitive"
    );

    let (status, deleted) = client.delete(&format!("/api/Team/{}", id_of(&team))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["name"], json!("Builders"));
}

#[tokio::test]
async fn workdays_are_written_like_other_objects() {
    // Halo's OpenAPI document has POST /api/Workday and DELETE /api/Workday/{id}.
    let sim = start();
    let client = Client::new(&sim).await;
    let (status, one) = client.get("/api/Workday/1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["name"], json!("Standard Hours"));
    let saved = client
        .create("/api/Workday", json!({"name": "New", "incsaturday": true}))
        .await;
    assert_eq!(saved["incsaturday"], json!(true));
    let (status, _) = client
        .post("/api/Workday", json!([{"name": "Bad", "incsunday": "yes"}]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(sim.objects(Kind::Workday).len(), 3);
    let (status, _) = client
        .delete(&format!("/api/Workday/{}", id_of(&saved)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sim.objects(Kind::Workday).len(), 2);
}

#[tokio::test]
async fn agents_roles_and_details() {
    let sim = start();
    let client = Client::new(&sim).await;
    let role = client
        .create(
            "/api/Roles",
            json!({
                "name": "Techs",
                "notes": "hands-on",
                "claims": [{"type": "Tx", "value": "2"}, {"type": "l6", "value": "1"}],
                "departments": [{"department_id": 1, "membershiplevel": 1}]
            }),
        )
        .await;
    let role_id = role["id"].as_str().expect("a GUID id").to_owned();
    assert_eq!(role_id.len(), 36);
    assert!(role["id_int"].is_i64());
    assert_eq!(
        role["claims"].as_array().unwrap().len(),
        2,
        "POST answers include details"
    );

    let (_, plain) = client.get(&format!("/api/Roles/{role_id}")).await;
    assert!(plain.get("claims").is_none());
    assert!(plain.get("departments").is_none());
    let (_, detailed) = client
        .get(&format!("/api/Roles/{role_id}?includedetails=true"))
        .await;
    assert_eq!(detailed["claims"], role["claims"]);
    // A role's own rows carry its id and name, as Halo's one table keeps them.
    assert_eq!(
        detailed["departments"],
        json!([{"department_id": 1, "membershiplevel": 1, "role_id": role_id, "role_name": "Techs"}])
    );
    let (_, roles) = client.get("/api/Roles?includedetails=true").await;
    assert_eq!(roles[0]["claims"], role["claims"]);

    let agent = client
        .create(
            "/api/Agent",
            json!({
                "name": "jdoe", "email": "j@x.test", "firstname": "J", "surname": "Doe",
                "team": "1st Line Support", "workday_id": 2,
                "roles": [{"id": role_id}],
                "departments": [{"department_id": 1, "membershiplevel": 0}]
            }),
        )
        .await;
    let agent_id = id_of(&agent);
    assert_eq!(agent["isapiagent"], json!(false));
    assert_eq!(agent["isdisabled"], json!(false));
    let (_, plain) = client.get(&format!("/api/Agent/{agent_id}")).await;
    assert!(plain.get("roles").is_none());
    let (_, detailed) = client
        .get(&format!("/api/Agent/{agent_id}?includedetails=true"))
        .await;
    assert_eq!(detailed["roles"], json!([{"id": role_id}]));
    assert_eq!(detailed["departments"][0]["membershiplevel"], json!(0));

    // Deleting a role still held by an agent is allowed; the reference dangles.
    let (status, _) = client.delete(&format!("/api/Roles/{role_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, renamed) = client
        .post(
            "/api/Agent",
            json!([{"id": agent["id"], "firstname": "Jo"}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["roles"], json!([{"id": role_id}]));
}

#[tokio::test]
async fn api_agents_are_hidden_unless_asked_for() {
    let sim = start();
    let client = Client::new(&sim).await;
    let bot = client
        .create("/api/Agent", json!({"name": "api-bot", "isapiagent": true}))
        .await;
    let (_, listed) = client.get("/api/Agent").await;
    assert_eq!(listed["record_count"], json!(1));
    assert_eq!(listed["agents"][0]["name"], json!("admin"));
    let (_, all) = client.get("/api/Agent?includeapiagents=true").await;
    assert_eq!(all["record_count"], json!(2));
    let (status, one) = client.get(&format!("/api/Agent/{}", id_of(&bot))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["isapiagent"], json!(true));
}

#[tokio::test]
async fn list_fields_are_replaced_whole() {
    let sim = start();
    let client = Client::new(&sim).await;
    let dept2 = client
        .create(
            "/api/TopLevel",
            json!({"name": "Second", "organisation_id": 1}),
        )
        .await;
    let role = client
        .create(
            "/api/Roles",
            json!({"name": "R", "departments": [
                {"department_id": 1, "membershiplevel": 0},
                {"department_id": dept2["id"], "membershiplevel": 1}
            ]}),
        )
        .await;
    let (status, updated) = client
        .post(
            "/api/Roles",
            json!([{"id": role["id"], "departments": [{"department_id": dept2["id"], "membershiplevel": 0}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["name"], json!("R"));
    assert_eq!(
        updated["departments"],
        json!([{"department_id": dept2["id"], "membershiplevel": 0, "role_id": role["id"], "role_name": "R"}])
    );
    let stored = &sim.objects(Kind::Role)[0];
    assert_eq!(
        stored["departments"],
        json!([{"department_id": dept2["id"], "membershiplevel": 0}])
    );
    assert_eq!(
        stored["id_int"], role["id_int"],
        "generated fields cannot be overwritten"
    );
}

#[tokio::test]
async fn application_secret_only_on_create() {
    let sim = start();
    let client = Client::new(&sim).await;
    let app = client
        .create(
            "/api/Application",
            json!({"displayName": "Terraform", "grant_type": "client_credentials", "loginentity": 0,
                   "loginas_agent_id": 1, "scopes": [{"name": "all"}, {"name": "read:tickets"}], "inactive": false}),
        )
        .await;
    let secret = app["clientSecret"].as_str().expect("a secret on create");
    assert!(secret.len() >= 40);
    assert_eq!(app["clientId"].as_str().map(str::len), Some(36));
    let id = id_of(&app);

    let (_, got) = client
        .get(&format!("/api/Application/{id}?includedetails=true"))
        .await;
    assert_eq!(got["clientSecret"], Value::Null);
    assert_eq!(got["clientId"], app["clientId"]);
    assert_eq!(got["scopes"], app["scopes"]);
    let (_, listed) = client.get("/api/Application").await;
    assert_eq!(listed["applications"][0]["clientSecret"], Value::Null);
    assert!(listed["applications"][0].get("scopes").is_none());
    let (_, updated) = client
        .post(
            "/api/Application",
            json!([{"id": id, "inactive": true, "clientSecret": "mine"}]),
        )
        .await;
    assert_eq!(updated["clientSecret"], Value::Null);
    assert_eq!(updated["inactive"], json!(true));
    let state = sim.state().to_string();
    assert!(!state.contains(secret));

    let code = client
        .create(
            "/api/Application",
            json!({"displayName": "Web", "grant_type": "authorization_code"}),
        )
        .await;
    assert!(code["clientSecret"].is_string());
}

#[tokio::test]
async fn batches_answer_arrays_and_are_atomic() {
    let sim = start();
    let client = Client::new(&sim).await;
    let (status, both) = client
        .post("/api/Organisation", json!([{"name": "A"}, {"name": "B"}]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(both.as_array().map(Vec::len), Some(2));
    let (status, _) = client
        .post("/api/Organisation", json!([{"name": "C"}, {"name": ""}]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(sim.objects(Kind::Organisation).len(), 3);
}

#[tokio::test]
async fn malformed_bodies_are_400s() {
    let sim = start();
    let client = Client::new(&sim).await;
    for body in ["{not json", "", "{\"name\": \"x\"}", "[]", "[1]"] {
        let (status, answer) = client
            .send(
                client
                    .http
                    .post(client.url("/api/Organisation"))
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(answer["message"].is_string(), "{answer}");
    }
    let (status, _) = client.get("/api/Nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn validation_names_the_field() {
    let sim = start();
    let client = Client::new(&sim).await;
    let long = "x".repeat(256);
    let cases = [
        ("/api/Organisation", json!({"email": "a@b"}), "name"),
        ("/api/Organisation", json!({"name": "  "}), "name"),
        ("/api/Organisation", json!({"name": long}), "name"),
        (
            "/api/Organisation",
            json!({"name": "A", "email": 5}),
            "email",
        ),
        ("/api/TopLevel", json!({"name": "D"}), "organisation_id"),
        (
            "/api/TopLevel",
            json!({"name": "D", "organisation_id": 99}),
            "organisation_id",
        ),
        ("/api/Team", json!({"name": "T"}), "department_id"),
        (
            "/api/Team",
            json!({"name": "T", "department_id": 99}),
            "department_id",
        ),
        (
            "/api/Team",
            json!({"name": "T", "department_id": 1, "inactive": "no"}),
            "inactive",
        ),
        (
            "/api/Agent",
            json!({"name": "a", "workday_id": 99}),
            "workday_id",
        ),
        (
            "/api/Agent",
            json!({"name": "a", "roles": [{"id": "nope"}]}),
            "roles",
        ),
        (
            "/api/Agent",
            json!({"name": "a", "departments": [{"department_id": 99, "membershiplevel": 0}]}),
            "department_id",
        ),
        (
            "/api/Agent",
            json!({"name": "a", "departments": [{"department_id": 1, "membershiplevel": "x"}]}),
            "membershiplevel",
        ),
        (
            "/api/Agent",
            json!({"name": "a", "departments": [{"department_id": 1, "membershiplevel": 0, "role_id": "r"}]}),
            "role_id",
        ),
        (
            "/api/Roles",
            json!({"name": "r", "claims": ["Tx"]}),
            "claims",
        ),
        (
            "/api/Roles",
            json!({"name": "r", "departments": [{"department_id": 1}]}),
            "membershiplevel",
        ),
        (
            "/api/Application",
            json!({"grant_type": "authorization_code"}),
            "displayName",
        ),
        (
            "/api/Application",
            json!({"displayName": "a", "grant_type": "authorization_code", "organisation_id": 99}),
            "organisation_id",
        ),
        ("/api/Client", json!({"toplevel_id": 1}), "name"),
        (
            "/api/Client",
            json!({"name": "C", "toplevel_id": 99}),
            "toplevel_id",
        ),
        (
            "/api/Client",
            json!({"name": "C", "inactive": "yes"}),
            "inactive",
        ),
        (
            "/api/Application",
            json!({"displayName": "a", "grant_type": "client_credentials"}),
            "loginas_agent_id",
        ),
        (
            "/api/Application",
            json!({"displayName": "a", "grant_type": "client_credentials", "loginas_agent_id": 99}),
            "loginas_agent_id",
        ),
        (
            "/api/Application",
            json!({"displayName": "a", "grant_type": "authorization_code", "scopes": [{"name": "read:everything"}]}),
            "scopes",
        ),
    ];
    let before = sim.state();
    for (path, body, field) in cases {
        let (status, answer) = client.post(path, json!([body.clone()])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {body}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(field),
            "{path} {body}: `{message}` should name {field}"
        );
    }
    assert_eq!(sim.state(), before, "nothing was saved");
}
