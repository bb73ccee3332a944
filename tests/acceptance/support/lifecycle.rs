//! The life of one resource under test, in the steps every resource's tests
//! take: create, update in place, import, drift undone, deleted by hand and
//! re-created, destroy, bad values refused at plan. Each step is run and
//! asserted here, once, so that a type's tests say only what is its own: its
//! arguments, what Halo holds after each step and the values it refuses.
//!
//! ```ignore
//! const SUBJECT: Lifecycle = Lifecycle {
//!     fixture: Fixture { prelude: "", type_name: "halopsa_status", name: "waiting" },
//!     store: Store::Family("Status"),
//! };
//! let (wd, id) = SUBJECT.create(&env, BASIC);
//! let obj = SUBJECT.assert_updated_in_place(&env, &wd, &id, &[("name", "\"Other\"")]);
//! ```

use serde_json::Value;

use super::{id_of, Action, Fixture, Kind, Plan, Sim, TestEnv, Workdir};

/// An id no object of the emulator has: importing it must fail.
pub const MISSING_ID: &str = "987654";

/// Where halo-sim keeps a type's objects: one of its kinds, or a generic family
/// (named by its path below `/api`, e.g. `"Status"`).
#[derive(Debug, Clone, Copy)]
pub enum Store {
    Kind(Kind),
    Family(&'static str),
}

impl Store {
    /// Every object stored.
    pub fn objects(self, sim: &Sim) -> Vec<Value> {
        match self {
            Store::Kind(kind) => sim.objects(kind),
            Store::Family(family) => sim.generic_objects(family),
        }
    }

    /// Stores an object out of band (as someone in Halo's UI would); answers it.
    pub fn insert(self, sim: &Sim, object: Value) -> Value {
        match self {
            Store::Kind(kind) => sim.insert(kind, object),
            Store::Family(family) => sim.insert_generic(family, object),
        }
    }

    /// Merges `patch` into the stored object out of band; answers whether it exists.
    pub fn patch(self, sim: &Sim, id: &str, patch: Value) -> bool {
        match self {
            Store::Kind(kind) => sim.patch(kind, id, patch),
            Store::Family(family) => sim.patch_generic(family, id, patch),
        }
    }

    /// Deletes the stored object out of band; answers whether it existed.
    pub fn remove(self, sim: &Sim, id: &str) -> bool {
        match self {
            Store::Kind(kind) => sim.remove(kind, id),
            Store::Family(family) => sim.remove_generic(family, id),
        }
    }
}

/// One resource under test: its configuration ([`Fixture`]) and where halo-sim
/// keeps its objects.
pub struct Lifecycle {
    pub fixture: Fixture,
    pub store: Store,
}

impl Lifecycle {
    /// The resource's address, e.g. `halopsa_status.waiting`.
    pub fn addr(&self) -> String {
        self.fixture.addr()
    }

    /// The prelude and the resource with these arguments.
    pub fn config<E: AsRef<str>>(&self, args: &[(&str, E)]) -> String {
        self.fixture.config(args)
    }

    /// The object with this id as halo-sim holds it; the test fails if there is
    /// none.
    pub fn halo(&self, env: &TestEnv, id: &str) -> Value {
        self.store
            .objects(&env.sim)
            .into_iter()
            .find(|o| id_of(o) == id)
            .unwrap_or_else(|| panic!("no {} {id} in halo-sim", self.fixture.type_name))
    }

    /// Every object of the kind halo-sim holds.
    pub fn halo_all(&self, env: &TestEnv) -> Vec<Value> {
        self.store.objects(&env.sim)
    }

    /// Makes an object in Halo out of band; answers it as stored.
    pub fn insert(&self, env: &TestEnv, object: Value) -> Value {
        self.store.insert(&env.sim, object)
    }

    /// Applies the configuration with these arguments in a new working
    /// directory; answers it and the resource's id.
    pub fn create<E: AsRef<str>>(&self, env: &TestEnv, args: &[(&str, E)]) -> (Workdir, String) {
        self.fixture.create(env, args)
    }

    /// Rewrites the configuration with `args`: the plan changes this resource
    /// in place and nothing else; after the apply its id is still `id` and the
    /// plan is clean. Answers the object as Halo then holds it.
    pub fn assert_updated_in_place<E: AsRef<str>>(
        &self,
        env: &TestEnv,
        wd: &Workdir,
        id: &str,
        args: &[(&str, E)],
    ) -> Value {
        let addr = self.addr();
        wd.write_config(&self.config(args));
        wd.plan_json().assert_only(&addr, Action::Update);
        let halo = self.applied_cleanly(env, wd, id);
        assert_eq!(wd.resource(&addr)["id"], id, "the update changed the id");
        halo
    }

    /// Rewrites the configuration with `args` and applies it; the plan after is
    /// clean. Answers the object as Halo then holds it.
    pub fn assert_reapplied<E: AsRef<str>>(
        &self,
        env: &TestEnv,
        wd: &Workdir,
        id: &str,
        args: &[(&str, E)],
    ) -> Value {
        wd.write_config(&self.config(args));
        self.applied_cleanly(env, wd, id)
    }

    /// Applies `wd`; the plan after is clean. Answers the object `id` as Halo
    /// then holds it.
    fn applied_cleanly(&self, env: &TestEnv, wd: &Workdir, id: &str) -> Value {
        wd.apply();
        wd.assert_plan_clean();
        self.halo(env, id)
    }

    /// Rewrites the configuration with `args`: the plan shows no change.
    pub fn assert_no_change<E: AsRef<str>>(&self, wd: &Workdir, args: &[(&str, E)]) {
        wd.write_config(&self.config(args));
        wd.assert_plan_clean();
    }

    /// The import round trip of the object `id` made in `created`, whose state is
    /// what the imports must yield: into fresh states whose configuration is
    /// `config` (by `import` blocks and by `terraform import`, with `others`
    /// imported alongside), then an import of an id Halo does not have, which
    /// fails and leaves nothing in the state.
    pub fn assert_imports(
        &self,
        env: &TestEnv,
        created: &Workdir,
        config: &str,
        others: &[(&str, &str)],
        id: &str,
    ) {
        let addr = self.addr();
        let expected = created.resource(&addr);
        let mut imports = others.to_vec();
        imports.push((&addr, id));
        env.assert_imports(config, &imports, &addr, &expected);
        env.assert_import_fails(config, &addr, MISSING_ID);
    }

    /// Changes the object in Halo by hand (`patch`): the plan does `action` to
    /// this resource and nothing else. Answers the plan.
    pub fn assert_drift_planned(
        &self,
        env: &TestEnv,
        wd: &Workdir,
        id: &str,
        patch: Value,
        action: Action,
    ) -> Plan {
        assert!(
            self.store.patch(&env.sim, id, patch),
            "no {} {id} in halo-sim to change",
            self.fixture.type_name
        );
        let plan = wd.plan_json();
        plan.assert_only(&self.addr(), action);
        plan
    }

    /// Changes the object in Halo by hand (`patch`): the plan updates it in place,
    /// changing exactly the attributes `changed` (sorted), and `inspect` sees the
    /// plan; the apply undoes the change and the plan after is clean. Answers
    /// the object as Halo then holds it.
    pub fn assert_drift_undone(
        &self,
        env: &TestEnv,
        wd: &Workdir,
        id: &str,
        patch: Value,
        changed: &[&str],
        inspect: impl FnOnce(&Plan),
    ) -> Value {
        let plan = self.assert_drift_planned(env, wd, id, patch, Action::Update);
        assert_eq!(
            plan.changed_attributes(&self.addr()),
            changed,
            "expected the hand edit to be undone"
        );
        inspect(&plan);
        self.applied_cleanly(env, wd, id)
    }

    /// Deletes the object in Halo by hand: the plan creates it again and does
    /// nothing else.
    pub fn assert_removal_planned(&self, env: &TestEnv, wd: &Workdir, id: &str) {
        assert!(
            self.store.remove(&env.sim, id),
            "no {} {id} in halo-sim to delete",
            self.fixture.type_name
        );
        wd.plan_json().assert_only(&self.addr(), Action::Create);
    }

    /// [`Lifecycle::assert_removal_planned`], then the apply: the state holds the
    /// object Halo now has and the plan is clean. Answers that object.
    pub fn assert_recreated(&self, env: &TestEnv, wd: &Workdir, id: &str) -> Value {
        self.assert_removal_planned(env, wd, id);
        wd.apply();
        let recreated = self.halo(env, &wd.resource_id(&self.addr()));
        wd.assert_plan_clean();
        recreated
    }

    /// `terraform destroy`: the resource leaves the state and its object leaves
    /// Halo. Answers the objects of the kind Halo still holds.
    pub fn assert_destroyed(&self, env: &TestEnv, wd: &Workdir, id: &str) -> Vec<Value> {
        let addr = self.addr();
        wd.destroy();
        assert!(wd.try_resource(&addr).is_none(), "{addr} is in the state");
        let left = self.halo_all(env);
        assert!(
            left.iter().all(|o| id_of(o) != id),
            "{addr} {id} is still in halo-sim"
        );
        left
    }

    /// Each `(attribute, body)` of `cases`, as the resource's whole body, is
    /// refused at plan and by apply with an error on that attribute; no request
    /// to create anything reaches Halo.
    pub fn assert_refused_at_plan<S: AsRef<str>>(&self, env: &TestEnv, cases: &[(&str, S)]) {
        let cases: Vec<(&str, String)> = cases
            .iter()
            .map(|(attribute, body)| (*attribute, body.as_ref().to_owned()))
            .collect();
        env.assert_refused_at_plan(self.fixture.type_name, self.fixture.name, &cases);
    }
}
