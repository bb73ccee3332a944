//! Writing HCL the way `terraform fmt` leaves it: two-space indentation, the `=`
//! of consecutive one-line attributes aligned (an attribute whose value spans
//! lines stands alone, as `terraform fmt` keeps it), strings escaped so that
//! nothing in them is read as a template.

use std::fmt::Write as _;

use crate::framework::Value;

/// An expression: a literal value, a reference to another object's attribute, a
/// list or an object of expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string, number or boolean.
    Literal(Value),
    /// A Terraform reference, written as it is (`halopsa_team.desk.id`).
    Ref(String),
    List(Vec<Expr>),
    /// Attributes in the order given.
    Object(Vec<(String, Expr)>),
}

impl Expr {
    /// Whether the expression is written on one line (lists of one-line items
    /// are; objects never are).
    fn one_line(&self) -> bool {
        match self {
            Expr::Literal(_) | Expr::Ref(_) => true,
            Expr::List(items) => items
                .iter()
                .all(|i| matches!(i, Expr::Literal(_) | Expr::Ref(_))),
            Expr::Object(_) => false,
        }
    }

    /// The one-line form (only for [`Expr::one_line`] expressions).
    fn inline(&self) -> String {
        match self {
            Expr::Literal(v) => literal(v),
            Expr::Ref(r) => r.clone(),
            Expr::List(items) => {
                let items: Vec<String> = items.iter().map(Expr::inline).collect();
                format!("[{}]", items.join(", "))
            }
            Expr::Object(_) => String::new(),
        }
    }
}

/// A string literal: `"` and `\` escaped, control characters as escapes, and
/// `${` / `%{` doubled so that Terraform reads them as text, not templates.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A primitive value's literal; anything else (never given) as `null`.
fn literal(v: &Value) -> String {
    match v.undynamic() {
        Value::String(s) => string(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => "null".to_owned(),
    }
}

/// A block: `type "label" ... {` attributes `}`.
#[derive(Debug, Clone)]
pub struct Block {
    pub header: String,
    pub body: Vec<(String, Expr)>,
}

impl Block {
    /// `kind "label1" "label2" {`, labels quoted.
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        let mut header = kind.to_owned();
        for l in labels {
            header.push(' ');
            header.push_str(&string(l));
        }
        Block {
            header,
            body: Vec::new(),
        }
    }

    pub fn attr(mut self, name: impl Into<String>, value: Expr) -> Block {
        self.body.push((name.into(), value));
        self
    }

    /// The block as `terraform fmt` writes it, ending in a newline.
    pub fn render(&self) -> String {
        if self.body.is_empty() {
            return format!("{} {{}}\n", self.header);
        }
        let mut out = format!("{} {{\n", self.header);
        body(&mut out, &self.body, 1);
        out.push_str("}\n");
        out
    }
}

/// Attributes at `depth`, one-line runs aligned on `=`.
fn body(out: &mut String, attrs: &[(String, Expr)], depth: usize) {
    let pad = "  ".repeat(depth);
    let mut i = 0;
    while i < attrs.len() {
        if !attrs[i].1.one_line() {
            let (name, value) = &attrs[i];
            let _ = write!(out, "{pad}{name} = ");
            multi_line(out, value, depth);
            out.push('\n');
            i += 1;
            continue;
        }
        let run_end = (i..attrs.len())
            .find(|&j| !attrs[j].1.one_line())
            .unwrap_or(attrs.len());
        let width = attrs[i..run_end]
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (name, value) in &attrs[i..run_end] {
            let _ = writeln!(out, "{pad}{name:<width$} = {}", value.inline());
        }
        i = run_end;
    }
}

/// A value that spans lines, starting after `name = ` at `depth`.
fn multi_line(out: &mut String, value: &Expr, depth: usize) {
    let pad = "  ".repeat(depth);
    match value {
        Expr::Object(attrs) if attrs.is_empty() => out.push_str("{}"),
        Expr::Object(attrs) => {
            out.push_str("{\n");
            body(out, attrs, depth + 1);
            let _ = write!(out, "{pad}}}");
        }
        Expr::List(items) => {
            out.push_str("[\n");
            let inner = "  ".repeat(depth + 1);
            for item in items {
                out.push_str(&inner);
                if item.one_line() {
                    out.push_str(&item.inline());
                } else {
                    multi_line(out, item, depth + 1);
                }
                out.push_str(",\n");
            }
            let _ = write!(out, "{pad}]");
        }
        other => out.push_str(&other.inline()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_never_templates() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("${x} %{if} $5 100%"), r#""$${x} %%{if} $5 100%""#);
        assert_eq!(string("line\nnext\u{1}"), r#""line\nnext\u0001""#);
    }

    #[test]
    fn one_line_runs_align_and_multi_line_values_stand_alone() {
        let block = Block::new("resource", &["halopsa_role", "tech"])
            .attr("name", Expr::Literal(Value::string("Tech")))
            .attr(
                "permissions",
                Expr::Object(vec![
                    ("a".into(), Expr::Literal(Value::Bool(true))),
                    ("bbb".into(), Expr::Literal(Value::string("x"))),
                ]),
            )
            .attr(
                "claims",
                Expr::List(vec![Expr::Object(vec![(
                    "type".into(),
                    Expr::Literal(Value::string("T")),
                )])]),
            )
            .attr(
                "role_ids",
                Expr::List(vec![Expr::Ref("halopsa_role.a.id".into())]),
            )
            .attr("x", Expr::List(vec![]));
        assert_eq!(
            block.render(),
            "resource \"halopsa_role\" \"tech\" {\n  name = \"Tech\"\n  permissions = {\n    \
             a   = true\n    bbb = \"x\"\n  }\n  claims = [\n    {\n      type = \"T\"\n    },\n  \
             ]\n  role_ids = [halopsa_role.a.id]\n  x        = []\n}\n"
        );
        assert_eq!(
            Block::new("provider", &["halopsa"]).render(),
            "provider \"halopsa\" {}\n"
        );
    }
}
