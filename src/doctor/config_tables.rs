//! The checks of the service desk configuration's assumed encodings (issue 23)
//! against the values a tenant holds: the SLA time units and the custom field
//! types. Each compares with the provider's own table; a value outside it
//! contradicts, one inside only fails to contradict (what each means is only on
//! Halo's screen).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::report::{Check, Verdict};
use super::scan::Scan;
use super::tables::{objects, text_of};
use crate::halo::{CustomField, HaloObject, Sla};
use crate::resources::{FIELD_TYPES, TIME_UNITS};

/// Every `responseunits` and `fixunits` of the SLA priorities read is in
/// `TIME_UNITS`. Priorities come with an SLA's details only, so the SLAs read
/// with details are what is checked.
pub fn sla_units(scan: &Scan) -> Check {
    let check = Check::new("sla_units", "TIME_UNITS in src/resources/sla.rs");
    let slas = objects(scan, Sla::PATH);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = 0usize;
    for s in &slas {
        for p in s
            .get("priorities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            rows += 1;
            for key in ["responseunits", "fixunits"] {
                if let Some(u) = p.get(key).filter(|v| !v.is_null()) {
                    *seen.entry(text_of(u)).or_insert(0) += 1;
                }
            }
        }
    }
    let unknown: Vec<&String> = seen
        .keys()
        .filter(|u| !TIME_UNITS.iter().any(|(_, code)| code == u))
        .collect();
    let check = check
        .with("slas", slas.len())
        .with("priorities_seen", rows)
        .with("units_seen", json!(seen))
        .with("provider_units", json!(TIME_UNITS));
    if !unknown.is_empty() {
        let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
        check.verdict(
            Verdict::Contradicted,
            format!(
                "SLA time units the provider does not know: {}",
                list.join(", ")
            ),
        )
    } else if rows == 0 {
        check.verdict(Verdict::Unchecked, "no SLA priority could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!("{rows} SLA priorities, every unit in the provider's table"),
        )
    }
}

/// Every custom field's `type` is in `FIELD_TYPES`.
pub fn custom_field_types(scan: &Scan) -> Check {
    let check = Check::new(
        "custom_field_types",
        "FIELD_TYPES in src/resources/custom_field.rs",
    );
    let fields = objects(scan, CustomField::PATH);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in &fields {
        if let Some(t) = f.get("type").filter(|v| !v.is_null()) {
            *seen.entry(text_of(t)).or_insert(0) += 1;
        }
    }
    let unknown: Vec<&String> = seen
        .keys()
        .filter(|t| !FIELD_TYPES.iter().any(|(_, c)| c.to_string() == **t))
        .collect();
    let check = check
        .with("custom_fields", fields.len())
        .with("types_seen", json!(seen))
        .with("provider_types", json!(FIELD_TYPES));
    if !unknown.is_empty() {
        let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
        check.verdict(
            Verdict::Contradicted,
            format!(
                "custom field types the provider does not know: {}",
                list.join(", ")
            ),
        )
    } else if seen.is_empty() {
        check.verdict(Verdict::Unchecked, "no custom field could be read")
    } else {
        check.verdict(
            Verdict::Confirmed,
            format!(
                "{} custom fields, every type in the provider's table",
                fields.len()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    //! The verdicts on values as Halo would answer them; the scan itself is
    //! tested through the doctor's acceptance tests.
    use super::*;
    use crate::doctor::scan::{KindScan, Listing, Stop};

    fn scan_of(path: &'static str, items: Vec<Value>) -> Scan {
        let spec = crate::doctor::scan::kinds()
            .into_iter()
            .find(|k| k.path == path)
            .expect("a kind");
        Scan {
            kinds: vec![KindScan {
                spec,
                listing: Listing {
                    pages: Vec::new(),
                    items,
                    stop: Stop::Short,
                },
                details_in_list: None,
                detail_reads: Vec::new(),
                detail_miss: None,
            }],
            agents: None,
            paging: None,
            paging_miss: None,
        }
    }

    #[test]
    fn units_and_types_outside_the_tables_contradict() {
        let sla = |u: &str| json!({"id": 1, "priorities": [{"responseunits": "H", "fixunits": u}]});
        let verdict = |c: Check| c.verdict;
        assert_eq!(
            verdict(sla_units(&scan_of("SLA", vec![sla("D")]))),
            Verdict::Confirmed
        );
        assert_eq!(
            verdict(sla_units(&scan_of("SLA", vec![sla("W")]))),
            Verdict::Contradicted
        );
        assert_eq!(
            verdict(sla_units(&scan_of("SLA", vec![]))),
            Verdict::Unchecked
        );
        let field = |t: i64| json!({"id": 1, "type": t});
        assert_eq!(
            verdict(custom_field_types(&scan_of("FieldInfo", vec![field(2)]))),
            Verdict::Confirmed
        );
        assert_eq!(
            verdict(custom_field_types(&scan_of("FieldInfo", vec![field(42)]))),
            Verdict::Contradicted
        );
    }
}
