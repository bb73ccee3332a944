//! Acceptance tests of `halopsa_organisation`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/organisation.md): `name` required; `email`, `phone`,
//! `website`, `reply_address` optional; `id` computed.

use crate::support::{id_of, Fixture, Kind, Lifecycle, Store, TestEnv, Workdir};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_organisation.acme";
const ORGANISATION_PATH: &str = "/api/Organisation";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: "",
        type_name: "halopsa_organisation",
        name: "acme",
    },
    store: Store::Kind(Kind::Organisation),
};

/// The arguments (all strings) as HCL string literals.
fn quoted<'a>(args: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
    args.iter()
        .map(|(n, v)| (*n, json!(v).to_string()))
        .collect()
}

/// A `halopsa_organisation "acme"` block with the given arguments (all strings).
fn acme_config(args: &[(&str, &str)]) -> String {
    SUBJECT.config(&quoted(args))
}

const FULL: &[(&str, &str)] = &[
    ("name", "Acme Ltd"),
    ("email", "help@acme.example"),
    ("phone", "+353 21 000 0000"),
    ("website", "https://acme.example"),
    ("reply_address", "replies@acme.example"),
];

/// The one organisation in Halo with this name.
fn halo_organisation(env: &TestEnv, name: &str) -> Value {
    env.sim_one_named(Kind::Organisation, name)
}

/// Every argument has the expected value in `object` (Halo's JSON or Terraform's
/// state values: the field names are the same for an organisation).
fn assert_fields(object: &Value, args: &[(&str, &str)], what: &str) {
    for (name, value) in args {
        assert_eq!(
            object[*name], *value,
            "{what}: field {name} differs in {object:#}"
        );
    }
}

/// Apply the full Acme configuration in a new working directory; return it and
/// the organisation's id.
fn create_acme(env: &TestEnv) -> (Workdir, String) {
    SUBJECT.create(env, &quoted(FULL))
}

#[test]
fn create_update_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = create_acme(&env);

    // Halo holds what the configuration says, under the id in the state.
    let halo = halo_organisation(&env, "Acme Ltd");
    assert_fields(&halo, FULL, "Halo after create");
    assert_eq!(id_of(&halo), id);
    assert_fields(&wd.resource(ADDR), FULL, "state after create");
    wd.assert_plan_clean();

    // An in-place update keeps the id.
    let updated: &[(&str, &str)] = &[
        ("name", "Acme Holdings"),
        ("email", "support@acme.example"),
        ("phone", "+353 21 111 1111"),
        ("website", "https://acme.example/home"),
        ("reply_address", "replies@acme.example"),
    ];
    let halo = SUBJECT.assert_updated_in_place(&env, &wd, &id, &quoted(updated));
    assert_fields(&halo, updated, "Halo after update");
    assert_eq!(id_of(&halo_organisation(&env, "Acme Holdings")), id);
    assert!(env
        .sim_objects_named(Kind::Organisation, "Acme Ltd")
        .is_empty());

    // Destroy removes it from Halo and from the state; the seed data stays.
    SUBJECT.assert_destroyed(&env, &wd, &id);
    halo_organisation(&env, "Main Organisation");
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = create_acme(&env);

    // By an `import {}` block and by `terraform import`, in fresh working
    // directories; then an id that does not exist is an error, and nothing lands
    // in the state.
    SUBJECT.assert_imports(&env, &created, &acme_config(FULL), &[], &id);
    halo_organisation(&env, "Acme Ltd");
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = create_acme(&env);

    // Edited by hand: planned as an in-place update back to the configuration.
    let halo = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"phone": "+1 555 0100", "website": "https://elsewhere.example"}),
        &["phone", "website"],
        |plan| {
            assert_eq!(
                wd.plan_exit_code(),
                2,
                "a change in Halo is not in the plan"
            );
            assert_eq!(
                plan.before_after(ADDR, "phone"),
                (&json!("+1 555 0100"), &json!("+353 21 000 0000")),
                "expected the hand edit to be undone"
            );
        },
    );
    assert_fields(&halo, FULL, "Halo after apply");
    assert_eq!(wd.resource(ADDR)["id"], id.as_str());

    // Deleted by hand: planned for re-creation.
    let recreated = SUBJECT.assert_recreated(&env, &wd, &id);
    assert_fields(&recreated, FULL, "Halo after re-creation");
    assert_eq!(id_of(&halo_organisation(&env, "Acme Ltd")), id_of(&recreated));
}

#[test]
fn empty_name_is_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    let organisations_before = env.sim.objects(Kind::Organisation).len();
    let wd = env.workdir();
    wd.write_config(&acme_config(&[("name", ""), ("email", "x@acme.example")]));

    // One error, on the resource, whose own text (not the quoted configuration)
    // names the attribute.
    wd.assert_plan_and_apply_reject(ADDR, "name");

    assert_eq!(
        env.request_count("POST", ORGANISATION_PATH),
        0,
        "a request to create was sent; the journal:\n{}",
        env.journal_summary()
    );
    assert_eq!(
        env.sim.objects(Kind::Organisation).len(),
        organisations_before
    );
}

#[test]
fn a_refresh_reads_each_kind_once_not_each_object() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(
        r#"
resource "halopsa_organisation" "many" {
  count = 12
  name  = "Tenant ${count.index}"
}
"#,
    );
    wd.apply();
    env.sim.clear_journal();
    wd.assert_plan_clean();
    let gets: Vec<String> = env
        .sim
        .journal()
        .into_iter()
        .filter(|e| e.method == "GET" && e.path.starts_with(ORGANISATION_PATH))
        .map(|e| e.path)
        .collect();
    assert_eq!(
        gets,
        vec![ORGANISATION_PATH.to_string()],
        "refreshing 12 organisations should cost one list request; journal:\n{}",
        env.journal_summary()
    );
}
