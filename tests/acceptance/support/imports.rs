//! The import round trip: an object Terraform created is imported into fresh
//! states, once through `import {}` blocks and once through `terraform import`,
//! and each time the state is what the creating state held, the plan is clean and
//! Halo sees no write.

use serde_json::{json, Value};

use super::{TestEnv, Workdir};

/// `import {}` blocks for `imports` (address, id), to put before a configuration.
pub fn import_blocks(imports: &[(&str, &str)]) -> String {
    imports
        .iter()
        .map(|(to, id)| format!("import {{\n  to = {to}\n  id = {}\n}}\n\n", json!(id)))
        .collect()
}

impl TestEnv {
    /// Import `imports` (address, id) into two fresh working directories whose
    /// configuration is `config`: through `import {}` blocks (the plan must only
    /// import them) and through `terraform import`. In both, `addr` must end up
    /// with the state values `expected` and the plan must be clean; neither may
    /// write to Halo. Answers the working directory imported by command.
    pub fn assert_imports(
        &self,
        config: &str,
        imports: &[(&str, &str)],
        addr: &str,
        expected: &Value,
    ) -> Workdir {
        let writes_before = self.halo_writes();
        let addrs: Vec<&str> = imports.iter().map(|(to, _)| *to).collect();

        let by_block = self.workdir();
        by_block.write_config(&format!("{}{config}", import_blocks(imports)));
        by_block.plan_json().assert_imports_only(&addrs);
        by_block.apply();
        assert_eq!(
            &by_block.resource(addr),
            expected,
            "{addr} imported by an import block"
        );
        by_block.assert_plan_clean();

        let by_command = self.workdir();
        by_command.write_config(config);
        for (to, id) in imports {
            by_command.import(to, id);
        }
        assert_eq!(
            &by_command.resource(addr),
            expected,
            "{addr} imported by terraform import"
        );
        by_command.assert_plan_clean();

        assert_eq!(
            self.halo_writes(),
            writes_before,
            "importing wrote to Halo; the journal:\n{}",
            self.journal_summary()
        );
        by_command
    }

    /// Assert that importing `id` (an object that does not exist) into `addr`
    /// fails and leaves nothing in the state.
    pub fn assert_import_fails(&self, config: &str, addr: &str, id: &str) -> String {
        let wd = self.workdir();
        wd.write_config(config);
        let err = wd.import_err(addr, id);
        assert!(
            wd.try_resource(addr).is_none(),
            "{addr} is in the state after a failed import"
        );
        err
    }
}

impl Workdir {
    /// Assert that `terraform import` refuses each of `ids` as malformed, with an
    /// error that shows the expected form (e.g. `ROLE_ID/DEPARTMENT_ID`), and
    /// that nothing lands in the state.
    pub fn assert_import_ids_rejected<S: AsRef<str>>(&self, addr: &str, ids: &[S], form: &str) {
        for id in ids {
            let id = id.as_ref();
            let err = self.import_err(addr, id);
            assert!(
                err.contains("Invalid import id") && err.contains(form),
                "import id {id:?}: expected an error showing {form}:\n{err}"
            );
        }
        assert!(self.try_resource(addr).is_none(), "{addr} is in the state");
    }
}
