//! `halopsa_sla`: a service level agreement (Configuration > Tickets > Service
//! Level Agreements) with its priorities: for each priority level, the response
//! and resolution (fix) targets.
//!
//! Halo keeps an SLA's priorities as rows under the SLA (`priorities`, schema
//! `Policy`), answered only with `includedetails=true`; each row has a GUID of its
//! own and the priority number tickets carry (`priorityid`, unique within the SLA).
//! The state holds them as a set keyed by that number. A write sends the whole
//! list: rows kept go back with their GUID and every field Halo sent, so only
//! what the configuration manages changes; rows left out are assumed removed by
//! Halo (docs/halo-api.md, "SLA").
//!
//! The time units are Halo's text (`H`, `D`) \[assumed\] ([`TIME_UNITS`]); a unit
//! the table lacks reads as `halo:X` and may be written so.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_trait::async_trait;

use super::halo_values::{halo_id, HALO_PREFIX};
use super::object::{with_details, write_fields, ObjectResource, Write};
use super::support::{
    halo_error, int_id, non_empty, write_error_on, NameFilter, Named, WriteField,
};
use crate::framework::{
    AttrPath, AttributeKind, Check, Diagnostic, Field, Number, Type, Validator, Value,
};
use crate::halo::{HaloClient, HaloError, Sla, SlaPriority, Workday};

pub struct SlaResource;

/// A time unit of a target: the provider's word and Halo's text \[assumed\]: a
/// public Halo API client's test data shows `"responseunits": "H"` and
/// `"fixunits": "D"`, and Halo's SLA guide offers working hours or days.
pub(crate) const TIME_UNITS: &[(&str, &str)] = &[("hours", "H"), ("days", "D")];
const UNIT_WORDS: &[&str] = &["hours", "days"];

impl Named for Sla {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// The attributes of one element of `priorities`.
const PRIORITY_ID: &str = "priority_id";
const NAME: &str = "name";
const RESPONSE_TIME: &str = "response_time";
const RESPONSE_UNITS: &str = "response_units";
const FIX_TIME: &str = "fix_time";
const FIX_UNITS: &str = "fix_units";
const COLOUR: &str = "colour";

/// One priority of an SLA, as the state holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Priority {
    /// Halo's priority number (`priorityid`), the one tickets carry.
    pub priority_id: i64,
    pub name: String,
    pub response_time: f64,
    pub response_units: String,
    pub fix_time: f64,
    pub fix_units: String,
    pub colour: Option<String>,
}

/// The set of priorities, keyed by `priority_id` (so in that order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Priorities(pub Vec<Priority>);

fn object_type() -> Type {
    let attrs: BTreeMap<String, Type> = [
        (PRIORITY_ID, Type::Number),
        (NAME, Type::String),
        (RESPONSE_TIME, Type::Number),
        (RESPONSE_UNITS, Type::String),
        (FIX_TIME, Type::Number),
        (FIX_UNITS, Type::String),
        (COLOUR, Type::String),
    ]
    .into_iter()
    .map(|(k, t)| (k.to_string(), t))
    .collect();
    Type::Object(attrs)
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        // Whole and well inside i64's range, so the cast is exact.
        Value::Number(Number::Int(f as i64))
    } else {
        Value::Number(Number::Float(f))
    }
}

fn bad(path: &AttrPath, detail: String) -> Diagnostic {
    Diagnostic::error("Invalid priorities", detail).at(path.clone())
}

fn attr<'a>(
    obj: &'a BTreeMap<String, Value>,
    name: &str,
    path: &AttrPath,
) -> Result<&'a Value, Diagnostic> {
    match obj.get(name) {
        Some(Value::Null) | None if name != COLOUR => {
            Err(bad(&path.attr(name), format!("{name} must be set")))
        }
        Some(v) => Ok(v),
        None => Ok(&Value::Null),
    }
}

fn num(v: &Value, path: &AttrPath) -> Result<f64, Diagnostic> {
    match v {
        Value::Number(Number::Int(i)) => Ok(*i as f64),
        Value::Number(Number::Float(f)) => Ok(*f),
        other => Err(bad(path, format!("a number is required, got {other:?}"))),
    }
}

fn text(v: &Value, path: &AttrPath) -> Result<String, Diagnostic> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| bad(path, format!("a string is required, got {v:?}")))
}

impl Priority {
    fn decode(value: &Value, path: &AttrPath) -> Result<Priority, Diagnostic> {
        let Value::Object(obj) = value else {
            return Err(bad(path, format!("an object is required, got {value:?}")));
        };
        let id = num(attr(obj, PRIORITY_ID, path)?, &path.attr(PRIORITY_ID))?;
        Ok(Priority {
            priority_id: id as i64,
            name: text(attr(obj, NAME, path)?, &path.attr(NAME))?,
            response_time: num(attr(obj, RESPONSE_TIME, path)?, &path.attr(RESPONSE_TIME))?,
            response_units: text(attr(obj, RESPONSE_UNITS, path)?, &path.attr(RESPONSE_UNITS))?,
            fix_time: num(attr(obj, FIX_TIME, path)?, &path.attr(FIX_TIME))?,
            fix_units: text(attr(obj, FIX_UNITS, path)?, &path.attr(FIX_UNITS))?,
            colour: match attr(obj, COLOUR, path)? {
                Value::Null => None,
                v => Some(text(v, &path.attr(COLOUR))?),
            },
        })
    }

    fn encode(&self) -> Value {
        Value::Object(BTreeMap::from([
            (
                PRIORITY_ID.to_string(),
                Value::Number(Number::Int(self.priority_id)),
            ),
            (NAME.to_string(), Value::string(&self.name)),
            (RESPONSE_TIME.to_string(), number(self.response_time)),
            (
                RESPONSE_UNITS.to_string(),
                Value::string(&self.response_units),
            ),
            (FIX_TIME.to_string(), number(self.fix_time)),
            (FIX_UNITS.to_string(), Value::string(&self.fix_units)),
            (
                COLOUR.to_string(),
                self.colour.as_deref().map_or(Value::Null, Value::string),
            ),
        ]))
    }
}

impl Field for Priorities {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::set(object_type()))
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        match value {
            Value::Set(items) | Value::List(items) => {
                let mut all = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Priority::decode(v, &path.index(i as i64)))
                    .collect::<Result<Vec<_>, _>>()?;
                all.sort_by_key(|p| p.priority_id);
                Ok(Priorities(all))
            }
            Value::Null => Err(bad(path, "priorities must not be null".to_string())),
            other => Err(bad(path, format!("a set is required, got {other:?}"))),
        }
    }
    fn encode(&self) -> Value {
        Value::Set(self.0.iter().map(Priority::encode).collect())
    }
}

/// The plan-time rules of `priorities`: priority numbers of at least 1, each
/// once; a name; targets not negative; units the provider knows (or `halo:X`).
/// Unknown values are left for the apply.
#[derive(Debug)]
struct PriorityRules;

impl Check for PriorityRules {
    fn check(&self, v: &Value) -> Result<(), String> {
        let (Value::Set(items) | Value::List(items)) = v else {
            return Ok(());
        };
        let mut seen = BTreeSet::new();
        for item in items {
            let Value::Object(obj) = item else { continue };
            if let Some(Value::Number(n)) = obj.get(PRIORITY_ID) {
                match n.as_i64() {
                    Some(i) if i >= 1 => {
                        if !seen.insert(i) {
                            return Err(format!("{PRIORITY_ID} {i} is given more than once"));
                        }
                    }
                    _ => {
                        return Err(format!(
                            "{PRIORITY_ID} must be a whole number of at least 1, got {n}"
                        ))
                    }
                }
            }
            if let Some(Value::String(s)) = obj.get(NAME) {
                if s.trim().is_empty() {
                    return Err(format!("the {NAME} of a priority must not be empty"));
                }
            }
            for time in [RESPONSE_TIME, FIX_TIME] {
                if let Some(Value::Number(n)) = obj.get(time) {
                    let f = match n {
                        Number::Int(i) => *i as f64,
                        Number::Float(f) => *f,
                    };
                    if f < 0.0 || !f.is_finite() {
                        return Err(format!("{time} must not be negative, got {n}"));
                    }
                }
            }
            for units in [RESPONSE_UNITS, FIX_UNITS] {
                if let Some(Value::String(s)) = obj.get(units) {
                    let raw = s.strip_prefix(HALO_PREFIX).map(str::trim);
                    if !UNIT_WORDS.contains(&s.as_str()) && raw.is_none_or(|r| r.is_empty()) {
                        return Err(format!(
                            "{units} {s:?} is not \"hours\" or \"days\" (or \"{HALO_PREFIX}\" \
                             followed by Halo's own unit)"
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct SlaModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The SLA's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The SLA's name (1 to 255 characters)."),
        workday_id: String = required()
            .references("halopsa_workday")
            .validate(halo_id())
            .description(
                "The id of the work hours the SLA's clock runs in (see the \
                 `halopsa_workday` data source).",
            ),
        priorities: Priorities = optional_computed()
            .default(Value::Set(Vec::new()))
            .validate(Validator::Custom(Arc::new(PriorityRules)))
            .description(
                "The SLA's priorities, one object per priority level, each with every \
                 key: `priority_id` (Halo's priority number, the one tickets carry: a \
                 whole number of at least 1, each once), `name`, `response_time` and \
                 `fix_time` (the response and resolution targets, not negative, \
                 fractions allowed), `response_units` and `fix_units` (`hours` or \
                 `days`, working time of `workday_id`; or `halo:X`, Halo's own unit \
                 text) and `colour` (e.g. `#ff0000`, or null).",
            ),
    }
}

/// The provider's word for Halo's unit text, or `halo:X` when the table lacks it.
fn unit_word(raw: Option<&str>) -> String {
    let raw = raw.unwrap_or_default();
    TIME_UNITS
        .iter()
        .find(|(_, code)| *code == raw)
        .map_or_else(|| format!("{HALO_PREFIX}{raw}"), |(w, _)| (*w).to_string())
}

/// Halo's unit text for a word (or a `halo:X`); an error on `priorities` otherwise.
fn unit_code(word: &str) -> Result<String, Diagnostic> {
    if let Some((_, code)) = TIME_UNITS.iter().find(|(w, _)| *w == word) {
        return Ok((*code).to_string());
    }
    word.strip_prefix(HALO_PREFIX)
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            crate::framework::attr_error(
                SlaModel::priorities,
                format!("Invalid {}", SlaModel::priorities),
                format!("the unit {word:?} has no Halo encoding (use \"{HALO_PREFIX}X\")."),
            )
        })
}

impl SlaModel {
    fn from_halo(s: Sla) -> Self {
        let mut priorities: Vec<Priority> = s
            .priorities
            .unwrap_or_default()
            .into_iter()
            .map(|p| Priority {
                priority_id: p.priorityid,
                name: p.name.unwrap_or_default(),
                response_time: p.responsetime.unwrap_or_default(),
                response_units: unit_word(p.responseunits.as_deref()),
                fix_time: p.fixtime.unwrap_or_default(),
                fix_units: unit_word(p.fixunits.as_deref()),
                colour: non_empty(p.colour),
            })
            .collect();
        priorities.sort_by_key(|p| p.priority_id);
        SlaModel {
            id: s.id.map(|i| i.to_string()),
            name: s.name.unwrap_or_default(),
            workday_id: s
                .workday_id
                .filter(|w| *w > 0)
                .map(|w| w.to_string())
                .unwrap_or_default(),
            priorities: Priorities(priorities),
        }
    }
}

/// The rows to send for `wanted`, built on Halo's `current` rows: a kept row
/// (same `priorityid`) keeps its GUID and every field Halo sent.
fn rows(wanted: &Priorities, current: &[SlaPriority]) -> Result<Vec<SlaPriority>, Diagnostic> {
    wanted
        .0
        .iter()
        .map(|p| {
            let base = current
                .iter()
                .find(|r| r.priorityid == p.priority_id)
                .cloned()
                .unwrap_or_default();
            Ok(SlaPriority {
                priorityid: p.priority_id,
                name: Some(p.name.clone()),
                responsetime: Some(p.response_time),
                responseunits: Some(unit_code(&p.response_units)?),
                fixtime: Some(p.fix_time),
                fixunits: Some(unit_code(&p.fix_units)?),
                colour: Some(p.colour.clone().unwrap_or_default()),
                ..base
            })
        })
        .collect()
}

#[async_trait]
impl ObjectResource for SlaResource {
    const TYPE_NAME: &'static str = "halopsa_sla";
    const DESCRIPTION: &'static str =
        "A service level agreement (Configuration > Tickets > Service Level Agreements): \
         its work hours and, per priority level, the response and resolution targets.";
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("priorityid", SlaModel::priorities),
    ];
    type Model = SlaModel;
    type Filter = NameFilter;
    type Object = Sla;

    fn from_halo(s: Sla) -> SlaModel {
        SlaModel::from_halo(s)
    }

    /// The priorities are sent by a create, and by an update only when they
    /// changed, built on the rows Halo holds now (read with the SLA's details).
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &SlaModel,
        write: &Write<'_, SlaModel, i64>,
    ) -> Result<Sla, crate::framework::Diagnostics> {
        let workday_id = int_id(Some(&plan.workday_id), SlaModel::workday_id)?;
        let priorities = match (write.prior(), write.id()) {
            (Some(prior), _) if prior.priorities == plan.priorities => None,
            (Some(_), Some(id)) => {
                let current = halo
                    .get::<Sla>(id, true)
                    .await
                    .map_err(halo_error)?
                    .and_then(|s| s.priorities)
                    .unwrap_or_default();
                Some(rows(&plan.priorities, &current)?)
            }
            _ => Some(rows(&plan.priorities, &[])?),
        };
        Ok(Sla {
            id: write.id(),
            name: Some(plan.name.clone()),
            workday_id: Some(workday_id),
            priorities,
        })
    }

    /// On `workday_id` when that is what Halo refused (or the work hours do not
    /// exist), else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Sla) -> Diagnostic {
        write_error_on::<Workday>(
            halo,
            err,
            &write_fields::<Self>(),
            SlaModel::workday_id,
            sent.workday_id,
        )
            .await
    }

    /// A write's answer may leave out the priorities: read back with details.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: Sla,
        _plan: &SlaModel,
        _write: &Write<'_, SlaModel, i64>,
    ) -> Result<SlaModel, crate::framework::ApplyError<SlaModel>> {
        with_details::<Self>(halo, saved, |s| s.priorities.is_some()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, units: &str) -> Priority {
        Priority {
            priority_id: id,
            name: format!("P{id}"),
            response_time: 0.5,
            response_units: units.to_string(),
            fix_time: 8.0,
            fix_units: "days".to_string(),
            colour: None,
        }
    }

    #[test]
    fn priorities_round_trip_through_their_value_in_id_order() {
        let set = Priorities(vec![p(1, "hours"), p(2, "halo:M")]);
        let value = set.encode();
        let Value::Set(items) = &value else {
            panic!("{value:?}")
        };
        let reversed = Value::Set(items.iter().rev().cloned().collect());
        let decoded = Priorities::decode(&reversed, &AttrPath::root("priorities"));
        assert_eq!(decoded.ok(), Some(set));
    }

    #[test]
    fn units_map_to_halo_text_with_the_escape() {
        assert_eq!(unit_word(Some("H")), "hours");
        assert_eq!(unit_word(Some("D")), "days");
        assert_eq!(unit_word(Some("M")), "halo:M");
        assert_eq!(unit_code("hours").ok().as_deref(), Some("H"));
        assert_eq!(unit_code("halo:M").ok().as_deref(), Some("M"));
        assert!(unit_code("weeks").is_err());
    }

    #[test]
    fn kept_rows_keep_their_guid_and_other_fields() {
        let mut extra = serde_json::Map::new();
        extra.insert("ishidden".into(), serde_json::json!(true));
        let current = vec![SlaPriority {
            id: Some("g-1".into()),
            priorityid: 1,
            extra,
            ..SlaPriority::default()
        }];
        let sent = rows(&Priorities(vec![p(1, "hours"), p(3, "days")]), &current).expect("rows");
        assert_eq!(sent[0].id.as_deref(), Some("g-1"));
        assert_eq!(
            sent[0].extra.get("ishidden"),
            Some(&serde_json::json!(true))
        );
        assert_eq!(sent[0].responseunits.as_deref(), Some("H"));
        assert_eq!(sent[1].id, None);
        assert_eq!(sent[1].fixunits.as_deref(), Some("D"));
    }

    #[test]
    fn the_rules_refuse_repeated_ids_bad_units_and_negative_targets() {
        let ok = Priorities(vec![p(1, "hours"), p(2, "halo:M")]).encode();
        assert!(PriorityRules.check(&ok).is_ok());
        let twice = Priorities(vec![p(1, "hours"), p(1, "days")]).encode();
        assert!(PriorityRules
            .check(&twice)
            .unwrap_err()
            .contains("more than once"));
        let weeks = Priorities(vec![p(1, "weeks")]).encode();
        assert!(PriorityRules.check(&weeks).unwrap_err().contains("weeks"));
        let mut neg = p(1, "hours");
        neg.fix_time = -1.0;
        assert!(PriorityRules
            .check(&Priorities(vec![neg]).encode())
            .unwrap_err()
            .contains("fix_time"));
        let zero = Priorities(vec![p(0, "hours")]).encode();
        assert!(PriorityRules.check(&zero).is_err());
    }
}
