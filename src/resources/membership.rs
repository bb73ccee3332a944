//! The machinery shared by `halopsa_role_department` and `halopsa_agent_department`:
//! a resource that owns ONE entry (`UnameDepartment`) of a parent object's
//! `departments` list, leaving the other entries alone.
//!
//! Halo has no endpoint for one membership: the list is read with
//! `?includedetails=true` and written back whole (`POST` with the parent's `id` and
//! `departments` only; a present list replaces the stored one, absent fields keep
//! their values). Every read-modify-write of one parent's list runs under a
//! process-wide lock keyed by that parent, so that many memberships of one role or
//! agent applied in parallel (Terraform's `-parallelism`) all land instead of
//! overwriting each other.
//!
//! Create when Halo already has an entry for the department: an entry with the
//! configured level is adopted as is (no write); one with another level is set to
//! the configured level. Either way the resource then owns it.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use async_trait::async_trait;
use tokio::sync::OwnedMutexGuard;

use super::halo_values::{halo_id, one_of_or_halo, HALO_PREFIX};
use super::object::ParseId;
use super::support::{halo_diagnostic, halo_error, id_matches, int_id, write_error, WriteField};
use crate::framework::model::spec;
use crate::framework::{
    attr_error, ApplyError, Attribute, Diagnostic, Diagnostics, Model, Resource, Validator,
};
use crate::halo::{Agent, DepartmentMembership, HaloClient, HaloObject, Role};

// ----- membership levels -----------------------------------------------------

/// The membership levels: the provider's word and Halo's `membershiplevel`
/// (docs/halo-api.md, "Encodings": 0 and 1 \[assumed\], 3 \[db\]). The one place
/// that mapping lives.
const LEVELS: [(&str, i64); 3] = [
    ("modify_all", 0),
    ("read_only", 1),
    ("head_of_department", 3),
];

/// The provider's words for the membership levels, for the schema validator.
pub const LEVEL_NAMES: [&str; 3] = [LEVELS[0].0, LEVELS[1].0, LEVELS[2].0];

/// Halo's `membershiplevel` for a provider level word, or for `halo:N` (Halo's
/// own number, for levels the provider has no word for).
pub fn level_to_halo(name: &str) -> Option<i64> {
    if let Some(raw) = name.strip_prefix(HALO_PREFIX) {
        return raw.trim().parse().ok();
    }
    LEVELS.iter().find(|(n, _)| *n == name).map(|(_, i)| *i)
}

/// The provider level word for Halo's `membershiplevel`. A value the provider does
/// not know reads as `halo:N`, so an imported membership keeps it unchanged.
pub fn level_from_halo(level: i64) -> String {
    LEVELS.iter().find(|(_, i)| *i == level).map_or_else(
        || format!("{HALO_PREFIX}{level}"),
        |(n, _)| (*n).to_string(),
    )
}

// ----- the parent object ----------------------------------------------------

/// A Halo object whose `departments` list holds memberships.
pub trait HoldsDepartments: HaloObject<Id: ParseId> {
    /// The membership list, taken out of a Halo answer (empty when absent).
    fn departments(self) -> Vec<DepartmentMembership>;
    /// The `role_id` values that mark a row of this object's list as its own: a
    /// role's own rows carry its id (its GUID or `id_int`, docs/halo-api.md,
    /// "Department memberships"); an agent's rows with a `role_id` are inherited.
    fn own_marks(&self) -> Vec<String>;
    /// The body of a write: the object's id and its whole new list, nothing else.
    fn with_departments(id: Self::Id, departments: Vec<DepartmentMembership>) -> Self;
}

macro_rules! holds_departments {
    ($($ty:ident),*) => {$(
        impl HoldsDepartments for $ty {
            fn departments(self) -> Vec<DepartmentMembership> {
                self.departments.unwrap_or_default()
            }
            fn with_departments(id: Self::Id, departments: Vec<DepartmentMembership>) -> Self {
                $ty { id: Some(id), departments: Some(departments), ..$ty::default() }
            }
            fn own_marks(&self) -> Vec<String> {
                OwnMarks::marks(self)
            }
        }
    )*};
}

holds_departments!(Agent, Role);

impl OwnMarks for Agent {
    fn marks(&self) -> Vec<String> {
        Vec::new()
    }
}

impl OwnMarks for Role {
    fn marks(&self) -> Vec<String> {
        self.id
            .iter()
            .cloned()
            .chain(self.id_int.map(|i| i.to_string()))
            .collect()
    }
}

/// See [`HoldsDepartments::own_marks`].
trait OwnMarks {
    fn marks(&self) -> Vec<String>;
}

/// The object whose `departments` list holds the memberships (a role, an agent).
pub trait Parent: Send + Sync + 'static {
    /// The Halo object.
    type Object: HoldsDepartments;
    /// The state: a `model!` declaration with the parent's id attribute
    /// ([`membership_models!`]).
    type Model: Membership;
    /// The `list` block's filters, likewise.
    type Filter: MembershipFilter;
    /// The resource type name, e.g. `halopsa_role_department`.
    const TYPE_NAME: &'static str;
    /// The attribute holding the parent's id, e.g. `role_id` (the model's).
    const PARENT_ATTR: &'static str = <Self::Model as Membership>::PARENT_ATTR;
    /// The resource type `PARENT_ATTR` holds the id of (e.g. `halopsa_role`).
    const PARENT_TYPE: &'static str;
    /// The import id's form, e.g. `ROLE_ID/DEPARTMENT_ID`.
    const IMPORT_FORM: &'static str;
    /// An import id of that form, for messages.
    const IMPORT_EXAMPLE: &'static str;
    /// The resource's description.
    const DESCRIPTION: &'static str;
    /// The description of the parent id attribute.
    const PARENT_DESCRIPTION: &'static str;
    /// The description of the computed `id`.
    const ID_DESCRIPTION: &'static str;
    /// The description of the parent id filter of a list block.
    const LIST_PARENT_DESCRIPTION: &'static str;

    /// The validator of the parent id attribute.
    fn parent_validator() -> Validator;

    /// The parent's Halo id from the attribute's text; `None` when it is not one.
    fn parse_id(raw: &str) -> Option<<Self::Object as HaloObject>::Id> {
        ParseId::parse(Some(raw), Self::PARENT_ATTR).ok()
    }
}

// ----- the per-parent lock ----------------------------------------------------

/// One async lock per parent object ("role:GUID", "agent:12"), for the whole process.
static PARENT_LOCKS: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Mutex::default);

/// Waits for and takes the lock of one parent object. Locks nobody holds or waits
/// for are dropped from the table on the way.
async fn lock_parent(key: String) -> OwnedMutexGuard<()> {
    let lock = {
        let mut table = PARENT_LOCKS.lock().unwrap_or_else(PoisonError::into_inner);
        // Only the table refers to such a lock: nobody holds it or waits for it.
        table.retain(|_, l| Arc::strong_count(l) > 1);
        Arc::clone(table.entry(key).or_default())
    };
    lock.lock_owned().await
}

fn lock_key<P: Parent>(id: &<P::Object as HaloObject>::Id) -> String {
    format!(
        "{}:{}",
        <P::Object as HaloObject>::KIND,
        id.to_string().trim().to_ascii_lowercase()
    )
}

// ----- the model ----------------------------------------------------------------

/// The state of one membership: a `model!` struct per resource (its parent id
/// attribute is named after the parent, `role_id` or `agent_id`), declared with
/// the attribute specs below and made a [`Membership`] by [`membership_models!`].
pub trait Membership: Model + Clone + fmt::Debug {
    /// The attribute holding the parent's id, e.g. `role_id`.
    const PARENT_ATTR: &'static str;
    /// The attribute holding the department's id.
    const DEPARTMENT_ATTR: &'static str;
    /// The attribute holding the level.
    const LEVEL_ATTR: &'static str;

    /// The state of the membership of a parent in a department at a level; its
    /// `id` is `PARENT/DEPARTMENT`.
    fn new(parent_id: String, department_id: String, membership_level: String) -> Self;
    /// The parent's id as given.
    fn parent(&self) -> &str;
    /// The department's id as given.
    fn department(&self) -> &str;
    /// The level word (or `halo:N`).
    fn level(&self) -> &str;
}

/// The `list` block filters of a membership resource: the parent's id and the
/// department's id, each optional.
pub trait MembershipFilter: Model {
    fn parent(&self) -> Option<&str>;
    fn department(&self) -> Option<&str>;
}

/// The spec of a membership's computed `id`.
pub fn id_spec<P: Parent>() -> Attribute {
    spec::computed()
        .use_state_for_unknown()
        .description(P::ID_DESCRIPTION)
}

/// The spec of the parent id attribute (`role_id`, `agent_id`).
pub fn parent_spec<P: Parent>() -> Attribute {
    spec::required()
        .requires_replace()
        .references(P::PARENT_TYPE)
        .validate(P::parent_validator())
        .description(P::PARENT_DESCRIPTION)
}

/// The spec of `department_id`.
pub fn department_spec() -> Attribute {
    spec::required()
        .requires_replace()
        .references("halopsa_department")
        .validate(halo_id())
        .description(
            "The Halo id of the department (e.g. `halopsa_department.x.id`). \
             Changing it replaces the membership.",
        )
}

/// The spec of `membership_level`.
pub fn level_spec() -> Attribute {
    spec::required()
        .validate(one_of_or_halo(&LEVEL_NAMES))
        .description(
            "The access the membership gives to the department's tickets: \
             `modify_all` (see and change them), `read_only` (see them only) or \
             `head_of_department` (Halo's \"Head of Department\"); \
             a level Halo holds that has no such word reads as `halo:N` \
             (Halo's own number) and is kept as it is.",
        )
}

/// The spec of the parent id filter of a `list` block.
pub fn parent_filter_spec<P: Parent>() -> Attribute {
    spec::optional()
        .validate(P::parent_validator())
        .description(P::LIST_PARENT_DESCRIPTION)
}

/// The spec of the department id filter of a `list` block.
pub fn department_filter_spec() -> Attribute {
    spec::optional()
        .validate(halo_id())
        .description("Only the memberships of the department with this Halo id.")
}

/// Makes a membership resource's `model!` state and filter (whose parent id
/// field is `$parent`; the others are `id`, `department_id` and
/// `membership_level`) a [`Membership`] and a [`MembershipFilter`].
macro_rules! membership_models {
    ($model:ident, $filter:ident, $parent:ident) => {
        impl $crate::resources::membership::Membership for $model {
            const PARENT_ATTR: &'static str = $model::$parent;
            const DEPARTMENT_ATTR: &'static str = $model::department_id;
            const LEVEL_ATTR: &'static str = $model::membership_level;

            fn new(parent_id: String, department_id: String, membership_level: String) -> Self {
                $model {
                    id: Some(format!("{parent_id}/{department_id}")),
                    $parent: parent_id,
                    department_id,
                    membership_level,
                }
            }
            fn parent(&self) -> &str {
                &self.$parent
            }
            fn department(&self) -> &str {
                &self.department_id
            }
            fn level(&self) -> &str {
                &self.membership_level
            }
        }

        impl $crate::resources::membership::MembershipFilter for $filter {
            fn parent(&self) -> Option<&str> {
                self.$parent.as_deref()
            }
            fn department(&self) -> Option<&str> {
                self.department_id.as_deref()
            }
        }
    };
}
pub(crate) use membership_models;

// ----- the resource -------------------------------------------------------------

/// A membership resource for the parent `P`.
pub struct MembershipResource<P>(PhantomData<fn() -> P>);

impl<P> MembershipResource<P> {
    pub fn new() -> Self {
        MembershipResource(PhantomData)
    }
}

impl<P> Default for MembershipResource<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// What a membership resource works on, parsed from its model or an import id:
/// the parsed ids and their text as given.
pub struct Target<P: Parent> {
    parent: <P::Object as HaloObject>::Id,
    department: i64,
    parent_text: String,
    department_text: String,
}

fn target<P: Parent>(m: &P::Model) -> Result<Target<P>, Diagnostic> {
    let parent = P::parse_id(m.parent()).ok_or_else(|| {
        attr_error(
            P::PARENT_ATTR,
            format!("Invalid {}", P::PARENT_ATTR),
            format!(
                "{} {:?} is not a Halo {} id.",
                P::PARENT_ATTR,
                m.parent(),
                <P::Object as HaloObject>::KIND
            ),
        )
    })?;
    let department = int_id(
        Some(m.department()),
        <P::Model as Membership>::DEPARTMENT_ATTR,
    )?;
    Ok(Target {
        parent,
        department,
        parent_text: m.parent().trim().to_string(),
        department_text: m.department().trim().to_string(),
    })
}

/// The two halves of a membership id `PARENT/DEPARTMENT`, trimmed; or why it is
/// not one (`parent_kind` names the parent in the message, e.g. "role"). Import
/// ids and the `parse_membership_id` function both read ids with this.
pub fn split_membership_id<'a>(
    id: &'a str,
    parent_kind: &str,
) -> Result<(&'a str, &'a str), String> {
    let id = id.trim();
    let (parent_text, department_text) = id
        .split_once('/')
        .ok_or_else(|| format!("{id:?} has no \"/\""))?;
    let (parent_text, department_text) = (parent_text.trim(), department_text.trim());
    if parent_text.is_empty() {
        return Err(format!("the {parent_kind} id before \"/\" is empty"));
    }
    if department_text.is_empty() {
        return Err("the department id after \"/\" is empty".into());
    }
    Ok((parent_text, department_text))
}

/// The department id of a membership id: a whole number of at least 1.
pub fn department_number(text: &str) -> Result<i64, String> {
    text.parse::<i64>()
        .ok()
        .filter(|d| *d > 0)
        .ok_or_else(|| format!("the department id {text:?} is not a whole number of at least 1"))
}

/// The target an import id `PARENT/DEPARTMENT` names.
fn parse_import<P: Parent>(id: &str) -> Result<Target<P>, Diagnostic> {
    let kind = <P::Object as HaloObject>::KIND;
    let malformed = |why: String| {
        Diagnostic::error(
            "Invalid import id",
            format!(
                "Importing {} needs an id of the form {} (e.g. {}): {why}.",
                P::TYPE_NAME,
                P::IMPORT_FORM,
                P::IMPORT_EXAMPLE
            ),
        )
    };
    let (parent_text, department_text) = split_membership_id(id, kind).map_err(malformed)?;
    let parent = P::parse_id(parent_text)
        .ok_or_else(|| malformed(format!("{parent_text:?} is not a Halo {kind} id")))?;
    let department = department_number(department_text).map_err(malformed)?;
    Ok(Target {
        parent,
        department,
        parent_text: parent_text.to_string(),
        department_text: department_text.to_string(),
    })
}

fn halo_level<M: Membership>(m: &M) -> Result<i64, Diagnostic> {
    level_to_halo(m.level()).ok_or_else(|| {
        let attr = M::LEVEL_ATTR;
        attr_error(
            attr,
            format!("Invalid {attr}"),
            format!(
                "{attr} {:?} is not one of {}.",
                m.level(),
                LEVEL_NAMES.join(", ")
            ),
        )
    })
}

fn parent_missing<P: Parent>(m: &P::Model) -> Diagnostic {
    let kind = <P::Object as HaloObject>::KIND;
    attr_error(
        P::PARENT_ATTR,
        format!("The {kind} does not exist"),
        format!(
            "{} {:?}: Halo has no {kind} with this id, so it cannot hold a department membership.",
            P::PARENT_ATTR,
            m.parent()
        ),
    )
}

/// The error for importing a membership the parent has only through one of its
/// roles: it is not the parent's own, so there is nothing for this resource to own.
fn inherited_import<P: Parent>(t: &Target<P>, row: &DepartmentMembership) -> Diagnostic {
    let role = row.role_id.as_deref().unwrap_or_default();
    Diagnostic::error(
        "Cannot import an inherited membership",
        format!(
            "The {kind} {parent} is a member of department {department} only through its \
             role {role}: the membership comes from role {role}, not from the {kind} itself. \
             Import it as halopsa_role_department \"{role}/{department}\" instead.",
            kind = <P::Object as HaloObject>::KIND,
            parent = t.parent_text,
            department = t.department_text,
        ),
    )
}

/// The halo fields a refused membership write may name, and their attributes.
fn write_fields<M: Membership>() -> [WriteField; 2] {
    [
        ("membershiplevel", M::LEVEL_ATTR),
        ("department", M::DEPARTMENT_ATTR),
    ]
}

/// Sets the entry of `department` in `list` to `level`, keeping its place (or
/// appending it) and dropping any duplicate of it. Answers whether the list changed.
fn set_entry(list: &mut Vec<DepartmentMembership>, department: i64, level: i64) -> bool {
    let before = list.clone();
    let mut placed = false;
    list.retain_mut(|entry| {
        if entry.department_id != department {
            return true;
        }
        if placed {
            return false;
        }
        placed = true;
        // The row keeps every other field as Halo sent it.
        entry.membershiplevel = level;
        true
    });
    if !placed {
        list.push(DepartmentMembership::new(department, level));
    }
    *list != before
}

/// Whether a row of a parent's list is the parent's own: its `role_id` is absent or
/// one of the parent's `marks` (a role's GUID, without regard to case, or its
/// `id_int`). A row whose `role_id` names another role is inherited from that role
/// (an agent's rows; docs/halo-api.md, "Department memberships" \[spec, db\]).
fn is_own(marks: &[String], row: &DepartmentMembership) -> bool {
    match row.role_id.as_deref().map(str::trim) {
        None | Some("") => true,
        Some(role) => marks.iter().any(|m| m.trim().eq_ignore_ascii_case(role)),
    }
}

/// The rows of a parent's list that are its own (see [`is_own`]).
fn own_rows<O: HoldsDepartments>(parent: O) -> Vec<DepartmentMembership> {
    let marks = parent.own_marks();
    parent
        .departments()
        .into_iter()
        .filter(|row| is_own(&marks, row))
        .collect()
}

/// Drops every entry of `department` from `list`; answers whether there was one.
fn remove_entry(list: &mut Vec<DepartmentMembership>, department: i64) -> bool {
    let before = list.len();
    list.retain(|entry| entry.department_id != department);
    list.len() != before
}

/// The outcome of a read-modify-write of a parent's list.
enum Edited {
    /// The parent does not exist (any more).
    ParentGone,
    /// The list needed no change; nothing was written.
    Unchanged,
    /// The new list was written.
    Written,
}

/// Reads the parent's list, lets `edit` change it (answering whether it did) and
/// writes it back when it changed, all under the parent's lock.
async fn read_modify_write<P: Parent>(
    halo: &HaloClient,
    parent: &<P::Object as HaloObject>::Id,
    edit: impl FnOnce(&mut Vec<DepartmentMembership>) -> bool + Send,
) -> Result<Edited, Diagnostic> {
    let _guard = lock_parent(lock_key::<P>(parent)).await;
    let Some(current) = halo
        .get::<P::Object>(parent.clone(), true)
        .await
        .map_err(|e| halo_diagnostic(&e))?
    else {
        return Ok(Edited::ParentGone);
    };
    // Rows inherited from the parent's roles are not its own: they are neither
    // edited nor written back (docs/halo-api.md, "Agents").
    let mut list = own_rows(current);
    if !edit(&mut list) {
        return Ok(Edited::Unchanged);
    }
    let body = P::Object::with_departments(parent.clone(), list);
    match halo.update(&body).await {
        Ok(_) => Ok(Edited::Written),
        Err(e) if e.is_not_found() => Ok(Edited::ParentGone),
        Err(e) => Err(write_error(&e, &write_fields::<P::Model>())),
    }
}

impl<P: Parent> MembershipResource<P> {
    /// Create and update alike: make the parent's entry for the department have the
    /// planned level.
    async fn put(
        &self,
        halo: &HaloClient,
        plan: P::Model,
    ) -> Result<P::Model, ApplyError<P::Model>> {
        let t = target::<P>(&plan)?;
        let level = halo_level(&plan)?;
        let outcome =
            read_modify_write::<P>(halo, &t.parent, |list| set_entry(list, t.department, level))
                .await?;
        match outcome {
            Edited::ParentGone => Err(parent_missing::<P>(&plan).into()),
            Edited::Unchanged | Edited::Written => Ok(P::Model::new(
                plan.parent().to_string(),
                plan.department().to_string(),
                plan.level().to_string(),
            )),
        }
    }
}

#[async_trait]
impl<P: Parent> Resource<HaloClient> for MembershipResource<P> {
    const TYPE_NAME: &'static str = P::TYPE_NAME;
    const DESCRIPTION: &'static str = P::DESCRIPTION;
    type Model = P::Model;
    type Filter = P::Filter;
    type Key = Target<P>;

    fn key(state: &Self::Model) -> Result<Target<P>, Diagnostic> {
        target::<P>(state)
    }

    fn parse_import_id(id: &str) -> Result<Target<P>, Diagnostic> {
        parse_import::<P>(id)
    }

    /// The parent and the department must exist (see `references`).
    async fn check_plan(
        &self,
        halo: &HaloClient,
        planned: &crate::framework::Value,
        held: &crate::framework::HeldReferences,
    ) -> Diagnostics {
        let attrs = <P::Model as Model>::attributes();
        super::references::check(halo, &attrs, planned, held).await
    }

    /// Every entry of every parent's department list (one parent list request,
    /// with details), as the state its import would read.
    async fn list(
        &self,
        halo: &HaloClient,
        filter: P::Filter,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        let mut found = Vec::new();
        for parent in halo.list_all::<P::Object>(true).await.map_err(halo_error)? {
            let Some(parent_id) = parent.id().map(|id| id.to_string()) else {
                continue;
            };
            if !id_matches(filter.parent(), Some(&parent_id)) {
                continue;
            }
            for entry in own_rows(parent) {
                let department_id = entry.department_id.to_string();
                if id_matches(filter.department(), Some(&department_id)) {
                    found.push(P::Model::new(
                        parent_id.clone(),
                        department_id,
                        level_from_halo(entry.membershiplevel),
                    ));
                }
            }
        }
        Ok(found)
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        self.put(halo, plan).await
    }

    async fn read(
        &self,
        halo: &HaloClient,
        t: Target<P>,
        prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        let Some(parent) = halo
            .read::<P::Object>(t.parent.clone(), true)
            .await
            .map_err(halo_error)?
        else {
            return Ok(None);
        };
        let marks = parent.own_marks();
        let (own, inherited): (Vec<_>, Vec<_>) = parent
            .departments()
            .into_iter()
            .filter(|e| e.department_id == t.department)
            .partition(|e| is_own(&marks, e));
        if let (None, Some(row), None) = (own.first(), inherited.first(), prior) {
            return Err(inherited_import::<P>(&t, row).into());
        }
        Ok(own.into_iter().next().map(|e| {
            P::Model::new(
                t.parent_text,
                t.department_text,
                level_from_halo(e.membershiplevel),
            )
        }))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        _prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        self.put(halo, plan).await
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let t = target::<P>(&state)?;
        // A parent or an entry already gone is what a delete wants.
        read_modify_write::<P>(halo, &t.parent, |list| remove_entry(list, t.department)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(department_id: i64, membershiplevel: i64) -> DepartmentMembership {
        DepartmentMembership::new(department_id, membershiplevel)
    }

    #[test]
    fn levels_round_trip() {
        for name in LEVEL_NAMES {
            let halo = level_to_halo(name).unwrap();
            assert_eq!(level_from_halo(halo), name);
        }
        assert_eq!(level_to_halo("modify_all"), Some(0));
        assert_eq!(level_to_halo("read_only"), Some(1));
        assert_eq!(level_to_halo("head_of_department"), Some(3));
        assert_eq!(level_from_halo(3), "head_of_department");
        assert_eq!(level_from_halo(7), "halo:7");
        assert_eq!(level_to_halo("halo:7"), Some(7));
        assert_eq!(level_to_halo("admin"), None);
    }

    #[test]
    fn set_entry_keeps_the_others_and_its_place() {
        let mut list = vec![m(1, 0), m(2, 1), m(3, 0)];
        assert!(!set_entry(&mut list, 2, 1), "same level: no change");
        assert!(set_entry(&mut list, 2, 0));
        assert_eq!(list, vec![m(1, 0), m(2, 0), m(3, 0)]);
        assert!(set_entry(&mut list, 4, 1));
        assert_eq!(list, vec![m(1, 0), m(2, 0), m(3, 0), m(4, 1)]);
        let mut dup = vec![m(5, 1), m(6, 0), m(5, 0)];
        assert!(set_entry(&mut dup, 5, 1), "a duplicate is dropped");
        assert_eq!(dup, vec![m(5, 1), m(6, 0)]);
    }

    #[test]
    fn a_level_change_keeps_the_rows_other_fields_and_inherited_rows_are_not_own() {
        let mut row = m(1, 0);
        row.extra
            .insert("custom".into(), serde_json::json!({"x": 1}));
        let mut list = vec![row];
        assert!(set_entry(&mut list, 1, 1));
        assert_eq!(list[0].membershiplevel, 1);
        assert_eq!(list[0].extra["custom"], serde_json::json!({"x": 1}));
        let mut inherited = m(2, 0);
        inherited.role_id = Some("r".into());
        let agent = Agent {
            id: Some(1),
            departments: Some(vec![m(3, 0), inherited.clone()]),
            ..Agent::default()
        };
        assert_eq!(own_rows(agent), vec![m(3, 0)]);
        // A role's own rows carry its id (GUID in any case, or id_int); another
        // role's id is not its own.
        let row = |department, role: &str| {
            let mut r = m(department, 0);
            r.role_id = Some(role.into());
            r
        };
        let role = Role {
            id: Some("ab-CD".into()),
            id_int: Some(7),
            departments: Some(vec![row(1, "AB-cd"), row(2, "7"), m(3, 0), row(4, "other")]),
            ..Role::default()
        };
        let own: Vec<i64> = own_rows(role).iter().map(|r| r.department_id).collect();
        assert_eq!(own, vec![1, 2, 3]);
    }

    #[test]
    fn remove_entry_touches_only_its_department() {
        let mut list = vec![m(1, 0), m(2, 1), m(2, 0)];
        assert!(remove_entry(&mut list, 2));
        assert_eq!(list, vec![m(1, 0)]);
        assert!(!remove_entry(&mut list, 9));
    }

    #[tokio::test]
    async fn the_parent_lock_serialises_one_parent_only() {
        let first = lock_parent("role:a".into()).await;
        // Another parent is not blocked.
        let other = tokio::time::timeout(
            std::time::Duration::from_millis(100),
            lock_parent("role:b".into()),
        )
        .await;
        assert!(other.is_ok());
        // The same parent waits until the first holder is done.
        let same = tokio::time::timeout(
            std::time::Duration::from_millis(100),
            lock_parent("role:a".into()),
        )
        .await;
        assert!(same.is_err());
        drop(first);
        let again = tokio::time::timeout(
            std::time::Duration::from_millis(100),
            lock_parent("role:a".into()),
        )
        .await;
        assert!(again.is_ok());
    }
}
