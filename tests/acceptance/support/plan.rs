//! A saved plan as `terraform show -json` prints it, and assertions on it: what
//! Terraform will do to each resource, read from `resource_changes` rather than
//! from the human-readable plan text.

use serde_json::Value;

/// What a plan does to one resource (`change.actions` in the plan JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `["no-op"]`: nothing (an import without changes is one too).
    NoOp,
    /// `["create"]`.
    Create,
    /// `["update"]`: changed in place.
    Update,
    /// `["delete", "create"]`: destroyed, then created again.
    Replace,
    /// `["delete"]`.
    Delete,
}

impl Action {
    fn from_actions(actions: &[&str]) -> Option<Action> {
        Some(match actions {
            ["no-op"] => Action::NoOp,
            ["create"] => Action::Create,
            ["update"] => Action::Update,
            ["delete", "create"] => Action::Replace,
            ["delete"] => Action::Delete,
            _ => return None,
        })
    }
}

/// `terraform show -json` of a plan saved by `terraform plan -out`.
pub struct Plan {
    pub json: Value,
}

impl Plan {
    /// Every entry of `resource_changes`.
    pub fn resource_changes(&self) -> &[Value] {
        self.json["resource_changes"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    /// The `change` object of one resource; the test fails if the plan has none.
    pub fn change(&self, addr: &str) -> &Value {
        match self
            .resource_changes()
            .iter()
            .find(|c| c["address"] == addr)
        {
            Some(c) => &c["change"],
            None => panic!("the plan has no change for {addr}:\n{:#}", self.json),
        }
    }

    /// What the plan does to one resource.
    pub fn action(&self, addr: &str) -> Action {
        let change = self.change(addr);
        let actions: Vec<&str> = change["actions"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        Action::from_actions(&actions)
            .unwrap_or_else(|| panic!("{addr}: unexpected actions {actions:?} in {change:#}"))
    }

    /// The value of one attribute before and after the change.
    pub fn before_after(&self, addr: &str, attribute: &str) -> (&Value, &Value) {
        let change = self.change(addr);
        (&change["before"][attribute], &change["after"][attribute])
    }

    /// The top-level attributes the change sets to another value (or to one known
    /// only after apply), sorted.
    pub fn changed_attributes(&self, addr: &str) -> Vec<String> {
        let change = self.change(addr);
        let mut names: Vec<String> = ["before", "after", "after_unknown"]
            .iter()
            .filter_map(|side| change[*side].as_object())
            .flat_map(|o| o.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        names.retain(|n| change["before"][n] != change["after"][n] || is_unknown(change, n));
        names
    }

    /// True where an attribute is known only after apply.
    pub fn is_unknown(&self, addr: &str, attribute: &str) -> bool {
        is_unknown(self.change(addr), attribute)
    }

    /// Assert that the plan does `action` to `addr` and nothing to anything else:
    /// what the text plan says as "ADDR will be updated in-place" with "0 to add,
    /// 1 to change, 0 to destroy".
    pub fn assert_only(&self, addr: &str, action: Action) {
        assert_eq!(self.action(addr), action, "{addr} in\n{:#}", self.json);
        for change in self.resource_changes() {
            let other = change["address"].as_str().unwrap_or_default();
            if other != addr {
                assert_eq!(
                    self.action(other),
                    Action::NoOp,
                    "expected only {addr} to change, but {other} does too:\n{:#}",
                    self.json
                );
            }
        }
    }

    /// Assert that the plan imports exactly `addrs` and changes nothing: "N to
    /// import, 0 to add, 0 to change, 0 to destroy".
    pub fn assert_imports_only(&self, addrs: &[&str]) {
        let mut importing: Vec<&str> = Vec::new();
        for change in self.resource_changes() {
            let addr = change["address"].as_str().unwrap_or_default();
            assert_eq!(
                self.action(addr),
                Action::NoOp,
                "{addr}: expected a plan that only imports:\n{:#}",
                self.json
            );
            if change["change"]["importing"].is_object() {
                importing.push(addr);
            }
        }
        importing.sort_unstable();
        let mut expected = addrs.to_vec();
        expected.sort_unstable();
        assert_eq!(importing, expected, "what the plan imports");
    }
}

fn is_unknown(change: &Value, attribute: &str) -> bool {
    change["after_unknown"][attribute] == true
}
