//! The listed objects as configuration: one file per type, `imports.tf` and
//! `versions.tf`. Everything here is driven by the schemas: which attributes
//! configuration sets (required or optional, not computed-only, not sensitive,
//! not write-only), and which of them refer to another object
//! ([`Attribute::references`]), written as a Terraform reference when that
//! object is exported too, as the literal value otherwise.

use std::collections::{BTreeMap, HashMap};

use crate::data_sources::NAME;
use crate::framework::{Attribute, AttributeKind, Reference, Schema, Value};
use crate::resources::ID;

use super::builtin::{comes_with_parents, is_builtin};
use super::collect::Listed;
use super::hcl::{self, Block, Expr};
use super::label;

/// The arguments of Terraform's `import` block.
const IMPORT_TO: &str = "to";
const IMPORT_ID: &str = "id";

/// The import blocks' file: kept apart so that the rest applies to a tenant
/// that has none of the objects.
pub const IMPORTS_FILE: &str = "imports.tf";
pub const VERSIONS_FILE: &str = "versions.tf";

/// How an object is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A `resource` block and an `import` block.
    Resource,
    /// Built in: a `data` look-up by name (see `builtin`).
    Lookup,
    /// Comes with its built-in parents: not written.
    Skipped,
}

/// One listed object and how it is written.
struct Obj {
    kind: usize,
    index: usize,
    role: Role,
    label: String,
}

/// What a data source of an exported type looks objects up by: its schema.
pub struct LookupSchemas(pub BTreeMap<&'static str, Schema>);

/// The export as files: name to contents.
pub fn files(kinds: &[Listed], lookups: &LookupSchemas) -> BTreeMap<String, String> {
    let export = Export::new(kinds, lookups);
    let mut files = BTreeMap::new();
    let mut imports = String::new();
    for (k, listed) in kinds.iter().enumerate() {
        let objs = export.of_kind(k);
        if objs.is_empty() {
            continue;
        }
        let mut text = format!(
            "# {}: exported by `terraform-provider-halopsa export`.\n",
            listed.type_name
        );
        let secrets = secret_attributes(&listed.schema);
        if !secrets.is_empty() {
            text.push_str(&format!(
                "# Secrets are not exportable: {} not written (Halo never answers them; \
                 set them where needed).\n",
                secrets.join(", ")
            ));
        }
        for o in objs {
            text.push('\n');
            text.push_str(&export.block(o).render());
            if o.role == Role::Resource {
                if !imports.is_empty() {
                    imports.push('\n');
                }
                imports.push_str(&export.import_block(o).render());
            }
        }
        files.insert(format!("{}.tf", listed.type_name), text);
    }
    files.insert(IMPORTS_FILE.to_owned(), imports);
    files.insert(VERSIONS_FILE.to_owned(), versions());
    files
}

/// `versions.tf`: the provider requirement and an empty provider block.
fn versions() -> String {
    let mut text = String::from(
        "terraform {\n  required_providers {\n    halopsa = {\n      source = \"halopsa/halopsa\"\n    \
         }\n  }\n}\n\n",
    );
    text.push_str(
        "# Credentials come from the environment: HALOPSA_URL, HALOPSA_CLIENT_ID,\n\
         # HALOPSA_CLIENT_SECRET (and HALOPSA_TENANT on hosted Halo).\n",
    );
    text.push_str(&Block::new("provider", &["halopsa"]).render());
    text
}

/// Top-level attributes that hold secrets: never exported.
fn secret_attributes(schema: &Schema) -> Vec<&'static str> {
    schema
        .attributes
        .iter()
        .filter(|(_, a)| a.sensitive || a.write_only)
        .map(|(n, _)| *n)
        .collect()
}

/// Whether configuration sets the attribute, and so the export writes it.
fn configurable(a: &Attribute) -> bool {
    a.presence.accepts_config() && !a.sensitive && !a.write_only
}

/// The listed objects with their labels and roles, and what references find.
struct Export<'a> {
    kinds: &'a [Listed],
    lookups: &'a LookupSchemas,
    objs: Vec<Obj>,
    /// `(type, attribute, value)` to the object holding it.
    index: HashMap<(&'static str, String, String), usize>,
}

impl<'a> Export<'a> {
    fn new(kinds: &'a [Listed], lookups: &'a LookupSchemas) -> Export<'a> {
        let mut export = Export {
            kinds,
            lookups,
            objs: Vec::new(),
            index: HashMap::new(),
        };
        for (k, listed) in kinds.iter().enumerate() {
            for index in 0..listed.objects.len() {
                export.objs.push(Obj {
                    kind: k,
                    index,
                    role: Role::Resource,
                    label: String::new(),
                });
            }
        }
        export.index_objects();
        export.name_objects();
        export.index_objects();
        export.name_unnamed_objects();
        export
    }

    fn state(&self, o: &Obj) -> &'a Value {
        &self.kinds[o.kind].objects[o.index]
    }

    fn type_name(&self, o: &Obj) -> &'static str {
        self.kinds[o.kind].type_name
    }

    fn name(&self, o: &Obj) -> Option<&'a str> {
        let schema = &self.kinds[o.kind].schema;
        schema.get(NAME)?;
        self.state(o).attr(NAME).as_str()
    }

    /// The import id: the identity's values joined by `/`.
    fn import_id(&self, o: &Obj) -> String {
        let state = self.state(o);
        self.kinds[o.kind]
            .identity
            .iter()
            .map(|a| state.attr(a).as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Labels and roles of the objects that have names: built-in ones (with a
    /// data source to look them up) are looked up.
    fn name_objects(&mut self) {
        for k in 0..self.kinds.len() {
            let mut named: Vec<(String, String, usize)> = Vec::new();
            for (pos, o) in self.objs.iter().enumerate().filter(|(_, o)| o.kind == k) {
                if let Some(name) = self.name(o) {
                    named.push((label::slug(name), self.signature(o), pos));
                }
            }
            self.assign(named);
            for o in self.objs.iter_mut().filter(|o| o.kind == k) {
                let listed = &self.kinds[k];
                let name = listed.objects[o.index].attr(NAME).as_str();
                if let Some(name) = name.filter(|_| listed.schema.get(NAME).is_some()) {
                    if is_builtin(listed.type_name, name)
                        && self.lookups.0.contains_key(listed.type_name)
                    {
                        o.role = Role::Lookup;
                    }
                }
            }
        }
    }

    /// What tells apart objects of one name the same way on every tenant: the
    /// configurable attributes, references as the names of what they point at,
    /// then (only when all that is equal) the import id.
    fn signature(&self, o: &Obj) -> String {
        let listed = &self.kinds[o.kind];
        let state = self.state(o);
        let mut sig = String::new();
        for (name, a) in listed
            .schema
            .attributes
            .iter()
            .filter(|(_, a)| configurable(a))
        {
            let v = state.attr(name);
            let shown = match (a.references, v.as_str()) {
                (Some(r), Some(s)) => match self.find(&r, s) {
                    Some(found) => self.name(found).unwrap_or(s).to_owned(),
                    None => s.to_owned(),
                },
                _ => format!("{v:?}"),
            };
            sig.push_str(&format!("{name}={shown};"));
        }
        sig.push_str(&self.import_id(o));
        sig
    }

    /// Gives the objects at the positions their labels: sorted by base label,
    /// then by the second key, the first keeps the base.
    fn assign(&mut self, mut bases: Vec<(String, String, usize)>) {
        bases.sort();
        let unique = label::unique(&bases.iter().map(|(b, _, _)| b.clone()).collect::<Vec<_>>());
        for ((_, _, pos), l) in bases.into_iter().zip(unique) {
            self.objs[pos].label = l;
        }
    }

    /// Every attribute some reference points at, of every named object.
    fn index_objects(&mut self) {
        self.index.clear();
        let mut wanted: Vec<Reference> = Vec::new();
        for listed in self.kinds {
            for (_, a) in &listed.schema.attributes {
                if let Some(r) = a.references {
                    if !wanted.contains(&r) {
                        wanted.push(r);
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..self.objs.len()).collect();
        order.sort_by(|a, b| self.objs[*a].label.cmp(&self.objs[*b].label));
        for pos in order {
            let o = &self.objs[pos];
            let type_name = self.type_name(o);
            for r in wanted.iter().filter(|r| r.type_name == type_name) {
                if let Some(v) = self.state(o).attr(r.attribute).as_str() {
                    self.index
                        .entry((type_name, r.attribute.to_owned(), v.to_owned()))
                        .or_insert(pos);
                }
            }
        }
    }

    /// The object a reference's value names, if it is exported.
    fn find(&self, r: &Reference, value: &str) -> Option<&Obj> {
        self.index
            .get(&(r.type_name, r.attribute.to_owned(), value.to_owned()))
            .map(|pos| &self.objs[*pos])
            .filter(|o| o.role != Role::Skipped)
    }

    /// Labels of objects without names, from the labels of what they refer to
    /// (a membership: `role_desk`); one whose every reference is built in comes
    /// with the tenant and is skipped.
    fn name_unnamed_objects(&mut self) {
        let kinds = self.kinds;
        for (k, listed) in kinds.iter().enumerate() {
            if listed.schema.get(NAME).is_some() {
                continue;
            }
            let refs: Vec<(&'static str, Reference)> = listed
                .schema
                .attributes
                .iter()
                .filter_map(|(n, a)| a.references.map(|r| (*n, r)))
                .collect();
            let mut bases = Vec::new();
            let mut skipped = Vec::new();
            for (pos, o) in self.objs.iter().enumerate().filter(|(_, o)| o.kind == k) {
                let state = self.state(o);
                let mut parts = Vec::new();
                let mut builtin = Vec::new();
                for (attr, r) in &refs {
                    let Some(v) = state.attr(attr).as_str() else {
                        continue;
                    };
                    match self.find(r, v) {
                        Some(found) => {
                            parts.push(found.label.clone());
                            builtin.push(found.role == Role::Lookup);
                        }
                        None => {
                            parts.push(label::slug(v));
                            builtin.push(false);
                        }
                    }
                }
                if comes_with_parents(&builtin) {
                    skipped.push(pos);
                }
                let base = if parts.is_empty() {
                    label::slug(&self.import_id(o))
                } else {
                    parts.join("_")
                };
                bases.push((base, self.import_id(o), pos));
            }
            self.assign(bases);
            for pos in skipped {
                self.objs[pos].role = Role::Skipped;
            }
        }
    }

    /// The objects of kind `k` that are written, by label.
    fn of_kind(&self, k: usize) -> Vec<&Obj> {
        let mut objs: Vec<&Obj> = self
            .objs
            .iter()
            .filter(|o| o.kind == k && o.role != Role::Skipped)
            .collect();
        objs.sort_by(|a, b| a.label.cmp(&b.label));
        objs
    }

    /// The address references to `o` use.
    fn address(&self, o: &Obj) -> String {
        let prefix = if o.role == Role::Lookup { "data." } else { "" };
        format!("{prefix}{}.{}", self.type_name(o), o.label)
    }

    /// An `import` block: its arguments are Terraform's (`to`, `id`), not
    /// attributes of a type of ours.
    fn import_block(&self, o: &Obj) -> Block {
        Block::new("import", &[])
            .attr(IMPORT_TO, Expr::Ref(self.address(o)))
            .attr(IMPORT_ID, Expr::Literal(Value::string(self.import_id(o))))
    }

    fn block(&self, o: &Obj) -> Block {
        let listed = &self.kinds[o.kind];
        let state = self.state(o);
        if o.role == Role::Lookup {
            return self.lookup_block(o);
        }
        let mut block = Block::new("resource", &[listed.type_name, &o.label]);
        for (name, a) in listed
            .schema
            .attributes
            .iter()
            .filter(|(_, a)| configurable(a))
        {
            if let Some(e) = self.expr(state.attr(name), a) {
                block = block.attr(*name, e);
            }
        }
        block
    }

    /// A built-in object's look-up: by name, and by the references its data
    /// source filters on (a team's department).
    fn lookup_block(&self, o: &Obj) -> Block {
        let listed = &self.kinds[o.kind];
        let state = self.state(o);
        let mut block = Block::new("data", &[listed.type_name, &o.label])
            .attr(NAME, Expr::Literal(state.attr(NAME).clone()));
        let Some(lookup) = self.lookups.0.get(listed.type_name) else {
            return block;
        };
        for (name, a) in &lookup.attributes {
            if [ID, NAME].contains(name) || !a.presence.accepts_config() {
                continue;
            }
            let Some(own) = listed
                .schema
                .get(name)
                .filter(|own| own.references.is_some())
            else {
                continue;
            };
            if let Some(e) = self.expr(state.attr(name), own) {
                block = block.attr(*name, e);
            }
        }
        block
    }

    /// The expression for `value` of attribute `a`; `None` when it is left out
    /// (null, its default, or an empty nested object).
    fn expr(&self, value: &Value, a: &Attribute) -> Option<Expr> {
        if value.is_null() || a.default.as_ref() == Some(value) {
            return None;
        }
        if let Some(r) = &a.references {
            return Some(self.reference_expr(r, value));
        }
        match (&a.kind, value) {
            (AttributeKind::Nested(attrs), Value::Object(_)) => {
                let fields: Vec<(String, Expr)> = attrs
                    .iter()
                    .filter(|(_, a)| configurable(a))
                    .filter_map(|(n, na)| Some((n.to_string(), self.expr(value.attr(n), na)?)))
                    .collect();
                (!fields.is_empty()).then_some(Expr::Object(fields))
            }
            _ => Some(plain(value)),
        }
    }

    /// A referencing value: a reference when its object is exported, else the
    /// literal; a set of them as a list in a stable order.
    fn reference_expr(&self, r: &Reference, value: &Value) -> Expr {
        let one = |v: &Value| match v.as_str().and_then(|s| self.find(r, s)) {
            Some(o) => Expr::Ref(format!("{}.{}", self.address(o), r.attribute)),
            None => plain(v),
        };
        match value.undynamic() {
            Value::Set(items) | Value::List(items) => {
                let mut items: Vec<Expr> = items.iter().map(one).collect();
                items.sort_by_key(sort_key);
                Expr::List(items)
            }
            v => one(v),
        }
    }
}

/// A value as it is: lists and sets in order (a set's is the state's, which is
/// sorted), objects and maps by key. An object keeps its null attributes (an
/// object type needs every one: an SLA priority's `colour = null`); a map
/// leaves them out.
fn plain(value: &Value) -> Expr {
    match value.undynamic() {
        Value::List(items) | Value::Set(items) => Expr::List(items.iter().map(plain).collect()),
        Value::Object(m) => Expr::Object(m.iter().map(|(k, v)| (key(k), plain(v))).collect()),
        Value::Map(m) => Expr::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (key(k), plain(v)))
                .collect(),
        ),
        v => Expr::Literal(v.clone()),
    }
}

/// An object key: as it is when it is an identifier, else quoted.
fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        k.to_owned()
    } else {
        hcl::string(k)
    }
}

fn sort_key(e: &Expr) -> String {
    match e {
        Expr::Ref(r) => r.clone(),
        Expr::Literal(v) => v.as_str().map_or_else(|| format!("{v:?}"), str::to_owned),
        other => format!("{other:?}"),
    }
}
