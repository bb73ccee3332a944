//! The endpoint families of Halo's API, their id types and the fields of their
//! schemas, as `scripts/gen-api-catalog` extracts them from Halo's OpenAPI document
//! into `catalog.json` (embedded here). The provider checks `halopsa_api_object`
//! bodies against it at plan time; halo-sim serves every family of it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const CATALOG_JSON: &str = include_str!("../catalog.json");

/// How a family's objects are identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    /// A whole number.
    Int,
    /// A GUID.
    Guid,
    /// A string (Halo's document types the path parameter as a string).
    String,
    /// No id: a singleton (`Control`).
    None,
}

/// One endpoint family: `GET /X`, `POST /X`, `GET /X/{id}`, `DELETE /X/{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Family {
    /// The schema `POST /X` takes (an array of it).
    pub schema: String,
    /// The type of `{id}`.
    pub id: IdKind,
}

/// The type of one field, as the document gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Int,
    Number,
    Bool,
    String,
    Guid,
    DateTime,
    /// An array of the element type.
    Array(Box<FieldType>),
    /// An object of the named schema.
    Object(String),
    /// A free-form object (string keys of any value).
    Map,
    /// The document does not type it.
    Any,
}

impl FieldType {
    fn parse(s: &str) -> FieldType {
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            return FieldType::Array(Box::new(FieldType::parse(inner)));
        }
        if let Some(name) = s.strip_prefix('@') {
            return FieldType::Object(name.to_string());
        }
        match s {
            "int" => FieldType::Int,
            "number" => FieldType::Number,
            "bool" => FieldType::Bool,
            "string" => FieldType::String,
            "guid" => FieldType::Guid,
            "datetime" => FieldType::DateTime,
            "map" => FieldType::Map,
            _ => FieldType::Any,
        }
    }

    /// The schema of the objects this type holds (itself or its elements), if typed.
    pub fn object_schema(&self) -> Option<&str> {
        match self {
            FieldType::Object(name) => Some(name),
            FieldType::Array(e) => e.object_schema(),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct RawSchema {
    fields: BTreeMap<String, String>,
    #[serde(default)]
    read_only: Vec<String>,
}

#[derive(Deserialize)]
struct RawCatalog {
    source: BTreeMap<String, Option<String>>,
    families: BTreeMap<String, Family>,
    settings: BTreeMap<String, Family>,
    schemas: BTreeMap<String, RawSchema>,
}

/// The fields of one schema.
#[derive(Debug, Clone)]
pub struct Schema {
    pub fields: BTreeMap<String, FieldType>,
    /// The fields the document marks read-only.
    pub read_only: Vec<String>,
}

/// The fields that hold an object's name, in the order they are looked for.
const NAME_FIELDS: &[&str] = &[
    "name",
    "outcome",
    "value",
    "displayName",
    "title",
    "subject",
    "buttonname",
    "description",
];

impl Schema {
    /// The field that holds the object's name (`name`, or for families without
    /// one `outcome`, `value`, `displayName`, ...), if the schema has one.
    pub fn name_field(&self) -> Option<&'static str> {
        NAME_FIELDS
            .iter()
            .copied()
            .find(|f| self.fields.contains_key(*f))
    }

    /// Whether a field is one a client writes: not read-only in the document, not
    /// `_`-prefixed (Halo's request flags and warnings), not a derived `*_name`
    /// (the display name of a neighbouring `*_id` or `*_guid`), not the id.
    pub fn writable(&self, field: &str) -> bool {
        if field == "id" || field.starts_with('_') || self.read_only.iter().any(|f| f == field) {
            return false;
        }
        if let Some(stem) = field.strip_suffix("_name") {
            let derived = ["_id", "_guid", "id", "_ids"]
                .iter()
                .any(|s| self.fields.contains_key(&format!("{stem}{s}")));
            if derived {
                return false;
            }
        }
        true
    }
}

/// The whole table.
pub struct Catalog {
    /// Title and version of the document the table was generated from.
    pub source: BTreeMap<String, Option<String>>,
    families: BTreeMap<String, Family>,
    settings: BTreeMap<String, Family>,
    schemas: BTreeMap<String, Schema>,
}

/// The embedded table, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The table is generated and checked by this crate's tests: a parse failure
        // is a build defect, not user input.
        let raw: RawCatalog = serde_json::from_str(CATALOG_JSON).unwrap_or_else(|e| {
            panic!("catalog.json does not parse ({e}); rerun scripts/gen-api-catalog")
        });
        Catalog {
            source: raw.source,
            families: raw.families,
            settings: raw.settings,
            schemas: raw
                .schemas
                .into_iter()
                .map(|(name, s)| {
                    let fields = s
                        .fields
                        .iter()
                        .map(|(k, t)| (k.clone(), FieldType::parse(t)))
                        .collect();
                    (
                        name,
                        Schema {
                            fields,
                            read_only: s.read_only,
                        },
                    )
                })
                .collect(),
        }
    })
}

/// Why a body key is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    /// The keys from the body's root to the refused one (list indexes as numbers).
    pub path: Vec<PathStep>,
    /// The schema that lacks it.
    pub schema: String,
    /// The nearest field name of that schema.
    pub suggestion: Option<String>,
}

/// One step of a [`KeyError::path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

impl Catalog {
    /// The family named `name` (as in Halo's paths; letter case ignored), with its
    /// canonical name.
    pub fn family(&self, name: &str) -> Option<(&str, &Family)> {
        lookup(&self.families, name)
    }

    /// The setting singleton named `name` (`Control`, `Features`).
    pub fn setting(&self, name: &str) -> Option<(&str, &Family)> {
        lookup(&self.settings, name)
    }

    /// Every family name, sorted.
    pub fn family_names(&self) -> impl Iterator<Item = &str> {
        self.families.keys().map(String::as_str)
    }

    /// Every setting name, sorted.
    pub fn setting_names(&self) -> impl Iterator<Item = &str> {
        self.settings.keys().map(String::as_str)
    }

    /// The schema named `name`.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.get(name)
    }

    /// The schema of the family (or setting) named `family`.
    pub fn fields_of(&self, family: &str) -> Option<&Schema> {
        let (_, f) = self.family(family).or_else(|| self.setting(family))?;
        self.schema(&f.schema)
    }

    /// Checks every key of `body` (an object) against `schema`, nested objects
    /// included where the schema types them. Returns every refused key.
    pub fn check_body(&self, schema: &str, body: &serde_json::Value) -> Vec<KeyError> {
        let mut errors = Vec::new();
        let mut path = Vec::new();
        self.check_object(schema, body, &mut path, &mut errors);
        errors
    }

    fn check_object(
        &self,
        schema_name: &str,
        body: &serde_json::Value,
        path: &mut Vec<PathStep>,
        errors: &mut Vec<KeyError>,
    ) {
        let (Some(schema), serde_json::Value::Object(map)) = (self.schema(schema_name), body)
        else {
            return;
        };
        for (key, value) in map {
            path.push(PathStep::Key(key.clone()));
            match schema.fields.get(key) {
                None => errors.push(KeyError {
                    path: path.clone(),
                    schema: schema_name.to_string(),
                    suggestion: nearest(key, schema.fields.keys().map(String::as_str))
                        .map(str::to_string),
                }),
                Some(t) => self.check_value(t, value, path, errors),
            }
            path.pop();
        }
    }

    fn check_value(
        &self,
        ty: &FieldType,
        value: &serde_json::Value,
        path: &mut Vec<PathStep>,
        errors: &mut Vec<KeyError>,
    ) {
        match (ty, value) {
            (FieldType::Object(name), serde_json::Value::Object(_)) => {
                self.check_object(name, value, path, errors)
            }
            (FieldType::Array(e), serde_json::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    self.check_value(e, item, path, errors);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

fn lookup<'a>(table: &'a BTreeMap<String, Family>, name: &str) -> Option<(&'a str, &'a Family)> {
    table
        .get_key_value(name)
        .or_else(|| table.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(k, f)| (k.as_str(), f))
}

/// The candidate nearest to `word` (edit distance, letter case ignored), when it
/// is near enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(&w, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (w.chars().count() / 2).max(2);
    (d <= limit).then_some(c)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_parses_and_holds_the_known_families() {
        let c = catalog();
        assert!(c.family_names().count() > 150);
        let (name, tt) = c.family("tickettype").unwrap();
        assert_eq!(name, "TicketType");
        assert_eq!(tt.id, IdKind::Int);
        assert_eq!(c.family("Webhook").unwrap().1.id, IdKind::Guid);
        assert!(c.family("Control").is_none());
        assert_eq!(c.setting("Control").unwrap().1.id, IdKind::None);
        for f in c.families.values().chain(c.settings.values()) {
            assert!(c.schema(&f.schema).is_some(), "{}", f.schema);
        }
    }

    #[test]
    fn suggests_the_nearest_name() {
        let c = catalog();
        assert_eq!(nearest("TiketType", c.family_names()), Some("TicketType"));
        assert_eq!(nearest("zzzzzzzzzzzzzzzzz", ["a", "b"]), None);
    }

    #[test]
    fn checks_nested_keys_with_their_path() {
        let c = catalog();
        let schema = &c.family("SLA").unwrap().1.schema;
        let errs = c.check_body(
            schema,
            &json!({"name": "x", "priorities": [{"name": "P1"}, {"nmae": "P2"}], "nmae": 1}),
        );
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].path, vec![PathStep::Key("nmae".into())]);
        assert_eq!(errs[0].suggestion.as_deref(), Some("name"));
        assert_eq!(
            errs[1].path,
            vec![
                PathStep::Key("priorities".into()),
                PathStep::Index(1),
                PathStep::Key("nmae".into())
            ]
        );
    }

    #[test]
    fn derived_and_flag_fields_are_not_writable() {
        let s = catalog().fields_of("SLA").unwrap();
        assert!(s.writable("name"));
        assert!(!s.writable("workday_name"));
        assert!(!s.writable("_warning"));
        assert!(!s.writable("id"));
        assert_eq!(s.name_field(), Some("name"));
        assert_eq!(
            catalog().fields_of("Outcome").unwrap().name_field(),
            Some("outcome")
        );
        assert_eq!(
            catalog().fields_of("Category").unwrap().name_field(),
            Some("value")
        );
    }
}
