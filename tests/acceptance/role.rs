//! Acceptance tests of `halopsa_role`: real Terraform, the provider under test and
//! halo-sim. Arguments (docs/resources/role.md): `name` required; `description` optional (Halo
//! `notes`); `permissions` optional, one nested object whose attributes are role
//! claims with Halo's short codes (docs/halo-api.md, "Role permissions"); `id`
//! computed (a GUID).

use crate::support::{id_of, Action, Kind, TestEnv, Workdir};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_role.support";
const ROLES_PATH: &str = "/api/Roles";

/// Every claim type of the nine managed permissions and the value it has when its
/// permission is left at its default.
const DEFAULT_CLAIMS: &[(&str, &str)] = &[
    ("Tx", "0"),
    ("Ux", "0"),
    ("Fx", "0"),
    ("l6", "0"),
    ("lf", "0"),
    ("l9", "0"),
    ("l8", "0"),
    ("l4", "0"),
    ("le", "0"),
];

/// A `halopsa_role "support"` block: `name`, optional `description`, and the
/// `permissions` object's body (HCL lines) when given.
fn role_config(name: &str, description: Option<&str>, permissions: Option<&str>) -> String {
    let mut hcl = format!(
        "resource \"halopsa_role\" \"support\" {{\n  name = {}\n",
        json!(name)
    );
    if let Some(d) = description {
        hcl.push_str(&format!("  description = {}\n", json!(d)));
    }
    if let Some(p) = permissions {
        hcl.push_str(&format!("  permissions = {{\n{p}\n  }}\n"));
    }
    hcl.push_str("}\n");
    hcl
}

/// The claims `PERMS` gives, beyond the defaults.
const PERMS_CLAIMS: &[(&str, &str)] = &[("Tx", "2"), ("Ux", "2"), ("l6", "1"), ("l4", "1")];

const PERMS: &str = r#"    tickets_access  = "read_modify"
    clients_access  = "read_only"
    can_add_tickets = true
    can_delete_tickets = true"#;

/// The one role in Halo with this name.
fn halo_role(env: &TestEnv, name: &str) -> Value {
    env.sim_one_named(Kind::Role, name)
}

/// Halo's claims as (type, value) pairs, sorted.
fn claims(role: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = role["claims"]
        .as_array()
        .unwrap_or_else(|| panic!("role has no claims list: {role:#}"))
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The default claims with some values changed, sorted.
fn expected_claims(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = DEFAULT_CLAIMS
        .iter()
        .map(|(t, v)| {
            let v = changes
                .iter()
                .find(|(ct, _)| ct == t)
                .map_or(*v, |(_, cv)| *cv);
            (t.to_string(), v.to_string())
        })
        .collect();
    out.sort();
    out
}

/// Every role write the provider sent: no `departments`, and the whole claims list.
fn assert_role_writes_are_whole_and_leave_departments(env: &TestEnv) {
    let writes: Vec<Value> = env
        .sim
        .journal()
        .into_iter()
        .filter(|e| e.method == "POST" && e.path.eq_ignore_ascii_case(ROLES_PATH))
        .filter_map(|e| e.body)
        .collect();
    assert!(!writes.is_empty());
    for body in writes {
        for element in body.as_array().expect("a POST body is an array") {
            assert!(
                element.get("departments").is_none(),
                "a role write carried departments: {element:#}"
            );
            assert_eq!(
                element["claims"].as_array().map(Vec::len),
                Some(DEFAULT_CLAIMS.len()),
                "a role write did not carry the whole claims list: {element:#}"
            );
        }
    }
}

fn create_support(env: &TestEnv) -> (Workdir, String) {
    let wd = env.applied(&role_config(
        "Support",
        Some("First line support"),
        Some(PERMS),
    ));
    let id = wd.resource_id(ADDR);
    (wd, id)
}

#[test]
fn create_update_and_destroy_with_permissions() {
    let env = TestEnv::new();
    let (wd, id) = create_support(&env);

    let halo = halo_role(&env, "Support");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["notes"], "First line support");
    assert_eq!(claims(&halo), expected_claims(PERMS_CLAIMS));
    let state = wd.resource(ADDR);
    assert_eq!(state["description"], "First line support");
    let perms = &state["permissions"];
    assert_eq!(perms["tickets_access"], "read_modify");
    assert_eq!(perms["clients_access"], "read_only");
    assert_eq!(perms["users_access"], "none");
    assert_eq!(perms["can_add_tickets"], true);
    assert_eq!(perms["can_edit_closed_tickets"], false);
    wd.assert_plan_clean();

    // In place: other permissions, a new name, no description.
    wd.write_config(&role_config(
        "Support Team",
        None,
        Some(
            r#"    users_access = "read_only"
    can_view_unassigned_tickets = true"#,
        ),
    ));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    assert_eq!(wd.resource(ADDR)["id"], id.as_str());
    let halo = halo_role(&env, "Support Team");
    assert_eq!(halo["notes"], "");
    assert_eq!(claims(&halo), expected_claims(&[("Fx", "2"), ("l9", "1")]));
    wd.assert_plan_clean();

    // Leaving `permissions` out means no permissions at all.
    wd.write_config(&role_config("Support Team", None, None));
    assert_eq!(wd.plan_exit_code(), 2);
    wd.apply();
    assert_eq!(
        claims(&halo_role(&env, "Support Team")),
        expected_claims(&[])
    );
    assert_eq!(wd.resource(ADDR)["permissions"]["users_access"], "none");
    wd.assert_plan_clean();
    assert_role_writes_are_whole_and_leave_departments(&env);

    wd.destroy();
    assert!(
        env.sim_object(Kind::Role, &id).is_none(),
        "role {id} is still in Halo after destroy"
    );
    assert!(wd.try_resource(ADDR).is_none());
}

#[test]
fn a_role_with_only_a_name_plans_clean() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&role_config("Viewer", None, None));
    wd.apply();
    let state = wd.resource(ADDR);
    assert!(state["description"].is_null());
    assert_eq!(state["permissions"]["tickets_access"], "none");
    assert_eq!(state["permissions"]["can_edit_unassigned_tickets"], false);
    assert_eq!(claims(&halo_role(&env, "Viewer")), expected_claims(&[]));
    wd.assert_plan_clean();

    // An empty permissions object is the same thing.
    wd.write_config(&role_config("Viewer", None, Some("")));
    wd.assert_plan_clean();
}

#[test]
fn role_departments_set_elsewhere_are_kept() {
    let env = TestEnv::new();
    let (wd, id) = create_support(&env);
    let department = env.sim_id_named(Kind::Department, "Service Desk");
    let memberships =
        json!([{"department_id": department.parse::<i64>().unwrap(), "membershiplevel": 1}]);
    // As halopsa_role_department would have written it.
    assert!(env
        .sim
        .patch(Kind::Role, &id, json!({ "departments": memberships })));
    wd.assert_plan_clean();

    wd.write_config(&role_config("Support", Some("Changed"), Some(PERMS)));
    wd.apply();
    let halo = halo_role(&env, "Support");
    assert_eq!(halo["notes"], "Changed");
    assert_eq!(halo["departments"], memberships);
    assert_role_writes_are_whole_and_leave_departments(&env);
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = create_support(&env);
    let expected = created.resource(ADDR);
    let config = role_config("Support", Some("First line support"), Some(PERMS));

    env.assert_imports(&config, &[(ADDR, &id)], ADDR, &expected);
    env.assert_import_fails(&config, ADDR, "5f0e0d4c-0000-4000-8000-000000000000");
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = create_support(&env);

    // A claim changed by hand (and one granted by hand): undone in place.
    assert!(env.sim.patch(
        Kind::Role,
        &id,
        json!({"notes": "edited", "claims": [
            {"type": "Tx", "value": "1"},
            {"type": "l6", "value": "1"},
            {"type": "lf", "value": "1"}
        ]})
    ));
    assert_eq!(
        wd.plan_exit_code(),
        2,
        "a change in Halo is not in the plan"
    );
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    let (before, after) = plan.before_after(ADDR, "permissions");
    for (permission, was, will_be) in [
        ("tickets_access", json!("read_only"), json!("read_modify")),
        ("can_edit_closed_tickets", json!(true), json!(false)),
        ("can_delete_tickets", json!(false), json!(true)),
    ] {
        assert_eq!(
            (&before[permission], &after[permission]),
            (&was, &will_be),
            "expected the hand edit of {permission} to be undone:\n{:#}",
            plan.json
        );
    }
    wd.apply();
    let halo = halo_role(&env, "Support");
    assert_eq!(halo["notes"], "First line support");
    assert_eq!(claims(&halo), expected_claims(PERMS_CLAIMS));
    wd.assert_plan_clean();

    // Deleted by hand: planned for re-creation.
    assert!(env.sim.remove(Kind::Role, &id));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    let recreated = halo_role(&env, "Support");
    assert_eq!(wd.resource(ADDR)["id"], id_of(&recreated).as_str());
    wd.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    let roles_before = env.sim.objects(Kind::Role).len();
    let cases = [
        (
            role_config("Support", None, Some(r#"    tickets_access = "write""#)),
            "permissions.tickets_access",
        ),
        (
            role_config("Support", None, Some(r#"    users_access = "read""#)),
            "permissions.users_access",
        ),
        (role_config("", None, None), "name"),
    ];
    for (config, attr) in cases {
        let wd = env.workdir();
        wd.write_config(&config);
        wd.assert_plan_and_apply_reject(ADDR, attr);
    }
    assert_eq!(
        env.request_count("POST", ROLES_PATH),
        0,
        "a request to create was sent; the journal:\n{}",
        env.journal_summary()
    );
    assert_eq!(env.sim.objects(Kind::Role).len(), roles_before);
}

/// A role made on Halo's screen by an older Halo: legacy claim names for four
/// permissions, the administrator claim `SA`, a feature access level.
fn hand_made_legacy_role(env: &TestEnv) -> String {
    env.sim_insert(
        Kind::Role,
        json!({"name": "Old Guard", "notes": "", "departments": [], "claims": [
            {"type": "Ticket_Level", "value": "2"},
            {"type": "Customers_Level", "value": "1"},
            {"type": "Can_Log_Tickets", "value": "1"},
            {"type": "Can_Remove_Tickets", "value": "0"},
            {"type": "Calendar_Level", "value": "1"},
            {"type": "SA", "value": "true"},
            {"type": "Ex", "value": "2"}
        ]}),
    )
}

const LEGACY_PERMS: &str = r#"    tickets_access  = "read_modify"
    clients_access  = "view_names_only"
    can_add_tickets = true"#;

#[test]
fn a_hand_made_role_with_legacy_names_and_sa_imports_plans_clean_and_keeps_sa() {
    let env = TestEnv::new();
    let id = hand_made_legacy_role(&env);
    let wd = env.workdir();
    wd.write_config(&role_config("Old Guard", None, Some(LEGACY_PERMS)));
    wd.import(ADDR, &id);
    let state = wd.resource(ADDR);
    let perms = &state["permissions"];
    assert_eq!(perms["tickets_access"], "read_modify");
    assert_eq!(perms["clients_access"], "view_names_only");
    assert_eq!(perms["can_add_tickets"], true);
    assert_eq!(perms["can_delete_tickets"], false);
    assert_eq!(perms["calendars_access"], "read_only");
    assert_eq!(perms["crm_access"], "read_modify");
    assert!(perms["projects_access"].is_null(), "{perms:#}");
    assert_eq!(
        state["extra_claims"],
        json!([{"type": "SA", "value": "true"}]),
        "only SA is outside the table"
    );
    wd.assert_plan_clean();

    // A change of one permission writes its code in place of the legacy claim;
    // SA, the other legacy claims and the unset Ex stay exactly as they were.
    wd.write_config(&role_config(
        "Old Guard",
        Some("changed"),
        Some(&format!("{LEGACY_PERMS}\n    can_delete_tickets = true")),
    ));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let got = claims(&halo_role(&env, "Old Guard"));
    let mut want: Vec<(String, String)> = [
        ("Ticket_Level", "2"),
        ("Customers_Level", "1"),
        ("Can_Log_Tickets", "1"),
        ("l4", "1"),
        ("Calendar_Level", "1"),
        ("SA", "true"),
        ("Ex", "2"),
        ("Fx", "0"),
        ("lf", "0"),
        ("l9", "0"),
        ("l8", "0"),
        ("le", "0"),
    ]
    .iter()
    .map(|(t, v)| (t.to_string(), v.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    wd.assert_plan_clean();
}

#[test]
fn permissions_beyond_the_nine_are_written_when_set_and_kept_when_not() {
    let env = TestEnv::new();
    let wd = env.applied(&role_config(
        "Wide",
        None,
        Some(
            r#"    crm_access              = "read_only"
    assets_access           = "read_modify_remove"
    timesheets_access       = "read_modify_all"
    can_export_tickets      = true
    can_edit_own_preferences = false
    appointment_adding      = "all""#,
        ),
    ));
    let got = claims(&halo_role(&env, "Wide"));
    for pair in [
        ("Ex", "1"),
        ("Dx", "3"),
        ("Hx", "4"),
        ("lm", "1"),
        ("l0", "false"),
        ("lg", "2"),
    ] {
        assert!(
            got.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{pair:?} not in {got:?}"
        );
    }
    assert_eq!(got.len(), DEFAULT_CLAIMS.len() + 6, "{got:?}");
    assert!(wd.resource(ADDR)["permissions"]["sales_access"].is_null());
    wd.assert_plan_clean();

    // Set in Halo by hand while unset in the configuration: kept, no change planned.
    let id = wd.resource_id(ADDR);
    let mut by_hand: Vec<Value> = halo_role(&env, "Wide")["claims"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    by_hand.push(json!({"type": "Ox", "value": "2"}));
    assert!(env.sim.patch(Kind::Role, &id, json!({ "claims": by_hand })));
    wd.assert_plan_clean();
    // An unrelated change writes the hand-made claim back as it is.
    wd.write_config(&role_config(
        "Wide",
        Some("now described"),
        Some(
            r#"    crm_access              = "read_only"
    assets_access           = "read_modify_remove"
    timesheets_access       = "read_modify_all"
    can_export_tickets      = true
    can_edit_own_preferences = false
    appointment_adding      = "all""#,
        ),
    ));
    wd.apply();
    assert!(claims(&halo_role(&env, "Wide")).contains(&("Ox".to_string(), "2".to_string())));
    assert_eq!(
        wd.resource(ADDR)["permissions"]["sales_access"],
        "read_modify"
    );
    wd.assert_plan_clean();
}

