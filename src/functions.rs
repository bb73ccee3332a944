//! The provider's functions (Terraform 1.8+): `provider::halopsa::membership_id`
//! and `provider::halopsa::parse_membership_id`, which build and take apart the
//! import ids of `halopsa_role_department` and `halopsa_agent_department`
//! (`PARENT/DEPARTMENT`). Parsing uses the membership resources' own import-id
//! parser, so a function and `terraform import` accept exactly the same ids.

use crate::framework::{Function, FunctionError, Parameter, Type, Value};
use crate::resources::membership::{department_number, split_membership_id};

/// Every function the provider offers.
pub fn all() -> Vec<Function> {
    vec![membership_id(), parse_membership_id()]
}

/// What the two halves of a membership id are called in messages.
const PARENT: &str = "parent";

/// The keys of the object `parse_membership_id` answers (and the names of
/// `membership_id`'s parameters): declared once, for the type and the value.
const PARENT_ID: &str = "parent_id";
const DEPARTMENT_ID: &str = "department_id";

fn membership_type() -> Type {
    Type::Object(
        [
            (PARENT_ID.to_string(), Type::String),
            (DEPARTMENT_ID.to_string(), Type::String),
        ]
        .into_iter()
        .collect(),
    )
}

fn text(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or_default()
}

fn membership_id() -> Function {
    Function {
        name: "membership_id",
        summary: "The import id of a role's or agent's department membership",
        description: "Joins a role id (or agent id) and a department id into the id \
                      `PARENT/DEPARTMENT` that `halopsa_role_department` and \
                      `halopsa_agent_department` are imported by. Fails when either id is \
                      empty, the parent id contains `/`, or the department id is not a whole \
                      number of at least 1. Requires Terraform 1.8+.",
        parameters: vec![
            Parameter {
                name: PARENT_ID,
                ty: Type::String,
                description: "The role's id (a GUID) or the agent's id.",
            },
            Parameter {
                name: DEPARTMENT_ID,
                ty: Type::String,
                description: "The department's id.",
            },
        ],
        returns: Type::String,
        example: "provider::halopsa::membership_id(\"4f6c…\", \"12\") # \"4f6c…/12\"",
        call: |args| {
            let (parent, department) = (text(args, 0).trim(), text(args, 1).trim());
            if parent.is_empty() {
                return Err(FunctionError::argument(
                    0,
                    format!("{PARENT_ID} must not be empty"),
                ));
            }
            if parent.contains('/') {
                return Err(FunctionError::argument(
                    0,
                    format!("{PARENT_ID} {parent:?} must not contain \"/\""),
                ));
            }
            department_number(department).map_err(|why| FunctionError::argument(1, why))?;
            Ok(Value::string(format!("{parent}/{department}")))
        },
    }
}

fn parse_membership_id() -> Function {
    Function {
        name: "parse_membership_id",
        summary: "The role (or agent) id and department id of a membership id",
        description: "Takes apart a membership id `PARENT/DEPARTMENT` (the import id of \
                      `halopsa_role_department` and `halopsa_agent_department`) into an object \
                      `{ parent_id, department_id }`. A malformed id (no `/`, an empty half, a \
                      department id that is not a whole number of at least 1) is an error \
                      saying which. Requires Terraform 1.8+.",
        parameters: vec![Parameter {
            name: "id",
            ty: Type::String,
            description: "A membership id, e.g. `4f6c…/12`.",
        }],
        returns: membership_type(),
        example: "provider::halopsa::parse_membership_id(\"4f6c…/12\").department_id # \"12\"",
        call: |args| {
            let id = text(args, 0);
            let malformed =
                |why: String| FunctionError::argument(0, format!("malformed membership id: {why}"));
            let (parent, department) = split_membership_id(id, PARENT).map_err(malformed)?;
            department_number(department).map_err(malformed)?;
            Ok(Value::Object(
                [
                    (PARENT_ID.to_string(), Value::string(parent)),
                    (DEPARTMENT_ID.to_string(), Value::string(department)),
                ]
                .into_iter()
                .collect(),
            ))
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[&str]) -> Result<Value, FunctionError> {
        let f = all()
            .into_iter()
            .find(|f| f.name == name)
            .expect("a function");
        let args: Vec<_> = args.iter().map(|a| Value::string(*a)).collect();
        f.invoke(&args)
    }

    #[test]
    fn ids_are_joined_and_taken_apart() {
        assert_eq!(
            call("membership_id", &["abc", "12"]),
            Ok(Value::string("abc/12"))
        );
        let parsed = call("parse_membership_id", &[" abc / 12 "]).expect("parses");
        assert_eq!(parsed.attr("parent_id"), &Value::string("abc"));
        assert_eq!(parsed.attr("department_id"), &Value::string("12"));
    }

    #[test]
    fn malformed_ids_name_the_problem_and_argument() {
        let e = call("parse_membership_id", &["abc"]).expect_err("no slash");
        assert_eq!(e.argument, Some(0));
        assert!(e.text.contains("has no \"/\""), "{}", e.text);
        let e = call("parse_membership_id", &["abc/x"]).expect_err("not a number");
        assert!(e.text.contains("not a whole number"), "{}", e.text);
        let e = call("membership_id", &["a/b", "1"]).expect_err("slash");
        assert_eq!(e.argument, Some(0));
        let e = call("membership_id", &["a", "0"]).expect_err("zero");
        assert_eq!(e.argument, Some(1));
        let f = membership_id();
        assert!(f.invoke(&[Value::string("a")]).is_err());
        assert!(f.invoke(&[Value::Null, Value::string("1")]).is_err());
    }
}
