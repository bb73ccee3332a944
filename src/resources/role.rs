//! `halopsa_role`: an agent role and its permissions.
//!
//! Permissions travel to Halo as role claims `{"type", "value"}`, both strings.
//! Halo's roles are ASP.NET Identity roles whose claims (`NHD_RoleClaims`) carry short
//! codes: `Tx` is the role screen's "Tickets Access Level", `l6` "Can add new Tickets",
//! values are digit strings (docs/halo-api.md, "Role permissions", \[db\]). The one
//! table of these codes is [`PERMISSIONS`]; older roles may hold a legacy name for
//! the same permission, read as that permission and replaced by the short code when
//! the permission changes. The role's department list belongs to
//! `halopsa_role_department` and is never sent from here.

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::{one_of_or_halo, HALO_PREFIX};
use super::object::{with_details, ObjectResource, Write};
use super::support::{halo_diagnostic, non_empty, or_cleared, NameFilter, WriteField};
use crate::framework::model::object_attrs;
use crate::framework::{
    default_object, ApplyError, AttrPath, Attribute, AttributeKind, Diagnostic, Diagnostics, Field,
    Planned, Type, Validator, Value,
};
use crate::halo::{Claim, HaloClient, Role};

pub struct RoleResource;

/// How a permission's claim value reads, and the attribute's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// Named levels: the provider's words and, at the same place, the claim values.
    /// A string attribute; `halo:VALUE` keeps a value that has no word.
    Levels(&'static [&'static str], &'static [&'static str]),
    /// A yes/no permission with claim value `"1"` or `"0"`: a bool attribute.
    Flag,
    /// A yes/no permission with claim value `"true"` or `"false"`: a bool attribute.
    TextFlag,
}

impl ClaimKind {
    /// The claim values Halo's reports decode for this kind.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            ClaimKind::Levels(_, codes) => codes,
            ClaimKind::Flag => &["1", "0"],
            ClaimKind::TextFlag => &["true", "false"],
        }
    }
}

/// One permission: a row of [`PERMISSIONS`].
#[derive(Debug, Clone, Copy)]
pub struct Permission {
    /// The attribute of `permissions`, named after Halo's label.
    pub name: &'static str,
    /// Halo's claim type (short code).
    pub claim: &'static str,
    /// Legacy claim types older roles hold for the same permission.
    pub legacy: &'static [&'static str],
    pub kind: ClaimKind,
    /// Managed whole: left out, the permission is at its default (no access / no).
    /// Otherwise a permission left out keeps its claim as Halo has it.
    pub managed: bool,
    /// Halo's label on the role screen.
    pub label: &'static str,
}

/// Three access levels (`Tx` and most feature access levels).
pub const ACCESS: ClaimKind =
    ClaimKind::Levels(&["none", "read_only", "read_modify"], &["0", "1", "2"]);
/// Four levels with "View (Names Only)" (`Ux`, `Fx`, `Ix`).
pub const NAMES_ACCESS: ClaimKind = ClaimKind::Levels(
    &["none", "view_names_only", "read_only", "read_modify"],
    &["0", "1", "2", "3"],
);
/// Four levels with "Read, Modify and Remove" (`Dx`, `Xx`).
const REMOVE_ACCESS: ClaimKind = ClaimKind::Levels(
    &["none", "read_only", "read_modify", "read_modify_remove"],
    &["0", "1", "2", "3"],
);
/// Distribution lists (`Kx`).
const SEND_ACCESS: ClaimKind = ClaimKind::Levels(
    &["none", "read_only", "read_send", "read_modify"],
    &["0", "1", "2", "3"],
);
/// Timesheets (`Hx`).
const TIMESHEET_ACCESS: ClaimKind = ClaimKind::Levels(
    &[
        "none",
        "read_modify_own",
        "read_modify_managed",
        "read_only",
        "read_modify_all",
    ],
    &["0", "1", "2", "3", "4"],
);
/// None, own or all (`l5`, `lb`, `lr`).
const OWN_ALL_3: ClaimKind = ClaimKind::Levels(&["none", "own", "all"], &["0", "1", "3"]);
/// None, own or all (`lg`).
const OWN_ALL_2: ClaimKind = ClaimKind::Levels(&["none", "own", "all"], &["0", "1", "2"]);
/// Own or all (`lz`; the values between are Halo's own, `halo:1`, `halo:2`).
const VISIBILITY: ClaimKind = ClaimKind::Levels(&["own", "all"], &["0", "3"]);
/// Item prices (`pi`).
const PRICES: ClaimKind = ClaimKind::Levels(&["none", "read", "modify"], &["0", "1", "2"]);
/// Password fields (`la`).
const PASSWORDS: ClaimKind = ClaimKind::Levels(&["hidden", "visible"], &["0", "1"]);

const fn managed(
    name: &'static str,
    claim: &'static str,
    legacy: &'static [&'static str],
    kind: ClaimKind,
    label: &'static str,
) -> Permission {
    Permission {
        name,
        claim,
        legacy,
        kind,
        managed: true,
        label,
    }
}

const fn kept(
    name: &'static str,
    claim: &'static str,
    legacy: &'static [&'static str],
    kind: ClaimKind,
    label: &'static str,
) -> Permission {
    Permission {
        name,
        claim,
        legacy,
        kind,
        managed: false,
        label,
    }
}

/// Declares the permissions, one row each: the attribute of `permissions` (a
/// field of the `model!` [`Permissions`], a string for levels or a bool for
/// flags, null when the role has no claim for it) and its row of
/// [`PERMISSIONS`] (`managed(..)` or `kept(..)` without the name, which is
/// the field's).
macro_rules! permissions {
    ($( $(#[$m:meta])* $name:ident : $ty:ty = $row:ident ( $($arg:expr),* $(,)? ) ),* $(,)?) => {
        crate::model! {
            /// The `permissions` object: one attribute per row of
            /// [`PERMISSIONS`]; `None` where the role has no claim for it.
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct Permissions {
                $( $(#[$m])* $name: Option<$ty> =
                    permission_attribute(&$row(Permissions::$name, $($arg),*)), )*
            }
        }

        /// The one table of permissions \[db\] (docs/halo-api.md, "Role permissions"): the
        /// attribute of `permissions`, Halo's claim type, its legacy names, the kind of value
        /// and Halo's label. The first nine are managed whole; the others keep their claims
        /// as Halo has them unless set.
        pub const PERMISSIONS: &[Permission] = &[$( $row(Permissions::$name, $($arg),*) ),*];

        impl Permissions {
            /// The permissions Halo's claims hold (read as `value_of` does).
            fn from_claims(claims: &[Claim]) -> Self {
                Permissions {
                    $( $name: Claimed::read(
                        &$row(Self::$name, $($arg),*),
                        claim_of(&$row(Self::$name, $($arg),*), claims).map(|c| c.value.as_str()),
                    ), )*
                }
            }

            /// The value of the permission `name`: null when it is unset or
            /// not a permission.
            pub fn get(&self, name: &str) -> Value {
                $( if name == Self::$name {
                    return Field::encode(&self.$name);
                } )*
                Value::Null
            }
        }
    };
}

permissions! {
    tickets_access: String = managed("Tx", &["Ticket_Level"], ACCESS, "Tickets Access Level"),
    clients_access: String = managed("Ux", &["Customers_Level"], NAMES_ACCESS, "Clients Access Level"),
    users_access: String = managed("Fx", &[], NAMES_ACCESS, "Users Access Level"),
    can_add_tickets: bool = managed("l6", &["Can_Log_Tickets"], ClaimKind::Flag, "Can add new Tickets"),
    can_edit_closed_tickets: bool = managed("lf", &[], ClaimKind::Flag, "Can Edit Closed Tickets"),
    can_view_unassigned_tickets: bool = managed("l9", &["Can_View_Unassigned_Tickets"], ClaimKind::Flag, "Can View Unassigned Tickets"),
    can_view_other_agents_tickets: bool = managed("l8", &["Can_View_Tech_Tickets"], ClaimKind::Flag, "Can view Tickets that are assigned to other Agents"),
    can_delete_tickets: bool = managed("l4", &["Can_Remove_Tickets"], ClaimKind::Flag, "Can Remove Tickets"),
    can_edit_unassigned_tickets: bool = managed("le", &[], ClaimKind::Flag, "Can Edit Tickets Which Are Not Assigned To Them"),
    // Feature access levels.
    crm_access: String = kept("Ex", &[], ACCESS, "CRM Access Level"),
    calendars_access: String = kept("Ax", &["Calendar_Level"], ACCESS, "Calendars and Appointments Access Level"),
    knowledge_base_access: String = kept("Bx", &["KB_Level"], ACCESS, "Knowledge Base Access Level"),
    suppliers_access: String = kept("Sx", &[], ACCESS, "Suppliers Access Level"),
    sales_access: String = kept("Ox", &[], ACCESS, "Sales Access Level"),
    quotations_access: String = kept("Qx", &[], ACCESS, "Quotations Access Level"),
    sales_orders_access: String = kept("Yx", &[], ACCESS, "Sales Orders Access Level"),
    purchase_orders_access: String = kept("Zx", &[], ACCESS, "Purchase Orders Access Level"),
    billing_details_access: String = kept("Jx", &[], ACCESS, "Billing Details Access Level"),
    reporting_access: String = kept("Rx", &[], ACCESS, "Reporting Access Level"),
    client_contracts_access: String = kept("Cx", &[], ACCESS, "Client Contracts Access Level"),
    supplier_contracts_access: String = kept("Gx", &[], ACCESS, "Supplier Contracts Access Level"),
    services_access: String = kept("Vx", &[], ACCESS, "Services Access Level"),
    software_releases_access: String = kept("Wx", &[], ACCESS, "Software Releases Access Level"),
    software_licencing_access: String = kept("Lx", &[], ACCESS, "Software Licencing Access Level"),
    document_management_access: String = kept("Mx", &[], ACCESS, "Document Management Access Level"),
    mail_campaign_access: String = kept("Nx", &[], ACCESS, "Mail Campaign Access Level"),
    projects_access: String = kept("Px", &[], ACCESS, "Projects Access Level"),
    items_access: String = kept("Ix", &[], NAMES_ACCESS, "Items Access Level"),
    assets_access: String = kept("Dx", &["Assets_Level"], REMOVE_ACCESS, "Assets Access Level"),
    invoices_access: String = kept("Xx", &[], REMOVE_ACCESS, "Invoices Access Level"),
    distribution_lists_access: String = kept("Kx", &[], SEND_ACCESS, "Distribution Lists Access Level"),
    timesheets_access: String = kept("Hx", &[], TIMESHEET_ACCESS, "Timesheets Access Level"),
    // Yes/no permissions.
    can_change_ticket_type: bool = kept("lc", &[], ClaimKind::Flag, "Can change a Ticket's type"),
    can_reassign_tickets: bool = kept("l7", &[], ClaimKind::Flag, "Can re-assign Tickets"),
    can_edit_advanced_details: bool = kept("l1", &[], ClaimKind::Flag, "Can edit advanced details"),
    can_assign_outside_own_teams: bool = kept("ld", &[], ClaimKind::Flag, "Can assign to Agents outside their own Teams"),
    can_override_max_priority_escalation: bool = kept("lj", &[], ClaimKind::Flag, "Can override the maximum priority escalation"),
    can_override_ticket_review: bool = kept("lh", &[], ClaimKind::Flag, "Can override Ticket review"),
    can_treat_as_spam: bool = kept("ll", &[], ClaimKind::Flag, "Can treat Tickets as spam"),
    can_export_tickets: bool = kept("lm", &[], ClaimKind::Flag, "Can export Tickets"),
    can_change_status_outside_actions: bool = kept("lo", &[], ClaimKind::Flag, "Can change statuses outside of actions"),
    can_remove_todo_items: bool = kept("Td", &[], ClaimKind::Flag, "Can remove to-do items"),
    all_ticket_types: bool = kept("Ft", &[], ClaimKind::Flag, "Access to all Ticket Types"),
    all_clients: bool = kept("Fc", &[], ClaimKind::Flag, "Access to all Clients"),
    all_asset_fields: bool = kept("Ff", &[], ClaimKind::Flag, "Access to all Asset fields"),
    all_asset_types: bool = kept("Fa", &[], ClaimKind::Flag, "Access to all Asset Types"),
    can_override_approval_results: bool = kept("l2", &[], ClaimKind::Flag, "Can override approval results"),
    can_view_item_costs: bool = kept("li", &[], ClaimKind::Flag, "Can view Item costs"),
    can_view_agent_costs: bool = kept("A1", &[], ClaimKind::Flag, "Can view Agent costs"),
    can_create_ticket_types: bool = kept("At", &[], ClaimKind::Flag, "May create Ticket Types"),
    can_create_scheduled_tickets: bool = kept("As", &[], ClaimKind::Flag, "May create scheduled Tickets"),
    can_create_global_templates: bool = kept("lt", &[], ClaimKind::Flag, "May create global templates"),
    can_create_dashboards: bool = kept("ly", &[], ClaimKind::Flag, "May create dashboards"),
    can_create_sql_data_sources: bool = kept("Ad", &[], ClaimKind::Flag, "May create SQL data sources"),
    can_create_custom_fields: bool = kept("ls", &[], ClaimKind::Flag, "May create custom fields"),
    can_create_field_groups: bool = kept("Af", &[], ClaimKind::Flag, "May create field groups"),
    can_create_message_groups: bool = kept("mg", &[], ClaimKind::Flag, "May create message groups"),
    can_create_ticket_rules: bool = kept("Ar", &[], ClaimKind::Flag, "May create Ticket rules"),
    can_create_roles: bool = kept("Av", &[], ClaimKind::Flag, "May create roles"),
    can_create_slas: bool = kept("Az", &[], ClaimKind::Flag, "May create SLAs"),
    can_create_languages: bool = kept("Al", &[], ClaimKind::Flag, "May create languages"),
    can_create_quote_group_templates: bool = kept("Aq", &[], ClaimKind::Flag, "May create quote group templates"),
    can_create_chat_profiles: bool = kept("Cp", &[], ClaimKind::Flag, "May create chat profiles"),
    can_create_faq_lists: bool = kept("Fl", &[], ClaimKind::Flag, "May create FAQ lists"),
    can_change_active_state: bool = kept("lk", &[], ClaimKind::Flag, "Can change the active state"),
    can_publish_reports: bool = kept("Ru", &[], ClaimKind::Flag, "Can publish reports"),
    can_view_powershell_results: bool = kept("lu", &[], ClaimKind::Flag, "Can view PowerShell results"),
    can_queue_scripts: bool = kept("lv", &[], ClaimKind::Flag, "Can queue scripts"),
    can_access_approvals_page: bool = kept("l3", &[], ClaimKind::Flag, "Can access the approvals page"),
    // Other kinds of value.
    action_editing: String = kept("l5", &[], OWN_ALL_3, "Editing of actions"),
    appointment_editing: String = kept("lb", &[], OWN_ALL_3, "Editing of appointments"),
    appointment_deleting: String = kept("lr", &[], OWN_ALL_3, "Deleting of appointments"),
    appointment_adding: String = kept("lg", &[], OWN_ALL_2, "Adding of appointments"),
    appointment_visibility: String = kept("lz", &[], VISIBILITY, "Visibility of appointments"),
    item_prices: String = kept("pi", &[], PRICES, "Item prices"),
    password_fields: String = kept("la", &[], PASSWORDS, "Password fields"),
    can_edit_own_preferences: bool = kept("l0", &[], ClaimKind::TextFlag, "Can edit their own preferences"),
    can_edit_own_notifications: bool = kept("ln", &[], ClaimKind::TextFlag, "Can edit their own notifications"),
}

/// A permission's value type (`String` for levels, `bool` for flags), read
/// from a claim.
trait Claimed: Sized {
    /// The value of the claim value `claim` (`None`: no claim) for `p`; `None`
    /// where the attribute is null. A type that does not fit `p`'s kind reads
    /// `None` (a unit test checks that every row's type fits its kind).
    fn read(p: &Permission, claim: Option<&str>) -> Option<Self>;
}

impl Claimed for String {
    fn read(p: &Permission, claim: Option<&str>) -> Option<Self> {
        value_of(p, claim).as_str().map(str::to_owned)
    }
}

impl Claimed for bool {
    fn read(p: &Permission, claim: Option<&str>) -> Option<Self> {
        value_of(p, claim).as_bool()
    }
}

/// One claim of a role as Halo holds it, `{type, value}`: the elements of
/// `extra_claims` (claims the permissions table does not own) and of the data
/// source's raw `claims`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawClaim {
    pub kind: String,
    pub value: String,
}

/// The attributes of a [`RawClaim`] object (Halo's own names for them): a
/// hand-written [`Field`], since `type` cannot name a `model!` field.
impl RawClaim {
    const TYPE: &'static str = "type";
    const VALUE: &'static str = "value";
}

impl Field for RawClaim {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::Object(
            [(Self::TYPE, Type::String), (Self::VALUE, Type::String)]
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect(),
        ))
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        let attrs = object_attrs(value, path, &[Self::TYPE, Self::VALUE])?;
        let text =
            |name: &str| String::decode(attrs.get(name).unwrap_or(&Value::Null), &path.attr(name));
        Ok(RawClaim {
            kind: text(Self::TYPE)?,
            value: text(Self::VALUE)?,
        })
    }
    fn encode(&self) -> Value {
        Value::Object(
            [(Self::TYPE, &self.kind), (Self::VALUE, &self.value)]
                .into_iter()
                .map(|(n, v)| (n.to_string(), Value::string(v.clone())))
                .collect(),
        )
    }
}

impl From<&Claim> for RawClaim {
    fn from(c: &Claim) -> Self {
        RawClaim {
            kind: c.kind.clone(),
            value: c.value.clone(),
        }
    }
}

impl Permission {
    /// Whether a claim of this type holds this permission (its code or a legacy name).
    pub fn holds(&self, kind: &str) -> bool {
        let kind = kind.trim();
        // Codes are case-sensitive in Halo's reports (`Ax` and `A1`, `lf` and `Fl`
        // are different permissions); legacy names are matched without case.
        kind == self.claim || self.legacy.iter().any(|l| l.eq_ignore_ascii_case(kind))
    }
}

/// The permission a claim type holds, if any.
pub fn permission_of(kind: &str) -> Option<&'static Permission> {
    PERMISSIONS.iter().find(|p| p.holds(kind))
}

/// Whether the permissions table owns claims of this type (a permission's code or
/// legacy name).
pub fn owned_claim(kind: &str) -> bool {
    permission_of(kind).is_some()
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RoleModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .semantic_equality(crate::framework::Semantic::IgnoreCase)
            .description("The role's Halo id (a GUID)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The role's name (1 to 255 characters)."),
        description: Option<String> = optional()
            .description("A description of the role (Halo's notes)."),
        permissions: Permissions = optional_computed()
            .default(default_object(&Permissions::attributes()))
            .description(
                "What agents holding this role may do, as Halo's role screen shows it \
                 (Feature Access). The first nine (tickets, clients and users access and \
                 the ticket permissions) are managed whole: each one left out is at its \
                 default (`none` or `false`), and leaving the whole object out gives the \
                 role none of them. Every other permission left out keeps the value Halo \
                 holds (null when the role has no such claim).",
            ),
        extra_claims: Option<BTreeSet<RawClaim>> = optional_computed()
            .use_state_for_unknown()
            .description(
                "Every claim of the role whose type `permissions` does not own (e.g. \
                 `SA`, administrator), as `{type, value}` objects exactly as Halo holds \
                 them. Left out, the role keeps the ones it has (an imported role keeps \
                 all its claims); set, it is the whole list of such claims.",
            ),
    }
}

impl RoleModel {
    fn from_halo(r: Role) -> Self {
        let claims = r.claims.as_deref().unwrap_or_default();
        RoleModel {
            id: r.id,
            name: r.name.unwrap_or_default(),
            description: non_empty(r.notes),
            permissions: permissions_from_claims(claims),
            extra_claims: Some(
                claims
                    .iter()
                    .filter(|c| !owned_claim(&c.kind))
                    .map(RawClaim::from)
                    .collect(),
            ),
        }
    }

    /// The Halo role for a create (`id: None`) or an update of a role whose claims
    /// are `current`: the whole claims list (see [`claims_for`]).
    fn to_halo(&self, id: Option<String>, current: &[Claim]) -> Result<Role, Diagnostic> {
        let extra: Vec<Claim> = match &self.extra_claims {
            Some(set) => set
                .iter()
                .map(|c| Claim {
                    kind: c.kind.clone(),
                    value: c.value.clone(),
                })
                .collect(),
            None => current
                .iter()
                .filter(|c| !owned_claim(&c.kind))
                .cloned()
                .collect(),
        };
        let mut claims = claims_for(&self.permissions, current)?;
        claims.extend(extra);
        Ok(Role {
            id,
            name: Some(self.name.clone()),
            notes: or_cleared(&self.description),
            claims: Some(claims),
            ..Role::default()
        })
    }
}

fn permission_attribute(p: &Permission) -> Attribute {
    let code = format!("`{}`", p.claim);
    let legacy = if p.legacy.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = p.legacy.iter().map(|l| format!("`{l}`")).collect();
        format!(" (older roles: {})", names.join(", "))
    };
    // A managed permission's default is in its own description line.
    let kept = if p.managed {
        ""
    } else {
        " Left out, it keeps the value Halo holds."
    };
    match p.kind {
        ClaimKind::Levels(words, codes) => {
            let values: Vec<String> = words
                .iter()
                .zip(codes.iter())
                .map(|(w, c)| format!("`{w}` (`\"{c}\"`)"))
                .collect();
            let attr = Attribute::string().validate(one_of_or_halo(words));
            let attr = if p.managed {
                attr.default(Value::string(words[0]))
            } else {
                attr.optional_computed()
            };
            attr.description(format!(
                "{}: claim {code}{legacy}. One of {}; `halo:VALUE` keeps a claim value \
                 Halo holds that has no such word.{kept}",
                p.label,
                values.join(", ")
            ))
        }
        ClaimKind::Flag | ClaimKind::TextFlag => {
            let [yes, no] = match p.kind {
                ClaimKind::TextFlag => ["true", "false"],
                _ => ["1", "0"],
            };
            let attr = Attribute::bool();
            let attr = if p.managed {
                attr.default(Value::Bool(false))
            } else {
                attr.optional_computed()
            };
            attr.description(format!(
                "{}: claim {code}{legacy}, `\"{yes}\"` for `true`, `\"{no}\"` for `false`.{kept}",
                p.label
            ))
        }
    }
}

/// The claim of a permission in `claims`: its code first, else a legacy name.
fn claim_of<'a>(p: &Permission, claims: &'a [Claim]) -> Option<&'a Claim> {
    claims
        .iter()
        .find(|c| c.kind.trim() == p.claim)
        .or_else(|| claims.iter().find(|c| p.holds(&c.kind)))
}

/// A permission's attribute value for a claim value (`None`: no claim).
fn value_of(p: &Permission, claim: Option<&str>) -> Value {
    let raw = claim.map(str::trim);
    match p.kind {
        ClaimKind::Levels(words, codes) => match raw {
            None | Some("") if p.managed => Value::string(words[0]),
            None | Some("") => Value::Null,
            Some(v) => Value::String(
                codes
                    .iter()
                    .position(|c| c.eq_ignore_ascii_case(v))
                    .map_or_else(|| format!("{HALO_PREFIX}{v}"), |i| words[i].to_string()),
            ),
        },
        ClaimKind::Flag | ClaimKind::TextFlag => {
            match raw {
                None if !p.managed => Value::Null,
                v => Value::Bool(v.is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes")
                })),
            }
        }
    }
}

/// The claim value a permission's attribute value writes.
fn code_of(p: &Permission, value: &Value) -> Result<String, Diagnostic> {
    match (p.kind, value) {
        (ClaimKind::Levels(words, codes), Value::String(word)) => {
            match word.strip_prefix(HALO_PREFIX) {
                // Halo's own value, kept as it is.
                Some(raw) => Ok(raw.trim().to_string()),
                None => words
                    .iter()
                    .position(|w| w == word)
                    .map(|i| codes[i].to_string())
                    .ok_or_else(|| bad_permission(p, &format!("{word:?}"))),
            }
        }
        (ClaimKind::Flag, Value::Bool(b)) => Ok(if *b { "1" } else { "0" }.to_string()),
        (ClaimKind::TextFlag, Value::Bool(b)) => Ok(b.to_string()),
        (_, other) => Err(bad_permission(p, &format!("{other:?}"))),
    }
}

/// Reads permissions from Halo's claims: a code first, else a legacy name. An absent
/// claim is `none` / `false` for the managed nine and null for the others; a value
/// this provider has no word for is kept as `halo:VALUE`, so the plan shows it.
pub fn permissions_from_claims(claims: &[Claim]) -> Permissions {
    Permissions::from_claims(claims)
}

/// The claims of a role's permissions, given the role's `current` claims (none for a
/// create). A permission whose claim already reads as planned keeps that claim as it
/// is (a legacy name included); a changed one is written as its code, replacing
/// every claim that held it. A managed permission always has a claim (explicit
/// `"0"` for its default); any other one left null keeps its claims as they are.
pub fn claims_for(perms: &Permissions, current: &[Claim]) -> Result<Vec<Claim>, Diagnostic> {
    let mut out = Vec::new();
    for p in PERMISSIONS {
        let held: Vec<&Claim> = current.iter().filter(|c| p.holds(&c.kind)).collect();
        let planned = match Some(perms.get(p.name)).filter(|v| !v.is_null() && !v.is_unknown()) {
            Some(v) => v,
            None if p.managed => value_of(p, None),
            None => {
                out.extend(held.into_iter().cloned());
                continue;
            }
        };
        let as_held = claim_of(p, current).map(|c| value_of(p, Some(&c.value)));
        if !held.is_empty() && as_held.as_ref() == Some(&planned) {
            out.extend(held.into_iter().cloned());
        } else {
            out.push(Claim {
                kind: p.claim.to_string(),
                value: code_of(p, &planned)?,
            });
        }
    }
    Ok(out)
}

fn bad_permission(p: &Permission, got: &str) -> Diagnostic {
    let path = AttrPath::root(RoleModel::permissions).attr(p.name);
    let expected = match p.kind {
        ClaimKind::Levels(words, _) => words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        ClaimKind::Flag | ClaimKind::TextFlag => "true, false".to_string(),
    };
    Diagnostic::attribute_error(
        path.clone(),
        format!("Invalid value for {path}"),
        format!("{path} {got} is not one of {expected}."),
    )
}

/// The plan of `permissions` for the permissions that keep Halo's claims when left
/// out: the value in state (what Halo holds), not the null a default would give.
fn keep_unset_permissions(prior: &Value, config: &Value, plan: &mut Planned) {
    let configured = config.attr(RoleModel::permissions);
    let held = prior.attr(RoleModel::permissions);
    let Some(Value::Object(planned)) = plan.state.attr_mut(RoleModel::permissions) else {
        return;
    };
    for p in PERMISSIONS.iter().filter(|p| !p.managed) {
        if configured.attr(p.name).is_null() {
            planned.insert(p.name.to_string(), held.attr(p.name).clone());
        }
    }
}

#[async_trait]
impl ObjectResource for RoleResource {
    const TYPE_NAME: &'static str = "halopsa_role";
    const DESCRIPTION: &'static str =
        "An agent role (Configuration > Teams & Agents > Roles) with its permissions. \
         Agents get roles through `halopsa_agent.role_ids`; a role's departments are \
         managed with `halopsa_role_department`.";
    /// Every role, with its permissions.
    const DETAILS: bool = true;
    /// Halo fields named in Halo's refusals, and the attribute to point at.
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("claims", RoleModel::permissions),
        ("notes", RoleModel::description),
    ];
    type Model = RoleModel;
    type Filter = NameFilter;
    type Object = Role;

    fn modify_plan(&self, prior: &Value, config: &Value, plan: &mut Planned) {
        if !plan.state.is_null() {
            keep_unset_permissions(prior, config, plan);
        }
    }

    fn from_halo(r: Role) -> RoleModel {
        RoleModel::from_halo(r)
    }

    /// An update starts from the claims the role holds now, so that claims no
    /// attribute changes are written back exactly as Halo has them.
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &RoleModel,
        write: &Write<'_, RoleModel, String>,
    ) -> Result<Role, Diagnostics> {
        let current = match write.id() {
            None => Vec::new(),
            Some(id) => halo
                .get::<Role>(id, true)
                .await
                .map_err(|e| halo_diagnostic(&e))?
                .and_then(|r| r.claims)
                .unwrap_or_default(),
        };
        Ok(plan.to_halo(write.id(), &current)?)
    }

    /// The answer to a write may leave the claims out; then they are read back.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: Role,
        _plan: &RoleModel,
        _write: &Write<'_, RoleModel, String>,
    ) -> Result<RoleModel, ApplyError<RoleModel>> {
        with_details::<Self>(halo, saved, |r| r.claims.is_some()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(kind: &str, value: &str) -> Claim {
        Claim {
            kind: kind.into(),
            value: value.into(),
        }
    }

    fn perm(name: &str) -> &'static Permission {
        PERMISSIONS.iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn names_codes_and_legacy_names_are_unique() {
        let mut names = BTreeSet::new();
        let mut types = BTreeSet::new();
        for p in PERMISSIONS {
            assert!(names.insert(p.name), "{}", p.name);
            assert!(types.insert(p.claim.to_string()), "{}", p.claim);
            for l in p.legacy {
                assert!(types.insert(l.to_ascii_lowercase()), "{l}");
            }
            if let ClaimKind::Levels(words, codes) = p.kind {
                assert_eq!(words.len(), codes.len(), "{}", p.name);
            }
        }
        assert_eq!(PERMISSIONS.iter().filter(|p| p.managed).count(), 9);
        assert!(!owned_claim("SA") && !owned_claim("Administration"));
    }

    /// Each row's field holds its kind's values (a string for levels, a bool
    /// for flags), so no claim reads as null for want of a type.
    #[test]
    fn every_permission_field_fits_its_kind() {
        let attrs = <Permissions as crate::framework::Model>::attributes();
        assert_eq!(attrs.len(), PERMISSIONS.len());
        for ((name, attr), p) in attrs.iter().zip(PERMISSIONS) {
            assert_eq!(*name, p.name);
            let wanted = match p.kind {
                ClaimKind::Levels(..) => Type::String,
                ClaimKind::Flag | ClaimKind::TextFlag => Type::Bool,
            };
            assert_eq!(attr.value_type(), wanted, "{name}");
        }
    }

    #[test]
    fn no_claims_means_no_managed_permissions_and_null_others() {
        let perms = permissions_from_claims(&[]);
        assert_eq!(perms.get("tickets_access"), Value::string("none"));
        assert_eq!(perms.get("can_delete_tickets"), Value::Bool(false));
        assert_eq!(
            PERMISSIONS
                .iter()
                .filter(|p| !perms.get(p.name).is_null())
                .count(),
            9
        );
        assert!(perms.get("crm_access").is_null());
    }

    #[test]
    fn permissions_write_the_codes() {
        let perms = Permissions {
            tickets_access: Some("read_modify".into()),
            users_access: Some("view_names_only".into()),
            can_add_tickets: Some(true),
            can_edit_own_preferences: Some(true),
            ..permissions_from_claims(&[])
        };
        let claims = claims_for(&perms, &[]).unwrap();
        assert!(claims.contains(&claim("Tx", "2")));
        assert!(claims.contains(&claim("Fx", "1")));
        assert!(claims.contains(&claim("Ux", "0")));
        assert!(claims.contains(&claim("l6", "1")));
        assert!(claims.contains(&claim("l4", "0")));
        assert!(claims.contains(&claim("l0", "true")));
        assert_eq!(claims.len(), 10);
        assert_eq!(permissions_from_claims(&claims), perms);
    }

    #[test]
    fn legacy_names_read_as_the_permission_and_a_change_writes_the_code() {
        let current = [
            claim("Ticket_Level", "2"),
            claim("Can_Log_Tickets", "1"),
            claim("Calendar_Level", "1"),
            claim("SA", "true"),
        ];
        let perms = permissions_from_claims(&current);
        assert_eq!(perms.get("tickets_access"), Value::string("read_modify"));
        assert_eq!(perms.get("can_add_tickets"), Value::Bool(true));
        assert_eq!(perms.get("calendars_access"), Value::string("read_only"));
        // Unchanged: the legacy claims stay as they are.
        let same = claims_for(&perms, &current).unwrap();
        assert!(same.contains(&claim("Ticket_Level", "2")));
        assert!(same.contains(&claim("Calendar_Level", "1")));
        assert!(!same.iter().any(|c| c.kind == "Tx" || c.kind == "Ax"));
        // Changed: the code replaces the legacy claim.
        let mut changed = perms.clone();
        changed.tickets_access = Some("read_only".into());
        let written = claims_for(&changed, &current).unwrap();
        assert!(written.contains(&claim("Tx", "1")));
        assert!(!written.iter().any(|c| c.kind == "Ticket_Level"));
    }

    #[test]
    fn unknown_word_names_the_attribute_and_halo_values_are_kept() {
        let perms = Permissions {
            clients_access: Some("everything".into()),
            ..Permissions::default()
        };
        let err = claims_for(&perms, &[]).unwrap_err();
        assert_eq!(
            err.path.map(|p| p.to_string()).as_deref(),
            Some("permissions.clients_access")
        );
        let read = permissions_from_claims(&[claim("Tx", "7")]);
        assert_eq!(read.get("tickets_access"), Value::string("halo:7"));
        assert!(claims_for(&read, &[]).unwrap().contains(&claim("Tx", "7")));
        assert_eq!(
            value_of(perm("assets_access"), Some("3")),
            Value::string("read_modify_remove")
        );
    }

    #[test]
    fn claims_outside_the_table_are_kept() {
        let role = Role {
            id: Some("g".into()),
            name: Some("r".into()),
            claims: Some(vec![
                claim("Tx", "1"),
                claim("SA", "true"),
                claim("Ex", "2"),
            ]),
            ..Role::default()
        };
        let current = role.claims.clone().unwrap();
        let model = RoleModel::from_halo(role);
        let extra: Vec<_> = model.extra_claims.iter().flatten().cloned().collect();
        assert_eq!(extra, [RawClaim::from(&claim("SA", "true"))]);
        assert_eq!(
            model.permissions.get("crm_access"),
            Value::string("read_modify")
        );
        let back = model
            .to_halo(Some("g".into()), &current)
            .unwrap()
            .claims
            .unwrap();
        assert!(back.contains(&claim("SA", "true")));
        assert!(back.contains(&claim("Tx", "1")));
        assert!(back.contains(&claim("Ex", "2")));
        assert_eq!(back.len(), 9 + 2);
    }
}
