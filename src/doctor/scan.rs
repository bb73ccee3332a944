//! What the doctor reads from Halo: every kind the provider manages (all pages,
//! raw shapes kept), one object of each with its details, the agent list with
//! and without the include flags, and two paging probes.

use serde_json::Value;

use super::probe::{Miss, Probe};
use crate::halo::{Agent, Application, HaloObject, Role};

/// The page size the doctor asks for (Halo's page cap as seen).
pub const PAGE_SIZE: usize = 100;

/// One kind the provider manages, described by its model's constants.
#[derive(Clone, Copy)]
pub struct KindSpec {
    /// Path below `/api`.
    pub path: &'static str,
    /// The key the provider expects a wrapped list under.
    pub list_key: &'static str,
    /// The name for people.
    pub kind: &'static str,
    /// The query the provider lists every object with.
    pub list_query: &'static [(&'static str, &'static str)],
    /// Whether a raw object reads as the model with its detail lists
    /// (`None`: it does not read as the model at all).
    pub has_details: fn(&Value) -> Option<bool>,
}

/// The key a wrapped list answer is assumed to hold its array under, per path
/// (docs/halo-api.md, "The shape of every object endpoint": \[seen\] for clients,
/// \[assumed\] for the rest). The client reads any one array-valued key; the doctor
/// reports whether the key is the one expected here.
fn expected_list_key(path: &str) -> &'static str {
    match path {
        "Organisation" => "organisations",
        "TopLevel" => "tree",
        "Team" => "teams",
        "Workday" => "workdays",
        "Agent" => "agents",
        "Roles" => "roles",
        "Application" => "applications",
        "Client" => "clients",
        "Webhook" => "webhooks",
        // No live sample; halo-sim wraps its generic families under the family's
        // name in lower case, and one client reads `/api/Status` as a bare array.
        "Status" => "status",
        "Outcome" => "outcome",
        "Category" => "category",
        _ => "records",
    }
}

impl KindSpec {
    /// The kind of the Halo object `T`, from its model's constants.
    pub(crate) fn of<T: HaloObject>() -> KindSpec {
        KindSpec {
            path: T::PATH,
            list_key: expected_list_key(T::PATH),
            kind: T::KIND,
            list_query: T::LIST_ALL_QUERY,
            has_details: |v| {
                serde_json::from_value::<T>(v.clone())
                    .ok()
                    .map(|o| o.has_details())
            },
        }
    }
}

/// The kinds, most telling first (the registry's order, `resources::scanned`):
/// when the budget runs short, the later ones are the ones cut.
pub fn kinds() -> Vec<KindSpec> {
    crate::resources::scanned()
}

/// The shape of one list answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A bare JSON array.
    Bare,
    /// An object holding the array under `key`; `other_arrays` are further
    /// array-valued keys (which make the choice ambiguous).
    Wrapped {
        key: String,
        other_arrays: Vec<String>,
        record_count: Option<i64>,
    },
    /// An object without any array (its keys).
    NoArray {
        keys: Vec<String>,
        record_count: Option<i64>,
    },
    /// An empty answer.
    Empty,
    /// Not a list at all (a string, number, ...).
    Other(&'static str),
}

impl Shape {
    pub fn record_count(&self) -> Option<i64> {
        match self {
            Shape::Wrapped { record_count, .. } | Shape::NoArray { record_count, .. } => {
                *record_count
            }
            _ => None,
        }
    }
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The array a list answer holds and its shape, found the way the provider's
/// client finds it: the expected key, the same key in another case, else the
/// first array-valued key.
pub fn split_list(answer: Value, list_key: &str) -> (Shape, Vec<Value>) {
    match answer {
        Value::Null => (Shape::Empty, Vec::new()),
        Value::Array(items) => (Shape::Bare, items),
        Value::Object(mut map) => {
            let record_count = map.get("record_count").and_then(int_of);
            let arrays: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.is_array())
                .map(|(k, _)| k.clone())
                .collect();
            let key = arrays
                .iter()
                .find(|k| k.as_str() == list_key)
                .or_else(|| arrays.iter().find(|k| k.eq_ignore_ascii_case(list_key)))
                .or_else(|| arrays.first())
                .cloned();
            match key {
                Some(key) => {
                    let items = match map.remove(&key) {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    };
                    let other_arrays = arrays.into_iter().filter(|k| *k != key).collect();
                    (
                        Shape::Wrapped {
                            key,
                            other_arrays,
                            record_count,
                        },
                        items,
                    )
                }
                None => (
                    Shape::NoArray {
                        keys: map.keys().cloned().collect(),
                        record_count,
                    },
                    Vec::new(),
                ),
            }
        }
        Value::Bool(_) => (Shape::Other("a boolean"), Vec::new()),
        Value::Number(_) => (Shape::Other("a number"), Vec::new()),
        Value::String(_) => (Shape::Other("a string"), Vec::new()),
    }
}

/// Why paging stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// A page shorter than the page size: the last one.
    Short,
    /// An empty page.
    Empty,
    /// A page that repeated the one before (the endpoint ignores paging).
    Repeat,
    /// As many objects as `record_count` said.
    RecordCount,
    /// A page answered more objects than asked for: paging is ignored, this was all.
    Oversized,
    /// The request budget (or the share of it left for this list) ran out.
    Budget,
    /// A request failed.
    Failed(String),
}

impl Stop {
    pub fn complete(&self) -> bool {
        !matches!(self, Stop::Budget | Stop::Failed(_))
    }

    pub fn describe(&self) -> String {
        match self {
            Stop::Short => "a short page".into(),
            Stop::Empty => "an empty page".into(),
            Stop::Repeat => "a page repeating the one before".into(),
            Stop::RecordCount => "record_count reached".into(),
            Stop::Oversized => "a page larger than asked for (paging ignored)".into(),
            Stop::Budget => "the request budget ran out: the list is incomplete".into(),
            Stop::Failed(why) => format!("a request failed: {why}"),
        }
    }
}

/// One list, paged.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Shape and size of each page fetched (repeated pages included).
    pub pages: Vec<(Shape, usize)>,
    /// The objects, pages that repeated left out.
    pub items: Vec<Value>,
    pub stop: Stop,
}

impl Listing {
    /// The first page's shape, if any page came.
    pub fn shape(&self) -> Option<&Shape> {
        self.pages.first().map(|(s, _)| s)
    }
}

fn id_key(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Lists `path` with `query` page by page (`pageinate=true&page_size=N&page_no=P`)
/// until a page is short, empty, repeats the one before, `record_count` is reached,
/// or only `reserve` requests of the budget are left.
pub async fn list_pages(
    probe: &mut Probe,
    path: &str,
    list_key: &str,
    query: &[(&str, &str)],
    page_size: usize,
    reserve: usize,
) -> Listing {
    let size = page_size.to_string();
    let mut listing = Listing {
        pages: Vec::new(),
        items: Vec::new(),
        stop: Stop::Budget,
    };
    let mut previous: Option<Vec<Value>> = None;
    let mut page_no = 1usize;
    loop {
        if probe.remaining() <= reserve {
            listing.stop = Stop::Budget;
            return listing;
        }
        let page = page_no.to_string();
        let mut q: Vec<(&str, &str)> = query.to_vec();
        q.extend([
            ("pageinate", "true"),
            ("page_size", size.as_str()),
            ("page_no", page.as_str()),
        ]);
        let answer = match probe.get(&[path], &q).await {
            Ok(answer) => answer,
            Err(Miss::Budget) => {
                listing.stop = Stop::Budget;
                return listing;
            }
            Err(miss) => {
                listing.stop = Stop::Failed(miss.describe());
                return listing;
            }
        };
        let (shape, items) = split_list(answer, list_key);
        let count = items.len();
        let record_count = shape.record_count();
        listing.pages.push((shape, count));
        if count == 0 {
            listing.stop = Stop::Empty;
            return listing;
        }
        if previous.as_ref() == Some(&items) {
            listing.stop = Stop::Repeat;
            return listing;
        }
        // Same objects in a different order count as a repeat too.
        if let Some(prev) = &previous {
            let ids = |v: &[Value]| {
                let mut ids: Vec<Option<String>> = v.iter().map(id_key).collect();
                ids.sort();
                ids
            };
            if ids(prev) == ids(&items) && ids(&items).iter().all(Option::is_some) {
                listing.stop = Stop::Repeat;
                return listing;
            }
        }
        listing.items.extend(items.iter().cloned());
        if count > page_size {
            listing.stop = Stop::Oversized;
            return listing;
        }
        if count < page_size {
            listing.stop = Stop::Short;
            return listing;
        }
        if record_count.is_some_and(|n| listing.items.len() as i64 >= n) {
            listing.stop = Stop::RecordCount;
            return listing;
        }
        previous = Some(items);
        page_no += 1;
    }
}

/// One object read on its own with `?includedetails=true`.
#[derive(Debug, Clone)]
pub struct DetailRead {
    pub id: String,
    /// `"an object"` or `"an array"` (of one object), as answered.
    pub answered: &'static str,
    pub object: Option<Value>,
    /// Whether the object reads as the provider's model with its detail lists.
    pub has_details: Option<bool>,
}

/// Everything read for one kind.
pub struct KindScan {
    pub spec: KindSpec,
    pub listing: Listing,
    /// Whether every listed object carried its detail lists.
    pub details_in_list: Option<bool>,
    /// The first read of one object (the "one object of each kind").
    pub detail_reads: Vec<DetailRead>,
    /// Why there is no detail read, when there is none.
    pub detail_miss: Option<String>,
}

impl KindScan {
    /// Every object with the best copy known: its detail read when there is one,
    /// else the listed one.
    pub fn objects(&self) -> Vec<&Value> {
        self.listing
            .items
            .iter()
            .map(|listed| {
                let id = id_key(listed);
                self.detail_reads
                    .iter()
                    .find(|r| id.as_deref() == Some(r.id.as_str()))
                    .and_then(|r| r.object.as_ref())
                    .unwrap_or(listed)
            })
            .collect()
    }
}

/// The agent list with each combination of include flags.
pub struct AgentCounts {
    /// `(label, listing)`.
    pub variants: Vec<(&'static str, Listing)>,
}

/// A probe of the paging parameters on one kind.
pub struct PageProbe {
    pub kind: &'static str,
    pub total: usize,
    /// Objects answered for `page_size=1`, page 1 and 2.
    pub small_pages: Vec<Result<usize, String>>,
    /// Whether pages 1 and 2 of size 1 held different objects.
    pub small_pages_differ: Option<bool>,
    /// Objects answered for `page_size=1000` (only asked when a kind has more than 100).
    pub large_page: Option<Result<usize, String>>,
}

/// What the doctor read.
pub struct Scan {
    pub kinds: Vec<KindScan>,
    pub agents: Option<AgentCounts>,
    pub paging: Option<PageProbe>,
    /// Why `paging` is absent.
    pub paging_miss: Option<String>,
}

impl Scan {
    pub fn kind(&self, path: &str) -> Option<&KindScan> {
        self.kinds.iter().find(|k| k.spec.path == path)
    }
}

/// The agent-list variants: label and query.
const AGENT_VARIANTS: [(&str, &[(&str, &str)]); 3] = [
    ("no flags", &[]),
    ("includeapiagents=true", &[("includeapiagents", "true")]),
    ("includedisabled=true", &[("includedisabled", "true")]),
];

/// Requests kept back for the paging probes.
const PROBE_RESERVE: usize = 3;

async fn read_details(probe: &mut Probe, spec: &KindSpec, id: &str) -> Result<DetailRead, Miss> {
    let answer = probe
        .get(&[spec.path, id], &[("includedetails", "true")])
        .await?;
    let (answered, object) = match answer {
        Value::Array(items) => ("an array", items.into_iter().find(Value::is_object)),
        obj @ Value::Object(_) => ("an object", Some(obj)),
        Value::Null => ("nothing", None),
        _ => ("neither an object nor an array", None),
    };
    let has_details = object.as_ref().and_then(|o| (spec.has_details)(o));
    Ok(DetailRead {
        id: id.to_owned(),
        answered,
        object,
        has_details,
    })
}

fn details_of(spec: &KindSpec, items: &[Value]) -> Option<bool> {
    if items.is_empty() {
        return None;
    }
    Some(items.iter().all(|v| (spec.has_details)(v) == Some(true)))
}

/// Reads everything, in order of importance, within the probe's budget.
pub async fn scan(probe: &mut Probe) -> Scan {
    let specs = kinds();
    // Kept back while listing: one detail read per kind, the agent variants'
    // first pages and the paging probes.
    let later = specs.len() + AGENT_VARIANTS.len() + PROBE_RESERVE;
    let mut kinds = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        // Also keep one request for the first page of each kind still to list.
        let reserve = later + (specs.len() - i - 1);
        let mut query: Vec<(&str, &str)> = spec.list_query.to_vec();
        query.push(("includedetails", "true"));
        let listing = list_pages(probe, spec.path, spec.list_key, &query, PAGE_SIZE, reserve).await;
        let details_in_list = details_of(spec, &listing.items);
        kinds.push(KindScan {
            spec: *spec,
            listing,
            details_in_list,
            detail_reads: Vec::new(),
            detail_miss: None,
        });
    }

    // One object of each kind with its details.
    for k in &mut kinds {
        let Some(id) = k.listing.items.iter().find_map(id_key) else {
            k.detail_miss = Some(if k.listing.items.is_empty() {
                format!("no {} listed", k.spec.kind)
            } else {
                format!("no listed {} has an id", k.spec.kind)
            });
            continue;
        };
        match read_details(probe, &k.spec, &id).await {
            Ok(read) => k.detail_reads.push(read),
            Err(miss) => k.detail_miss = Some(miss.describe()),
        }
    }

    // The agent list with and without the include flags.
    let agents = match kinds.iter().find(|k| k.spec.path == Agent::PATH) {
        Some(k) => {
            let list_key = k.spec.list_key;
            let mut variants = Vec::new();
            for (n, (label, query)) in AGENT_VARIANTS.iter().enumerate() {
                let reserve = PROBE_RESERVE + (AGENT_VARIANTS.len() - n - 1);
                let listing =
                    list_pages(probe, Agent::PATH, list_key, query, PAGE_SIZE, reserve).await;
                variants.push((*label, listing));
            }
            Some(AgentCounts { variants })
        }
        None => None,
    };

    let (paging, paging_miss) = probe_paging(probe, &kinds).await;

    // With what is left: the details of the roles, agents and applications whose
    // list entries came without them (claims, memberships, scopes).
    for k in &mut kinds {
        if ![Role::PATH, Agent::PATH, Application::PATH].contains(&k.spec.path) {
            continue;
        }
        let spec = k.spec;
        let missing: Vec<String> = k
            .listing
            .items
            .iter()
            .filter(|v| (spec.has_details)(v) != Some(true))
            .filter_map(id_key)
            .filter(|id| !k.detail_reads.iter().any(|r| &r.id == id))
            .collect();
        for id in missing {
            if probe.remaining() == 0 {
                break;
            }
            match read_details(probe, &spec, &id).await {
                Ok(read) => k.detail_reads.push(read),
                Err(Miss::Budget) => break,
                Err(_) => {}
            }
        }
    }

    Scan {
        kinds,
        agents,
        paging,
        paging_miss,
    }
}

/// Asks the kind with the most objects for pages of one (pages 1 and 2), and,
/// when a kind has more than 100 objects, for one page of 1000.
async fn probe_paging(
    probe: &mut Probe,
    kinds: &[KindScan],
) -> (Option<PageProbe>, Option<String>) {
    let Some(k) = kinds
        .iter()
        .filter(|k| k.listing.stop.complete())
        .max_by_key(|k| k.listing.items.len())
        .filter(|k| k.listing.items.len() >= 2)
    else {
        return (
            None,
            Some("no kind has two or more objects to page through".into()),
        );
    };
    let mut small_pages = Vec::new();
    let mut pages: Vec<Vec<Value>> = Vec::new();
    for page_no in ["1", "2"] {
        let mut q: Vec<(&str, &str)> = k.spec.list_query.to_vec();
        q.extend([
            ("pageinate", "true"),
            ("page_size", "1"),
            ("page_no", page_no),
        ]);
        match probe.get(&[k.spec.path], &q).await {
            Ok(answer) => {
                let (_, items) = split_list(answer, k.spec.list_key);
                small_pages.push(Ok(items.len()));
                pages.push(items);
            }
            Err(miss) => small_pages.push(Err(miss.describe())),
        }
    }
    let small_pages_differ = match pages.as_slice() {
        [a, b] => Some(
            a.iter().map(id_key).collect::<Vec<_>>() != b.iter().map(id_key).collect::<Vec<_>>(),
        ),
        _ => None,
    };
    let big = kinds
        .iter()
        .filter(|k| k.listing.items.len() > PAGE_SIZE)
        .max_by_key(|k| k.listing.items.len());
    let large_page = match big {
        Some(big) => {
            let mut q: Vec<(&str, &str)> = big.spec.list_query.to_vec();
            q.extend([
                ("pageinate", "true"),
                ("page_size", "1000"),
                ("page_no", "1"),
            ]);
            Some(match probe.get(&[big.spec.path], &q).await {
                Ok(answer) => Ok(split_list(answer, big.spec.list_key).1.len()),
                Err(miss) => Err(miss.describe()),
            })
        }
        None => None,
    };
    (
        Some(PageProbe {
            kind: k.spec.kind,
            total: k.listing.items.len(),
            small_pages,
            small_pages_differ,
            large_page,
        }),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes() {
        assert_eq!(split_list(json!([{"id": 1}]), "agents").0, Shape::Bare);
        let (shape, items) = split_list(
            json!({"record_count": "2", "Agents": [{"id": 1}, {"id": 2}]}),
            "agents",
        );
        assert_eq!(
            shape,
            Shape::Wrapped {
                key: "Agents".into(),
                other_arrays: vec![],
                record_count: Some(2)
            }
        );
        assert_eq!(items.len(), 2);
        let (shape, _) = split_list(json!({"record_count": 0}), "agents");
        assert!(matches!(
            shape,
            Shape::NoArray {
                record_count: Some(0),
                ..
            }
        ));
        assert_eq!(split_list(json!("x"), "agents").0, Shape::Other("a string"));
    }
}
