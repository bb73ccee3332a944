//! The objects the emulator holds, and the Halo semantics of saving them:
//! create or partial update, id assignment, defaults, and rendering answers.

use serde_json::Value;

use crate::ids;
use crate::kind::{IdStyle, Kind};
use crate::validate::{self, Refs};

pub use crate::object::Object;

/// Why a write was refused.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The body broke a rule; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// An update or delete named an id that does not exist.
    #[error("{kind} id {id} was not found")]
    NotFound { kind: &'static str, id: String },
}

/// The outcome of saving one element of a `POST` body.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The object as the answer shows it (with details; with the client
    /// secret only when an application was just created).
    pub answer: Object,
    pub created: bool,
}

/// All objects, by kind, in creation order.
#[derive(Debug, Clone)]
pub struct Store {
    objects: [Vec<Object>; Kind::COUNT],
    /// The next integer id per kind (`id_int` for roles).
    next_id: [i64; Kind::COUNT],
    /// Each application's client secret by client id: generated at create, or
    /// the `clientSecret` a create or update supplied. Never rendered; the
    /// token endpoint accepts these credentials.
    app_secrets: std::collections::HashMap<String, String>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            objects: Default::default(),
            next_id: [1; Kind::COUNT],
            app_secrets: Default::default(),
        }
    }
}

impl Store {
    /// The objects of one kind, as stored.
    pub fn list(&self, kind: Kind) -> &[Object] {
        &self.objects[kind.index()]
    }

    /// The object of `kind` whose id is `id`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Object> {
        self.position(kind, id)
            .map(|i| &self.objects[kind.index()][i])
    }

    fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        self.objects[kind.index()]
            .iter()
            .position(|o| id_matches(kind, o.get("id"), id))
    }

    /// Saves the elements of a `POST` body, all or nothing: when one
    /// element is refused, none is saved.
    pub fn save_all(&mut self, kind: Kind, elements: &[Value]) -> Result<Vec<Saved>, StoreError> {
        let mut draft = self.clone();
        let saved = elements
            .iter()
            .enumerate()
            .map(|(i, element)| {
                let element = element.as_object().ok_or_else(|| {
                    StoreError::Invalid(format!("element {i} of the body is not a JSON object"))
                })?;
                draft.save(kind, element)
            })
            .collect::<Result<Vec<_>, _>>()?;
        *self = draft;
        Ok(saved)
    }

    /// Saves every element of a `POST` body that passes, in order; when one was
    /// refused, answers the first refusal (the others stay saved).
    pub fn save_partial(
        &mut self,
        kind: Kind,
        elements: &[Value],
    ) -> Result<Vec<Saved>, StoreError> {
        let mut saved = Vec::new();
        let mut refusal = None;
        for (i, element) in elements.iter().enumerate() {
            let outcome = element
                .as_object()
                .ok_or_else(|| {
                    StoreError::Invalid(format!("element {i} of the body is not a JSON object"))
                })
                .and_then(|element| self.save(kind, element));
            match outcome {
                Ok(s) => saved.push(s),
                Err(e) => {
                    refusal.get_or_insert(e);
                }
            }
        }
        match refusal {
            Some(e) => Err(e),
            None => Ok(saved),
        }
    }

    /// Creates (no id, id 0 or empty) or partially updates (existing id) one object.
    fn save(&mut self, kind: Kind, element: &Object) -> Result<Saved, StoreError> {
        match element_id(kind, element)? {
            None => self.create(kind, element),
            Some(id) => self.update(kind, &id, element),
        }
    }

    fn create(&mut self, kind: Kind, element: &Object) -> Result<Saved, StoreError> {
        let mut obj = writable_fields(kind, element);
        apply_defaults(kind, &mut obj);
        validate::check(kind, &obj, &obj, self).map_err(StoreError::Invalid)?;
        check_claims_sent(kind, &obj, None)?;
        unmark_role_rows(kind, &mut obj);
        let secret = self
            .assign_ids(kind, &mut obj)
            .map(|generated| supplied_secret(element).unwrap_or(generated));
        if let (Some(secret), Some(Value::String(client_id))) = (&secret, obj.get("clientId")) {
            self.app_secrets.insert(client_id.clone(), secret.clone());
        }
        self.objects[kind.index()].push(obj.clone());
        let mut answer = obj;
        if let Some(secret) = secret {
            answer.insert("clientSecret".into(), Value::String(secret));
        }
        Ok(Saved {
            answer,
            created: true,
        })
    }

    fn update(&mut self, kind: Kind, id: &str, element: &Object) -> Result<Saved, StoreError> {
        let index = self
            .position(kind, id)
            .ok_or_else(|| StoreError::NotFound {
                kind: kind.api_path(),
                id: id.to_owned(),
            })?;
        let changes = writable_fields(kind, element);
        check_claims_sent(kind, &changes, Some(&self.objects[kind.index()][index]))?;
        let mut merged = self.objects[kind.index()][index].clone();
        merged.extend(changes.clone());
        validate::check(kind, &merged, &changes, self).map_err(StoreError::Invalid)?;
        unmark_role_rows(kind, &mut merged);
        if kind == Kind::Application {
            if let (Some(secret), Some(Value::String(client_id))) =
                (supplied_secret(element), merged.get("clientId"))
            {
                self.app_secrets.insert(client_id.clone(), secret);
            }
        }
        self.objects[kind.index()][index] = merged.clone();
        Ok(Saved {
            answer: merged,
            created: false,
        })
    }

    /// Deletes the object of `kind` with id `id`, answering it.
    pub fn delete(&mut self, kind: Kind, id: &str) -> Option<Object> {
        let index = self.position(kind, id)?;
        let removed = self.objects[kind.index()].remove(index);
        if let Some(Value::String(client_id)) = removed.get("clientId") {
            self.app_secrets.remove(client_id);
        }
        Some(removed)
    }

    /// Whether `client_id` and `secret` are the credentials of a stored
    /// application (its generated or last supplied client secret).
    pub fn application_credentials(&self, client_id: &str, secret: &str) -> bool {
        !secret.is_empty()
            && self
                .app_secrets
                .get(client_id)
                .is_some_and(|s| s.as_str() == secret)
    }

    /// Inserts an object out of band, without validation; ids the object
    /// lacks are assigned. Answers the stored object.
    pub fn insert_raw(&mut self, kind: Kind, mut obj: Object) -> Object {
        let has_id = element_id(kind, &obj).ok().flatten().is_some();
        if has_id {
            self.note_external_ids(kind, &obj);
        } else {
            obj.remove("id");
            self.assign_ids(kind, &mut obj);
        }
        if kind.id_style() == IdStyle::GuidAndCounter && !obj.contains_key("id_int") {
            obj.insert("id_int".into(), Value::from(self.take_id(kind)));
        }
        if kind == Kind::Application {
            obj.entry("clientId")
                .or_insert_with(|| Value::String(ids::new_guid()));
            obj.insert("clientSecret".into(), Value::Null);
        }
        self.objects[kind.index()].push(obj.clone());
        obj
    }

    /// Merges `patch` into a stored object out of band, without validation.
    pub fn patch_raw(&mut self, kind: Kind, id: &str, patch: &Object) -> Option<Object> {
        let index = self.position(kind, id)?;
        let obj = &mut self.objects[kind.index()][index];
        for (key, value) in patch {
            if key != "id" {
                obj.insert(key.clone(), value.clone());
            }
        }
        Some(obj.clone())
    }

    /// Gives a new object its ids; answers the generated client secret of
    /// a new application (which is never stored).
    fn assign_ids(&mut self, kind: Kind, obj: &mut Object) -> Option<String> {
        match kind.id_style() {
            IdStyle::Counter => {
                let id = self.take_id(kind);
                obj.insert("id".into(), Value::from(id));
            }
            IdStyle::Guid => {
                obj.insert("id".into(), Value::String(ids::new_guid()));
            }
            IdStyle::GuidAndCounter => {
                obj.insert("id".into(), Value::String(ids::new_guid()));
                let id_int = self.take_id(kind);
                obj.insert("id_int".into(), Value::from(id_int));
            }
        }
        // An application's credentials: its own behaviour, not a table fact.
        if kind == Kind::Application {
            obj.insert("clientId".into(), Value::String(ids::new_guid()));
            obj.insert("clientSecret".into(), Value::Null);
            return Some(ids::random_string(48));
        }
        None
    }

    fn take_id(&mut self, kind: Kind) -> i64 {
        let id = self.next_id[kind.index()];
        self.next_id[kind.index()] += 1;
        id
    }

    /// Keeps the counter ahead of an integer id given from outside.
    fn note_external_ids(&mut self, kind: Kind, obj: &Object) {
        let field = match kind.id_style() {
            IdStyle::Counter => "id",
            IdStyle::Guid | IdStyle::GuidAndCounter => "id_int",
        };
        if let Some(n) = obj.get(field).and_then(Value::as_i64) {
            let next = &mut self.next_id[kind.index()];
            *next = (*next).max(n + 1);
        }
    }
}

impl Refs for Store {
    fn contains(&self, kind: Kind, id: &str) -> bool {
        self.position(kind, id).is_some()
    }
}

/// Whether a stored `id` value equals the id given as text.
fn id_matches(kind: Kind, stored: Option<&Value>, id: &str) -> bool {
    let id = id.trim();
    match stored {
        Some(Value::Number(n)) => n.to_string() == id,
        Some(Value::String(s)) if kind.id_style().is_guid() => s.eq_ignore_ascii_case(id),
        Some(Value::String(s)) => s == id,
        _ => false,
    }
}

const NIL_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// The id an element of a `POST` body names, or `None` for a new object.
fn element_id(kind: Kind, element: &Object) -> Result<Option<String>, StoreError> {
    let invalid = |what: &str| StoreError::Invalid(format!("field `id` must be {what}"));
    match (kind.id_style().is_guid(), element.get("id")) {
        (_, None | Some(Value::Null)) => Ok(None),
        (false, Some(Value::Number(n))) => match n.as_i64() {
            Some(0) => Ok(None),
            Some(id) if id > 0 => Ok(Some(id.to_string())),
            _ => Err(invalid("a positive integer")),
        },
        (false, Some(Value::String(s))) => match s.trim() {
            "" | "0" => Ok(None),
            s => s
                .parse::<u64>()
                .map(|id| Some(id.to_string()))
                .map_err(|_| invalid("a positive integer")),
        },
        (true, Some(Value::String(s))) => match s.trim() {
            "" | NIL_GUID => Ok(None),
            s => Ok(Some(s.to_owned())),
        },
        (false, Some(_)) => Err(invalid("an integer")),
        (true, Some(_)) => Err(invalid("a string GUID")),
    }
}

/// The client secret an application's `POST` element supplies (Halo's
/// `clientSecret`, docs/halo-api.md): a non-empty string.
fn supplied_secret(element: &Object) -> Option<String> {
    element
        .get("clientSecret")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The fields of a `POST` element that a client may set: everything but
/// the generated ones.
fn writable_fields(kind: Kind, element: &Object) -> Object {
    let generated = kind.generated_fields();
    element
        .iter()
        .filter(|(key, _)| !generated.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Values Halo gives a new object for the fields the client left out.
fn apply_defaults(kind: Kind, obj: &mut Object) {
    for field in kind.fields() {
        if let Some(preset) = field.default {
            if obj.get(field.name).is_none_or(Value::is_null) {
                obj.insert(field.name.to_owned(), preset.value());
            }
        }
    }
}

impl Store {
    /// An object as the API shows it: detail lists only when asked for (an
    /// agent's `departments` then also hold the rows inherited from its roles),
    /// and never a stored client secret.
    pub fn render(&self, kind: Kind, obj: &Object, details: bool) -> Value {
        let mut shown = render(kind, obj, details);
        if details && kind == Kind::Role {
            if let Some(Value::Array(rows)) = shown.get_mut("departments") {
                for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                    mark_role_row(row, obj);
                }
            }
        }
        if details && kind == Kind::Agent {
            let inherited = self.inherited_rows(obj);
            if !inherited.is_empty() {
                if let Some(Value::Array(rows)) = shown.get_mut("departments") {
                    rows.extend(inherited);
                } else if let Value::Object(map) = &mut shown {
                    map.insert("departments".into(), Value::Array(inherited));
                }
            }
        }
        shown
    }

    /// The department rows an agent gets from its roles: each role's rows,
    /// with `role_id` (and `role_name`) naming the role.
    fn inherited_rows(&self, agent: &Object) -> Vec<Value> {
        let Some(roles) = agent.get("roles").and_then(Value::as_array) else {
            return Vec::new();
        };
        roles
            .iter()
            .filter_map(|held| held.get("id").and_then(Value::as_str))
            .filter_map(|id| self.get(Kind::Role, id))
            .flat_map(|role| {
                let rows = role.get("departments").and_then(Value::as_array);
                rows.into_iter().flatten().filter_map(move |row| {
                    let mut row = row.as_object()?.clone();
                    mark_role_row(&mut row, role);
                    Some(Value::Object(row))
                })
            })
            .collect()
    }
}

/// The claims a role write sends, checked against the known claim domains
/// (claims the stored role already holds as they are pass).
fn check_claims_sent(kind: Kind, sent: &Object, stored: Option<&Object>) -> Result<(), StoreError> {
    let claims = |o: Option<&Object>| {
        o.and_then(|o| o.get("claims"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if kind != Kind::Role {
        return Ok(());
    }
    validate::check_claim_domains(&claims(Some(sent)), &claims(stored)).map_err(StoreError::Invalid)
}

/// Marks a department row as a row of `role`: `role_id` (the role's string id)
/// and `role_name`, as Halo's one `UnameDepartment` table keeps them for a role's
/// own rows and an agent's inherited ones alike (docs/halo-api.md).
fn mark_role_row(row: &mut Object, role: &Object) {
    let id = match role.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(other) if !other.is_null() => Value::String(other.to_string()),
        _ => Value::Null,
    };
    row.insert("role_id".into(), id);
    row.insert(
        "role_name".into(),
        role.get("name").cloned().unwrap_or(Value::Null),
    );
}

/// A role's rows are stored without the `role_id` and `role_name` they are
/// shown with (checked to be the role's own before): what marks a row as the
/// role's is where it is stored.
fn unmark_role_rows(kind: Kind, obj: &mut Object) {
    if kind != Kind::Role {
        return;
    }
    if let Some(Value::Array(rows)) = obj.get_mut("departments") {
        for row in rows.iter_mut().filter_map(Value::as_object_mut) {
            row.remove("role_id");
            row.remove("role_name");
        }
    }
}

/// An object as the API shows it, on its own: detail lists only when asked
/// for, and never a stored client secret.
fn render(kind: Kind, obj: &Object, details: bool) -> Value {
    let mut shown = obj.clone();
    if !details {
        for field in kind.detail_fields() {
            shown.remove(*field);
        }
    }
    if kind == Kind::Application && !shown.get("clientSecret").is_some_and(Value::is_string) {
        shown.insert("clientSecret".into(), Value::Null);
    }
    hide_secrets(kind, &mut shown);
    Value::Object(shown)
}

/// An object as `/__state` shows it: with details, never a secret.
pub fn render_state(kind: Kind, obj: &Object) -> Value {
    let mut shown = obj.clone();
    if kind == Kind::Application {
        shown.insert("clientSecret".into(), Value::Null);
    }
    hide_secrets(kind, &mut shown);
    Value::Object(shown)
}

/// The kind's secret fields (a webhook's password and authentication header)
/// are stored but never shown again.
fn hide_secrets(kind: Kind, shown: &mut Object) {
    for field in kind.secret_fields() {
        if shown.contains_key(*field) {
            shown.insert((*field).to_owned(), Value::Null);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        match v {
            Value::Object(m) => m,
            _ => Object::new(),
        }
    }

    #[test]
    fn create_then_partial_update() {
        let mut store = Store::default();
        let saved = store
            .save_all(Kind::Organisation, &[json!({"name": "A", "email": "a@x"})])
            .map_err(|e| e.to_string());
        let saved = saved.as_deref().unwrap_or_default();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].answer["id"], json!(1));
        let updated = store.save_all(Kind::Organisation, &[json!({"id": 1, "phone": "1"})]);
        assert!(updated.is_ok());
        let stored = store
            .get(Kind::Organisation, "1")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            Value::Object(stored),
            json!({"id": 1, "name": "A", "email": "a@x", "phone": "1"})
        );
    }

    #[test]
    fn an_application_secret_is_generated_or_supplied_and_never_rendered() {
        let mut store = Store::default();
        let app = |extra: Value| {
            let mut body = json!({"displayName": "A", "grant_type": "authorization_code"});
            if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
                b.extend(e);
            }
            body
        };
        let saved = store
            .save_all(Kind::Application, &[app(json!({"clientSecret": "mine"}))])
            .map_err(|e| e.to_string());
        let saved = saved.as_deref().unwrap_or_default();
        assert_eq!(saved.len(), 1, "the create succeeds");
        let answer = &saved[0].answer;
        assert_eq!(answer["clientSecret"], json!("mine"));
        let (id, client_id) = (
            answer["id"].as_str().unwrap_or_default().to_string(),
            answer["clientId"].as_str().unwrap_or_default().to_string(),
        );
        assert!(store.application_credentials(&client_id, "mine"));
        let stored = store
            .get(Kind::Application, &id)
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            store.render(Kind::Application, &stored, true)["clientSecret"],
            Value::Null
        );

        let rotated = store.save_all(
            Kind::Application,
            &[json!({"id": id, "clientSecret": "next"})],
        );
        assert!(rotated.is_ok());
        assert!(store.application_credentials(&client_id, "next"));
        assert!(!store.application_credentials(&client_id, "mine"));
        assert!(!store.application_credentials(&client_id, ""));

        let generated = store
            .save_all(Kind::Application, &[app(json!({}))])
            .map_err(|e| e.to_string());
        let generated = generated.as_deref().unwrap_or_default();
        let secret = generated[0].answer["clientSecret"]
            .as_str()
            .unwrap_or_default();
        let client_id = generated[0].answer["clientId"].as_str().unwrap_or_default();
        assert!(!secret.is_empty() && store.application_credentials(client_id, secret));
    }

    #[test]
    fn batch_is_all_or_nothing() {
        let mut store = Store::default();
        let result = store.save_all(
            Kind::Organisation,
            &[json!({"name": "A"}), json!({"name": ""})],
        );
        assert!(matches!(result, Err(StoreError::Invalid(_))));
        assert!(store.list(Kind::Organisation).is_empty());
    }

    #[test]
    fn update_of_unknown_id_is_not_found() {
        let mut store = Store::default();
        let result = store.save_all(Kind::Organisation, &[json!({"id": 9, "name": "A"})]);
        assert!(matches!(result, Err(StoreError::NotFound { .. })));
    }

    #[test]
    fn raw_insert_keeps_counter_ahead() {
        let mut store = Store::default();
        store.insert_raw(Kind::Workday, obj(json!({"id": 5, "name": "W"})));
        let next = store.insert_raw(Kind::Workday, obj(json!({"name": "X"})));
        assert_eq!(next["id"], json!(6));
    }
}
