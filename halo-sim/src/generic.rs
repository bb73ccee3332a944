//! Every endpoint family of Halo's OpenAPI document (`halo-catalog`) served by
//! one generic store, with no code per family: list (search, pages capped like
//! every list), `GET /X/{id}`, `POST /X` of an array (create without `id`,
//! partial update with it), `DELETE /X/{id}`, and 400 for a field the family's
//! schema lacks (nested ones too). The typed kinds (`Kind`) take precedence.
//!
//! The HTTP side is `generic_api`. The singleton settings (`Control`, `Features`) keep their values; they
//! have no DELETE.
//!
//! A list answer leaves out a stored object's array and object fields, as
//! Halo's list answers leave out detail lists: reading those needs `GET /X/{id}`.

use std::collections::HashMap;

use halo_catalog::{catalog, IdKind, PathStep};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::ids;
use crate::store::Object;

/// The objects of every generic family, by canonical family name.
#[derive(Debug, Default)]
pub(crate) struct GenericStore {
    objects: HashMap<String, Vec<Object>>,
    next_id: HashMap<String, i64>,
    /// `Control`'s one object.
    control: Object,
}

/// A family the generic store serves: its canonical name and id kind.
pub(crate) fn family(entity: &str) -> Option<(&'static str, IdKind)> {
    let c = catalog();
    c.family(entity)
        .or_else(|| c.setting(entity))
        .map(|(name, f)| (name, f.id))
}

fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) if n.as_i64().is_some_and(|i| i > 0) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() && s.trim() != "0" => Some(s.trim().to_string()),
        _ => None,
    }
}

fn same_id(obj: &Object, id: &str) -> bool {
    id_text(obj.get("id")).is_some_and(|own| own.eq_ignore_ascii_case(id.trim()))
}

/// The refusal of a body key the schema lacks, as Halo words a bad field.
fn check(family: &str, element: &Value) -> Result<(), ApiError> {
    let c = catalog();
    let Some((_, f)) = c.family(family).or_else(|| c.setting(family)) else {
        return Ok(());
    };
    let schema_name = &f.schema;
    if let Some(e) = c.check_body(schema_name, element).into_iter().next() {
        let path: Vec<String> = e
            .path
            .iter()
            .map(|s| match s {
                PathStep::Key(k) => k.clone(),
                PathStep::Index(i) => i.to_string(),
            })
            .collect();
        return Err(ApiError::BadRequest(format!(
            "The field {} does not exist on {}",
            path.join("."),
            e.schema
        )));
    }
    Ok(())
}

/// Families whose list leaves out an object with a true `field` unless the list
/// is asked with `flag=true`: `/api/Outcome` documents `showhidden` \[spec\], so
/// hidden actions are taken to be left out without it \[assumed\].
const HIDDEN_UNLESS: &[(&str, &str, &str)] = &[("Outcome", "hidden", "showhidden")];

/// The list flags of `family` that show hidden objects (see [`HIDDEN_UNLESS`]).
pub(crate) fn hiding_flags(family: &str) -> impl Iterator<Item = &'static str> + '_ {
    HIDDEN_UNLESS
        .iter()
        .filter(move |(f, _, _)| *f == family)
        .map(|(_, _, flag)| *flag)
}

/// Whether a list of `family` asked with the flags `shown` leaves `obj` out.
fn hidden(family: &str, obj: &Object, shown: &[&str]) -> bool {
    HIDDEN_UNLESS.iter().any(|(f, field, flag)| {
        *f == family && !shown.contains(flag) && obj.get(*field) == Some(&Value::Bool(true))
    })
}

/// What a list answer shows of an object: its scalar fields.
fn summary(obj: &Object) -> Value {
    Value::Object(
        obj.iter()
            .filter(|(_, v)| !v.is_array() && !v.is_object())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

impl GenericStore {
    /// The objects of a family, in creation order.
    pub fn list(&self, family: &str) -> &[Object] {
        self.objects.get(family).map_or(&[], Vec::as_slice)
    }

    /// `GET /X` of a family: `record_count` and the page's summaries, of the
    /// objects whose name (`Schema::name_field`) holds `search`.
    pub fn page(
        &self,
        family: &str,
        search: Option<&str>,
        shown: &[&str],
        range: impl FnOnce(usize) -> std::ops::Range<usize>,
    ) -> Value {
        let name_field = catalog()
            .fields_of(family)
            .and_then(|s| s.name_field())
            .unwrap_or("name");
        let kept: Vec<&Object> = self
            .list(family)
            .iter()
            .filter(|o| !hidden(family, o, shown))
            .filter(|o| {
                search.is_none_or(|s| {
                    o.get(name_field)
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.to_lowercase().contains(&s.to_lowercase()))
                })
            })
            .collect();
        let total = kept.len();
        let items: Vec<Value> = kept[range(total)].iter().map(|o| summary(o)).collect();
        json!({"record_count": total, family.to_ascii_lowercase(): items})
    }

    pub fn get(&self, family: &str, id: &str) -> Option<&Object> {
        self.list(family).iter().find(|o| same_id(o, id))
    }

    /// `GET /Control`.
    pub fn control(&self) -> Value {
        Value::Object(self.control.clone())
    }

    /// `POST /X` of a family: every element checked first, then saved (all or
    /// nothing). Answers the saved objects.
    pub fn save(
        &mut self,
        family: &str,
        id_kind: IdKind,
        elements: &[Value],
    ) -> Result<Vec<(Value, bool)>, ApiError> {
        for (i, element) in elements.iter().enumerate() {
            if !element.is_object() {
                return Err(ApiError::BadRequest(format!(
                    "element {i} of the request body is not an object"
                )));
            }
            check(family, element)?;
            let stored = id_text(element.get("id")).and_then(|id| self.get(family, &id));
            if let Some(id) = id_text(element.get("id")) {
                if id_kind != IdKind::None && stored.is_none() {
                    return Err(ApiError::NotFound(format!(
                        "{family} id {id} was not found"
                    )));
                }
            }
            if let Some(fields) = element.as_object() {
                crate::families::check(family, stored, fields)?;
            }
        }
        let mut saved = Vec::with_capacity(elements.len());
        for element in elements {
            let Some(fields) = element.as_object() else {
                continue;
            };
            if id_kind == IdKind::None {
                for (k, v) in fields {
                    self.control.insert(k.clone(), v.clone());
                }
                saved.push((Value::Object(self.control.clone()), false));
                continue;
            }
            match id_text(fields.get("id")) {
                Some(id) => {
                    let objects = self.objects.entry(family.to_string()).or_default();
                    if let Some(obj) = objects.iter_mut().find(|o| same_id(o, &id)) {
                        for (k, v) in fields {
                            if k != "id" {
                                obj.insert(k.clone(), v.clone());
                            }
                        }
                        crate::families::settle(family, obj);
                        saved.push((Value::Object(obj.clone()), false));
                    }
                }
                None => {
                    let mut obj: Object = fields.clone();
                    obj.insert("id".into(), self.new_id(family, id_kind));
                    crate::families::settle(family, &mut obj);
                    let schema = catalog().fields_of(family);
                    if schema.is_some_and(|s| s.fields.contains_key("guid"))
                        && !obj.contains_key("guid")
                    {
                        obj.insert("guid".into(), Value::String(ids::new_guid()));
                    }
                    self.objects
                        .entry(family.to_string())
                        .or_default()
                        .push(obj.clone());
                    saved.push((Value::Object(obj), true));
                }
            }
        }
        Ok(saved)
    }

    fn new_id(&mut self, family: &str, kind: IdKind) -> Value {
        match kind {
            IdKind::Int | IdKind::None => {
                let next = self.next_id.entry(family.to_string()).or_insert(1);
                let id = *next;
                *next += 1;
                json!(id)
            }
            IdKind::Guid | IdKind::String => Value::String(ids::new_guid()),
        }
    }

    pub fn delete(&mut self, family: &str, id: &str) -> Option<Object> {
        let objects = self.objects.get_mut(family)?;
        let i = objects.iter().position(|o| same_id(o, id))?;
        Some(objects.remove(i))
    }

    /// Stores an object as given (test set-up): an id is assigned when missing.
    pub fn insert_raw(&mut self, family: &str, id_kind: IdKind, mut obj: Object) -> Object {
        if id_kind == IdKind::None {
            self.control.extend(obj);
            return self.control.clone();
        }
        match obj.get("id").and_then(Value::as_i64) {
            // A given int id is taken: the counter moves past it.
            Some(id) if id > 0 && id_kind == IdKind::Int => {
                let next = self.next_id.entry(family.to_string()).or_insert(1);
                *next = (*next).max(id + 1);
            }
            _ if id_text(obj.get("id")).is_none() => {
                obj.insert("id".into(), self.new_id(family, id_kind));
            }
            _ => {}
        }
        self.objects
            .entry(family.to_string())
            .or_default()
            .push(obj.clone());
        obj
    }

    /// Changes fields of a stored object out of band (no schema check).
    pub fn patch_raw(&mut self, family: &str, id: &str, patch: &Map<String, Value>) -> bool {
        if family == "Control" {
            self.control.extend(patch.clone());
            return true;
        }
        let Some(obj) = self
            .objects
            .get_mut(family)
            .and_then(|o| o.iter_mut().find(|o| same_id(o, id)))
        else {
            return false;
        };
        obj.extend(patch.clone());
        true
    }
}

/// Whether `family` is a setting singleton (no DELETE).
pub(crate) fn is_setting(family: &str) -> bool {
    catalog().setting(family).is_some()
}
