//! A check that attributes are named through their declarations: no string
//! literal in the provider's code (outside tests) names an attribute where
//! code refers to one. A model's attribute is named by its `model!` constant
//! (`TeamModel::department_id`), so a renamed field cannot leave a stale string
//! behind in a validation, a plan change, a refusal or a look-up.
//!
//! The scan reads every `.rs` file under `src/` up to its first `#[cfg(test)]`
//! (files that are test modules as a whole are skipped) and flags a string
//! literal equal to the name of an attribute of a registered schema (resources
//! and their `list` filters, data sources, ephemeral resources, the provider
//! block; nested attributes included) when it stands
//!
//! - inside the arguments of a call (`attr(..)`, `AttrPath::root(..)`,
//!   `attr_error(..)`, `int_id(.., ATTR)`, a helper of one module, ...), but
//!   for the calls that take Halo's JSON keys ([`HALO_CALLS`]: `get`, `insert`,
//!   ...) and constructors (`Some(..)`: values),
//! - after a field `attribute:` or `attr:` (a `Reference`, a `ParentRef`),
//! - or second in a pair of string literals, as in the write-field tables
//!   (`("firstname", "first_name")`: the first is Halo's field, the second the
//!   attribute).
//!
//! Halo's names are not flagged: the first element of a write field, serde
//! renames and other `#[..]` attributes, JSON keys (`json!`, `get("id")`),
//! and the literals of a declaration (`const NAME: &str = "name"`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::framework::{AttributeKind, Schema, Type};

/// Calls whose literal arguments are Halo's names, not attributes: keys of
/// Halo's JSON objects and query parameters (the callee's last path segment).
/// Any other call with a literal argument equal to an attribute name is
/// flagged, so a new helper that takes an attribute name is checked too.
const HALO_CALLS: &[&str] = &[
    "get",
    "get_mut",
    "insert",
    "contains_key",
    "remove",
    "entry",
    "push",
    "unwrap_or",
    "pointer",
];

/// Struct fields whose value is an attribute's name.
const NAMING_FIELDS: &[&str] = &["attribute", "attr"];

/// One token of Rust source, as much as the scan needs.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
}

/// A string literal the scan flags: where it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub line: usize,
    pub literal: String,
}

/// The tokens of `src` with their line numbers: comments, `#[..]` attributes,
/// char literals and lifetimes dropped, and nothing after the first
/// `#[cfg(test)]`.
fn tokens(src: &str) -> Vec<(usize, Token)> {
    let src = src.split("#[cfg(test)]").next().unwrap_or_default();
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Inside `#[..]`: the depth of its brackets, whose tokens are dropped.
    let mut attr_depth = 0usize;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && matches!(at(i + 1), '"' | '#' | 'r')) {
            // A string: "..", b"..", r".." or r#".."#.
            let start_line = line;
            let mut j = i;
            if chars[j] == 'b' {
                j += 1;
            }
            let raw = at(j) == 'r';
            if raw {
                j += 1;
            }
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                // An identifier starting with r or b.
                let (ident, next) = ident_at(&chars, i);
                out.push((line, Token::Ident(ident)));
                i = next;
                continue;
            }
            j += 1;
            let mut text = String::new();
            while let Some(&d) = chars.get(j) {
                if d == '\n' {
                    line += 1;
                }
                if !raw && d == '\\' {
                    if at(j + 1) == '\n' {
                        line += 1;
                    }
                    text.push(d);
                    text.push(at(j + 1));
                    j += 2;
                    continue;
                }
                if d == '"' && (0..hashes).all(|k| at(j + 1 + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                text.push(d);
                j += 1;
            }
            if attr_depth == 0 {
                out.push((start_line, Token::Str(text)));
            }
            i = j;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\'') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let (ident, next) = ident_at(&chars, i);
            if attr_depth == 0 {
                out.push((line, Token::Ident(ident)));
            }
            i = next;
        } else {
            if c == '#' && (at(i + 1) == '[' || (at(i + 1) == '!' && at(i + 2) == '[')) {
                attr_depth = 1;
                i += if at(i + 1) == '!' { 3 } else { 2 };
                continue;
            }
            if attr_depth > 0 {
                match c {
                    '[' => attr_depth += 1,
                    ']' => attr_depth -= 1,
                    _ => {}
                }
            } else {
                out.push((line, Token::Punct(c)));
            }
            i += 1;
        }
    }
    out
}

fn ident_at(chars: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// The index just past the bracket that closes the one at `open`.
fn closing(tokens: &[(usize, Token)], open: usize) -> usize {
    let mut depth = 0i64;
    for (k, (_, t)) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The index of the `(` of a call whose callee ends at `k` (an identifier),
/// skipping a turbofish (`write_error_on::<Department>(`); `None` when no call
/// follows.
fn call_paren(tokens: &[(usize, Token)], k: usize) -> Option<usize> {
    let mut j = k + 1;
    let punct = |j: usize| match tokens.get(j) {
        Some((_, Token::Punct(c))) => Some(*c),
        _ => None,
    };
    if punct(j) == Some(':') && punct(j + 1) == Some(':') && punct(j + 2) == Some('<') {
        let mut depth = 0;
        j += 2;
        while let Some((_, t)) = tokens.get(j) {
            match t {
                Token::Punct('<') => depth += 1,
                Token::Punct('>') => {
                    depth -= 1;
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
    }
    (punct(j) == Some('(')).then_some(j)
}

/// The string literals among the arguments of the call whose `(` is at
/// `open`, without those of calls and macros nested in them (each call is
/// judged on its own; `json!` holds Halo's keys).
fn own_literals(tokens: &[(usize, Token)], open: usize) -> impl Iterator<Item = usize> + '_ {
    let end = closing(tokens, open);
    let mut own = Vec::new();
    let mut j = open + 1;
    while j < end {
        if let (_, Token::Ident(id)) = &tokens[j] {
            let nested = call_paren(tokens, j).or_else(|| {
                let bang = matches!(tokens.get(j + 1), Some((_, Token::Punct('!'))));
                (bang && id != "vec").then_some(j + 2)
            });
            if let Some(nested) = nested.filter(|&n| n < end) {
                j = closing(tokens, nested);
                continue;
            }
        }
        if matches!(tokens[j], (_, Token::Str(_))) {
            own.push(j);
        }
        j += 1;
    }
    own.into_iter()
}

/// The string literals of `src` that name one of `names` where code refers to
/// an attribute (see the module documentation).
pub fn scan(src: &str, names: &BTreeSet<String>) -> Vec<Finding> {
    let tokens = tokens(src);
    let mut flagged = BTreeSet::new();
    let is_name = |k: usize| match tokens.get(k) {
        Some((_, Token::Str(s))) => names.contains(s),
        _ => false,
    };
    for (k, (_, t)) in tokens.iter().enumerate() {
        match t {
            Token::Ident(id) => {
                // A tuple struct or variant (`Some(..)`, `Levels(..)`) holds
                // values, not names.
                let constructor = id.starts_with(|c: char| c.is_ascii_uppercase());
                if let Some(open) = call_paren(&tokens, k)
                    .filter(|_| !constructor && !HALO_CALLS.contains(&id.as_str()))
                {
                    flagged.extend(own_literals(&tokens, open).filter(|&j| is_name(j)));
                }
                let colon = matches!(tokens.get(k + 1), Some((_, Token::Punct(':'))))
                    && !matches!(tokens.get(k + 2), Some((_, Token::Punct(':'))));
                if NAMING_FIELDS.contains(&id.as_str()) && colon && is_name(k + 2) {
                    flagged.insert(k + 2);
                }
            }
            // `("halo_field", "attribute")`
            Token::Punct('(') => {
                let pair = matches!(tokens.get(k + 1), Some((_, Token::Str(_))))
                    && matches!(tokens.get(k + 2), Some((_, Token::Punct(','))))
                    && matches!(tokens.get(k + 4), Some((_, Token::Punct(')'))));
                if pair && is_name(k + 3) {
                    flagged.insert(k + 3);
                }
            }
            _ => {}
        }
    }
    flagged
        .into_iter()
        .filter_map(|k| match &tokens[k] {
            (line, Token::Str(s)) => Some(Finding {
                line: *line,
                literal: s.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Every attribute name of `schema`, nested ones and the keys of object types
/// included.
fn names_of(schema: &Schema, names: &mut BTreeSet<String>) {
    fn of_type(t: &Type, names: &mut BTreeSet<String>) {
        match t {
            Type::Object(fields) => {
                for (name, t) in fields {
                    names.insert(name.clone());
                    of_type(t, names);
                }
            }
            Type::List(t) | Type::Set(t) | Type::Map(t) => of_type(t, names),
            Type::Tuple(ts) => ts.iter().for_each(|t| of_type(t, names)),
            _ => {}
        }
    }
    fn of_attrs(
        attrs: &[(&'static str, crate::framework::Attribute)],
        names: &mut BTreeSet<String>,
    ) {
        for (name, attr) in attrs {
            names.insert((*name).to_string());
            match &attr.kind {
                AttributeKind::Nested(inner) => of_attrs(inner, names),
                AttributeKind::Value(t) => of_type(t, names),
            }
        }
    }
    of_attrs(&schema.attributes, names);
}

/// The attribute names of everything the provider registers.
fn registered_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for r in crate::resources::all() {
        names_of(&r.schema(), &mut names);
        names_of(&r.list_schema(), &mut names);
    }
    for d in crate::resources::data_sources() {
        names_of(&d.schema(), &mut names);
    }
    for e in crate::ephemeral::all() {
        names_of(&e.schema(), &mut names);
    }
    names_of(&crate::provider::schema(), &mut names);
    names
}

/// The `.rs` files under `dir`, without the modules that are tests as a whole
/// (declared `#[cfg(test)] mod name;`).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    let mut test_modules = BTreeSet::new();
    for path in &entries {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path)?;
            let mut rest = text.as_str();
            while let Some(at) = rest.find("#[cfg(test)]") {
                rest = &rest[at + "#[cfg(test)]".len()..];
                let decl = rest.trim_start();
                let decl = decl.strip_prefix("pub(crate) ").unwrap_or(decl);
                if let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.split_once(';')) {
                    test_modules.insert(name.0.trim().to_string());
                }
            }
        }
    }
    for path in entries {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if test_modules.contains(&stem) {
            continue;
        }
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[test]
fn no_literal_names_an_attribute() {
    let names = registered_names();
    assert!(names.contains("department_id") && names.contains("role_id"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files).expect("src/ is readable");
    assert!(files.len() > 20, "the scan reads the provider's sources");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for f in scan(&text, &names) {
            found.push(format!("{shown}:{}: {:?}", f.line, f.literal));
        }
    }
    assert!(
        found.is_empty(),
        "string literals name attributes; use the model's constant (e.g. `TeamModel::name`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_flags_attribute_names_only_where_code_names_an_attribute() {
    let names: BTreeSet<String> = ["name", "first_name", "department_id"]
        .map(String::from)
        .into();
    let src = r##"
        //! attr("name") in a comment
        #[serde(rename = "name")]
        struct S;
        const WRITE_FIELDS: &[WriteField] = &[
            ("firstname", "first_name"),
            ("name", AgentModel::name),
        ];
        fn f(config: &Value) {
            let _ = config.attr("name");
            let _ = json!({"name": 1});
            let _ = obj.get("name");
            let c = 'x';
            let _ = write_error_on::<Department>(halo, err, &fields, "department_id", id);
            let _ = attr_error(TeamModel::name, "Invalid name", r#"name"#);
            let _ = Reference { attribute: "department_id", id };
            let _ = ("name", 1);
            let _ = helper(&plan.x, "first_name");
            let _ = count(&mut kinds, obj.get("name"), json!({"name": 1}));
        }
        #[cfg(test)]
        mod tests { fn t() { attr("name"); } }
    "##;
    let found: Vec<(usize, &str)> = scan(src, &names)
        .iter()
        .map(|f| (f.line, names.get(&f.literal).map_or("", String::as_str)))
        .collect();
    assert_eq!(
        found,
        [
            (6, "first_name"),
            (10, "name"),
            (14, "department_id"),
            (15, "name"),
            (16, "department_id"),
            (18, "first_name"),
        ]
    );
    // Clean code passes.
    let clean =
        r#"fn f(c: &Value) { c.attr(TeamModel::name); attr_error(X::id, "Invalid id", "d"); }"#;
    assert_eq!(scan(clean, &names), []);
}
