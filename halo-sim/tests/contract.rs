//! halo-sim follows docs/halo-api.md strictly: pages capped at 100, objects
//! hidden without the include flags, inherited membership rows, values of
//! any kind kept as sent, the `Client` kind, and seeded random faults.

use crate::common::{id_of, start, start_with, Client};
use halo_sim::{FaultRate, Kind, SimOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|o| o["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn empty() -> SimOptions {
    SimOptions {
        seed: false,
        ..SimOptions::default()
    }
}

#[tokio::test]
async fn lists_come_in_pages_of_at_most_the_cap() {
    let sim = start_with(empty());
    for i in 0..250 {
        sim.insert(Kind::Organisation, json!({"name": format!("org {i:03}")}));
    }
    let client = Client::new(&sim).await;
    // Unpaged: the first 100, and record_count tells how many there are.
    let (status, all) = client.get("/api/Organisation").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["record_count"], json!(250));
    assert_eq!(all["organisations"].as_array().map(Vec::len), Some(100));
    // Asking for more than the cap still gets the cap.
    let (_, big) = client
        .get("/api/Organisation?pageinate=true&page_size=1000&page_no=1")
        .await;
    assert_eq!(big["organisations"].as_array().map(Vec::len), Some(100));
    // Pages are 1-based and together hold every object once.
    let mut seen = Vec::new();
    for page in 1..=4 {
        let (_, answer) = client
            .get(&format!(
                "/api/Organisation?pageinate=true&page_size=100&page_no={page}"
            ))
            .await;
        assert_eq!(answer["record_count"], json!(250));
        seen.extend(names(&answer["organisations"]));
    }
    let want: Vec<String> = (0..250).map(|i| format!("org {i:03}")).collect();
    assert_eq!(seen, want);
    let (_, small) = client
        .get("/api/Organisation?pageinate=true&page_size=7&page_no=3")
        .await;
    assert_eq!(names(&small["organisations"]), want[14..21].to_vec());
    let (status, _) = client
        .get("/api/Organisation?pageinate=true&page_size=7&page_no=0")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "page_no is 1-based");
    // Bare-array kinds are capped too.
    for i in 0..120 {
        sim.insert(Kind::Role, json!({"name": format!("role {i}")}));
    }
    let (_, roles) = client.get("/api/Roles").await;
    assert_eq!(roles.as_array().map(Vec::len), Some(100));
    let (_, last) = client
        .get("/api/Roles?pageinate=true&page_size=100&page_no=2")
        .await;
    assert_eq!(last.as_array().map(Vec::len), Some(20));
}

#[tokio::test]
async fn the_page_cap_is_configurable() {
    let sim = start_with(SimOptions {
        page_cap: 3,
        ..empty()
    });
    for i in 0..5 {
        sim.insert(Kind::Workday, json!({"name": format!("w{i}")}));
    }
    let client = Client::new(&sim).await;
    assert_eq!(
        client.get("/api/Workday").await.1.as_array().map(Vec::len),
        Some(3)
    );
    let config: Value = reqwest::get(format!("{}/__config", sim.url()))
        .await
        .expect("config answers")
        .json()
        .await
        .expect("config is JSON");
    assert_eq!(config["page_cap"], json!(3));
    let changed = reqwest::Client::new()
        .post(format!("{}/__config", sim.url()))
        .json(&json!({"page_cap": 4}))
        .send()
        .await
        .expect("config answers");
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        client.get("/api/Workday").await.1.as_array().map(Vec::len),
        Some(4)
    );
    sim.set_page_cap(100);
    assert_eq!(
        client.get("/api/Workday").await.1.as_array().map(Vec::len),
        Some(5)
    );
}

#[tokio::test]
async fn search_filters_by_name_case_insensitively() {
    let sim = start_with(empty());
    for name in ["Alpha Ltd", "alphabet", "Beta"] {
        sim.insert(Kind::Organisation, json!({"name": name}));
    }
    let client = Client::new(&sim).await;
    let (_, found) = client.get("/api/Organisation?search=ALPHA").await;
    assert_eq!(found["record_count"], json!(2));
    assert_eq!(names(&found["organisations"]), ["Alpha Ltd", "alphabet"]);
}

#[tokio::test]
async fn disabled_and_api_agents_and_inactive_teams_are_hidden_unless_asked_for() {
    let sim = start();
    sim.insert(
        Kind::Agent,
        json!({"name": "gone", "isdisabled": true, "isapiagent": false}),
    );
    sim.insert(
        Kind::Agent,
        json!({"name": "bot", "isdisabled": false, "isapiagent": true}),
    );
    sim.insert(
        Kind::Agent,
        json!({"name": "old-bot", "isdisabled": true, "isapiagent": true}),
    );
    sim.insert(
        Kind::Team,
        json!({"name": "Closed", "department_id": 1, "inactive": true}),
    );
    let client = Client::new(&sim).await;
    let agents = |query: &'static str| {
        let client = &client;
        async move { names(&client.get(&format!("/api/Agent{query}")).await.1["agents"]) }
    };
    assert_eq!(agents("").await, ["admin"]);
    assert_eq!(agents("?includedisabled=true").await, ["admin", "gone"]);
    assert_eq!(agents("?includeapiagents=true").await, ["admin", "bot"]);
    assert_eq!(
        agents("?includedisabled=true&includeapiagents=true&includeenabled=true").await,
        ["admin", "gone", "bot", "old-bot"]
    );
    let (_, record) = client.get("/api/Agent").await;
    assert_eq!(
        record["record_count"],
        json!(1),
        "record_count counts what is shown"
    );
    // Hidden from lists only: GET by id still answers.
    let gone = &sim.objects(Kind::Agent)[1];
    let (status, _) = client.get(&format!("/api/Agent/{}", id_of(gone))).await;
    assert_eq!(status, StatusCode::OK);

    let (_, teams) = client.get("/api/Team").await;
    assert_eq!(names(&teams), ["1st Line Support", "2nd Line Support"]);
    let (_, all) = client.get("/api/Team?includeinactive=true").await;
    assert_eq!(
        names(&all),
        ["1st Line Support", "2nd Line Support", "Closed"]
    );
}

#[tokio::test]
async fn agents_show_rows_inherited_from_their_roles_and_may_not_write_them() {
    let sim = start();
    let client = Client::new(&sim).await;
    let dept2 = client
        .create(
            "/api/TopLevel",
            json!({"name": "Projects", "organisation_id": 1}),
        )
        .await;
    let role = client
        .create(
            "/api/Roles",
            json!({"name": "Leads", "departments": [{"department_id": dept2["id"], "membershiplevel": 1}]}),
        )
        .await;
    let agent = client
        .create(
            "/api/Agent",
            json!({
                "name": "lee",
                "roles": [{"id": role["id"]}],
                "departments": [{"department_id": 1, "membershiplevel": 0}]
            }),
        )
        .await;
    let inherited = json!({
        "department_id": dept2["id"], "membershiplevel": 1,
        "role_id": role["id"], "role_name": "Leads"
    });
    assert_eq!(
        agent["departments"],
        json!([{"department_id": 1, "membershiplevel": 0}, inherited]),
        "the create answer shows the inherited row"
    );
    let (_, read) = client
        .get(&format!("/api/Agent/{}?includedetails=true", id_of(&agent)))
        .await;
    assert_eq!(read["departments"][1], inherited);
    let (_, listed) = client.get("/api/Agent?includedetails=true").await;
    let lee = listed["agents"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["name"] == json!("lee")).cloned())
        .unwrap_or_default();
    assert_eq!(lee["departments"][1], inherited);
    // The stored agent holds only its own row.
    let stored = sim
        .objects(Kind::Agent)
        .into_iter()
        .find(|o| o["name"] == json!("lee"))
        .unwrap_or_default();
    assert_eq!(
        stored["departments"],
        json!([{"department_id": 1, "membershiplevel": 0}])
    );
    // Writing the answer back as read is refused, naming role_id.
    let (status, refused) = client
        .post(
            "/api/Agent",
            json!([{"id": agent["id"], "departments": read["departments"]}]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("role_id")),
        "{refused}"
    );
    // Without the role, the row is gone.
    let (status, saved) = client
        .post("/api/Agent", json!([{"id": agent["id"], "roles": []}]))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["departments"],
        json!([{"department_id": 1, "membershiplevel": 0}])
    );
}

#[tokio::test]
async fn a_known_claim_outside_its_domain_and_another_roles_row_are_refused() {
    let sim = start();
    let client = Client::new(&sim).await;
    for (claims, named) in [
        (json!([{"type": "Tx", "value": "3"}]), "Tx"),
        (json!([{"type": "l6", "value": "true"}]), "l6"),
        (json!([{"type": "Ux", "value": 2}]), "two strings"),
    ] {
        let (status, refused) = client
            .post("/api/Roles", json!([{"name": "r", "claims": claims}]))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(refused.to_string().contains(named), "{refused}");
    }
    let role = client
        .create(
            "/api/Roles",
            json!({"name": "own", "claims": [{"type": "Ux", "value": "1"}, {"type": "SA", "value": "true"}]}),
        )
        .await;
    // Its own id (in any case) is accepted and stored without the marks.
    let upper = role["id"].as_str().unwrap_or_default().to_ascii_uppercase();
    let (status, saved) = client
        .post(
            "/api/Roles",
            json!([{"id": role["id"], "departments": [{"department_id": 1, "membershiplevel": 3, "role_id": upper}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["departments"][0]["role_id"], role["id"]);
    let (status, refused) = client
        .post(
            "/api/Roles",
            json!([{"id": role["id"], "departments": [{"department_id": 1, "membershiplevel": 0, "role_id": "another"}]}]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused.to_string().contains("role_id"), "{refused}");
}

#[tokio::test]
async fn values_outside_the_providers_tables_are_kept_as_sent() {
    let sim = start();
    let client = Client::new(&sim).await;
    let claims = json!([
        {"type": "Zq", "value": "modify"},
        {"type": "custom:reports", "value": "42"},
        {"type": "custom:flag", "value": "sometimes"}
    ]);
    let rows = json!([{"department_id": 1, "membershiplevel": 5, "includeteamsintree": true, "x_extra": "kept"}]);
    let role = client
        .create(
            "/api/Roles",
            json!({"name": "Odd", "claims": claims, "departments": rows}),
        )
        .await;
    let (_, read) = client
        .get(&format!("/api/Roles/{}?includedetails=true", id_of(&role)))
        .await;
    assert_eq!(read["claims"], claims);
    assert_eq!(
        read["departments"],
        json!([{"department_id": 1, "membershiplevel": 5, "includeteamsintree": true, "x_extra": "kept",
                "role_id": role["id"], "role_name": "Odd"}])
    );
    let agent_rows = json!([{"department_id": 1, "membershiplevel": 3, "agent_name": "x"}]);
    let agent = client
        .create(
            "/api/Agent",
            json!({"name": "odd", "departments": agent_rows}),
        )
        .await;
    assert_eq!(agent["departments"], agent_rows);
    let app = client
        .create(
            "/api/Application",
            json!({"displayName": "Legacy", "grant_type": "password", "loginentity": 2}),
        )
        .await;
    assert_eq!(app["grant_type"], json!("password"));
    assert_eq!(app["loginentity"], json!(2));
}

#[tokio::test]
async fn clients_are_wrapped_paged_and_hide_inactive_ones() {
    let sim = start();
    let client = Client::new(&sim).await;
    let acme = client
        .create(
            "/api/Client",
            json!({"name": "Acme", "toplevel_id": 1, "notes": "n"}),
        )
        .await;
    assert_eq!(acme["inactive"], json!(false));
    assert_eq!(acme["toplevel_id"], json!(1));
    client
        .create("/api/Client", json!({"name": "Dormant", "inactive": true}))
        .await;
    let (_, listed) = client.get("/api/Client").await;
    assert_eq!(listed["record_count"], json!(1));
    assert_eq!(names(&listed["clients"]), ["Acme"]);
    let (_, all) = client.get("/api/Client?includeinactive=true").await;
    assert_eq!(names(&all["clients"]), ["Acme", "Dormant"]);
    let (_, by_dept) = client
        .get("/api/Client?includeinactive=true&toplevel_id=1")
        .await;
    assert_eq!(names(&by_dept["clients"]), ["Acme"]);
    let (status, updated) = client
        .post("/api/Client", json!([{"id": acme["id"], "inactive": true}]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["name"], json!("Acme"));
    let (status, _) = client
        .delete(&format!("/api/Client/{}", id_of(&acme)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sim.objects(Kind::Client).len(), 1);
    assert!(sim.state()["clients"].is_array());
}

#[tokio::test]
async fn applications_may_name_an_existing_organisation() {
    let sim = start();
    let client = Client::new(&sim).await;
    let app = client
        .create(
            "/api/Application",
            json!({"displayName": "Scoped", "grant_type": "authorization_code", "organisation_id": 1}),
        )
        .await;
    assert_eq!(app["organisation_id"], json!(1));
    let (status, refused) = client
        .post(
            "/api/Application",
            json!([{"id": app["id"], "organisation_id": 77}]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused["message"]
        .as_str()
        .is_some_and(|m| m.contains("organisation_id")));
}

/// The statuses of `n` GETs (0 for a dropped connection).
async fn statuses(client: &Client, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(client.get("/api/Organisation").await.0.as_u16());
    }
    out
}

#[tokio::test]
async fn random_faults_are_seeded_and_answer_503_429_or_drop_creates() {
    let rate = FaultRate {
        seed: 11,
        status_503: 0.2,
        status_429: 0.1,
        drop_creates: 0.0,
    };
    let sim = start_with(SimOptions {
        fault_rate: Some(rate),
        ..SimOptions::default()
    });
    let client = Client::new(&sim).await;
    let first = statuses(&client, 200).await;
    let count = |s: u16| first.iter().filter(|x| **x == s).count();
    assert!((20..=65).contains(&count(503)), "{first:?}");
    assert!((5..=40).contains(&count(429)), "{first:?}");
    assert_eq!(count(200) + count(503) + count(429), 200);
    // Setting the same rate again replays the same sequence.
    let replay = reqwest::Client::new()
        .post(format!("{}/__config", sim.url()))
        .json(&json!({"fault_rate": rate}))
        .send()
        .await
        .expect("config answers");
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(statuses(&client, 200).await, first);

    // Every create committed, every answer dropped.
    sim.set_fault_rate(Some(FaultRate {
        seed: 1,
        status_503: 0.0,
        status_429: 0.0,
        drop_creates: 1.0,
    }));
    let sent = client
        .http
        .post(client.url("/api/Organisation"))
        .bearer_auth(&client.token)
        .json(&json!([{"name": "Dropped"}]))
        .send()
        .await;
    assert!(sent.is_err(), "the answer of the create is lost");
    assert!(sim
        .objects(Kind::Organisation)
        .iter()
        .any(|o| o["name"] == json!("Dropped")));
    // Updates are not creates: answered.
    let (status, _) = client
        .post("/api/Organisation", json!([{"id": 1, "phone": "1"}]))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Off again, and a bad rate is refused.
    sim.set_fault_rate(None);
    assert_eq!(statuses(&client, 5).await, [200; 5]);
    let bad = reqwest::Client::new()
        .post(format!("{}/__config", sim.url()))
        .json(&json!({"fault_rate": {"status_503": 1.5}}))
        .send()
        .await
        .expect("config answers");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(sim_start_refuses_a_bad_rate());
}

fn sim_start_refuses_a_bad_rate() -> bool {
    halo_sim::Sim::start(SimOptions {
        fault_rate: Some(FaultRate {
            seed: 0,
            status_503: 2.0,
            status_429: 0.0,
            drop_creates: 0.0,
        }),
        ..SimOptions::default()
    })
    .is_err()
}
