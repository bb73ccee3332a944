//! Batch creates: creates of one kind made at the same time (Terraform runs
//! up to `-parallelism` of them at once) go to Halo as one array `POST`.
//!
//! The first create of a kind opens a batch and a task that sends it after
//! the gathering window ([`super::ClientConfig::batch_window`]; longer while
//! creates keep arriving or another create of the kind is on its way to Halo,
//! shorter once as many have joined as the kind's largest batch held; never past
//! [`MAX_BATCH`] objects: [`gathers_on`]). Each create then waits for its [`Outcome`] and
//! settles it with its own `same` ([`settle`]):
//!
//! - an answer holding every object sent: the object at the create's position
//!   (or, should Halo have reordered them, the one `same` picks);
//! - an answer holding fewer (docs/halo-api.md: the answer to a one-element
//!   array is one object; for longer arrays it is assumed): the object `same`
//!   picks from the answer, else from a fresh list of the kind (every page),
//!   which the batch fetched once for all its members;
//! - an answer lost after it was sent (timeout, broken connection, 502/503/504):
//!   the fresh list too; a member not in it was not created;
//! - a member the lost batch surely did not create joins the next batch (at
//!   most [`MAX_BATCH_ROUNDS`] batches in all);
//! - a batch of one, a batch Halo refused (400 and any other error answer), or
//!   an outcome still unknown: the create goes alone through the one-object
//!   path (which looks before it sends when the outcome is unknown), so an
//!   error names the right resource and nothing is created twice.
//!
//! Two creates whose objects have the same name never share a batch (the
//! second goes alone), so matching by name is never ambiguous.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::models::HaloObject;

/// The most objects one batch holds.
pub(super) const MAX_BATCH: usize = 100;
/// How many batches one create joins (after a lost answer) before it goes alone.
pub(super) const MAX_BATCH_ROUNDS: u32 = 3;
/// A batch stops gathering after this many windows, however busy.
pub(super) const MAX_GATHER_WINDOWS: u32 = 4;
/// How long at most a batch holds on while a create of its kind is on its way to
/// Halo (see `HaloClient::send_batch`, `batch_send.rs`).
pub(super) const MAX_HOLD: Duration = Duration::from_secs(1);

/// How a batch ended, for one of its members.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    /// Create it on its own. `unknown`: the batch may have created it, so look
    /// for it before sending.
    Alone { unknown: bool },
    /// Halo answered the batch (or lost the answer, then `answered` is empty).
    Batched {
        answered: Arc<Vec<Value>>,
        position: usize,
        sent: usize,
        /// The kind's fresh list, fetched when the answer did not hold every
        /// object sent; `None` when that list could not be read.
        listed: Option<Arc<Vec<Value>>>,
    },
}

/// What a member makes of its outcome.
#[derive(Debug)]
pub(super) enum Settled<T> {
    Created(T),
    /// Surely not created by the batch (its answer was lost and the fresh
    /// list does not hold it): it may join another batch.
    Again,
    Alone {
        unknown: bool,
    },
}

/// One create waiting in a batch.
pub(super) struct Member {
    pub(super) body: Value,
    pub(super) reply: oneshot::Sender<Outcome>,
}

/// A batch still gathering.
struct Gathering {
    members: Vec<Member>,
    names: HashSet<String>,
    last_join: Instant,
}

/// The batches being gathered, one per kind (by path), and how many creates of
/// each kind are on their way to Halo.
#[derive(Default)]
pub(super) struct Batcher {
    open: Mutex<HashMap<&'static str, Gathering>>,
    sending: Mutex<HashMap<&'static str, usize>>,
    /// The most objects a batch of the kind held: about how many creates of it
    /// Terraform runs at once.
    largest: Mutex<HashMap<&'static str, usize>>,
}

/// A gathering batch at one moment, for [`gathers_on`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Gathered {
    members: usize,
    /// Since the last create joined.
    since_join: Duration,
    /// Whether a create of the kind is on its way to Halo.
    in_flight: bool,
}

/// Whether a batch opened `elapsed` ago gathers on. It does for the window;
/// then while creates keep arriving (a join within the last half window, at
/// most [`MAX_GATHER_WINDOWS`] windows), and while a create of the kind is on
/// its way to Halo (at most [`MAX_HOLD`]). It stops early, with nothing in
/// flight, once it holds as many as the kind's largest batch (`expected`): the
/// creates Terraform runs at once are then likely all there.
pub(super) fn gathers_on(
    now: Gathered,
    elapsed: Duration,
    window: Duration,
    expected: usize,
) -> bool {
    if now.members >= MAX_BATCH {
        return false;
    }
    if !now.in_flight && expected >= 2 && now.members >= expected {
        return false;
    }
    let growing = elapsed < window * MAX_GATHER_WINDOWS && now.since_join < window / 2;
    let holding = elapsed < MAX_HOLD && now.in_flight;
    elapsed < window || growing || holding
}

/// A create `POST` of one kind on its way to Halo, counted while it lives.
pub(super) struct Sending<'a> {
    batcher: &'a Batcher,
    path: &'static str,
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        let mut sending = self
            .batcher
            .sending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = sending.get_mut(self.path) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                sending.remove(self.path);
            }
        }
    }
}

/// The name two creates must not share within one batch.
fn batch_name(body: &Value) -> Option<String> {
    ["name", "displayName"]
        .iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
        .map(str::to_owned)
}

pub(super) enum Join {
    /// The batch was opened by this create: send it.
    Opened(oneshot::Receiver<Outcome>),
    Member(oneshot::Receiver<Outcome>),
    /// Go alone (a member has the same name, or the batch is full).
    Alone,
}

impl Batcher {
    pub(super) fn join(&self, path: &'static str, body: Value) -> Join {
        let name = batch_name(&body);
        let (tx, rx) = oneshot::channel();
        let member = Member { body, reply: tx };
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        match open.get_mut(path) {
            Some(g) => {
                if g.members.len() >= MAX_BATCH
                    || name.as_ref().is_some_and(|n| g.names.contains(n))
                {
                    return Join::Alone;
                }
                g.names.extend(name);
                g.members.push(member);
                g.last_join = Instant::now();
                Join::Member(rx)
            }
            None => {
                open.insert(
                    path,
                    Gathering {
                        members: vec![member],
                        names: name.into_iter().collect(),
                        last_join: Instant::now(),
                    },
                );
                Join::Opened(rx)
            }
        }
    }

    /// The batch of `path` now (`None` once it is closed).
    pub(super) fn gathered(&self, path: &'static str) -> Option<Gathered> {
        let in_flight = self
            .sending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(path);
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.get(path).map(|g| Gathered {
            members: g.members.len(),
            since_join: g.last_join.elapsed(),
            in_flight,
        })
    }

    /// The most objects a batch of `path` held (0: none yet).
    pub(super) fn expected(&self, path: &'static str) -> usize {
        let sizes = self.largest.lock().unwrap_or_else(PoisonError::into_inner);
        sizes.get(path).copied().unwrap_or(0)
    }

    /// Counts a create `POST` of `path` until the guard is dropped.
    pub(super) fn sending(&self, path: &'static str) -> Sending<'_> {
        let mut sending = self.sending.lock().unwrap_or_else(PoisonError::into_inner);
        *sending.entry(path).or_default() += 1;
        Sending {
            batcher: self,
            path,
        }
    }

    pub(super) fn close(&self, path: &'static str) -> Vec<Member> {
        let members = {
            let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
            open.remove(path).map(|g| g.members).unwrap_or_default()
        };
        let mut sizes = self.largest.lock().unwrap_or_else(PoisonError::into_inner);
        let largest = sizes.entry(path).or_default();
        *largest = (*largest).max(members.len());
        members
    }
}

/// One member's object from its batch's outcome; `same` is the member's own test.
pub(super) fn settle<T: HaloObject>(outcome: Outcome, same: &impl Fn(&T) -> bool) -> Settled<T> {
    let (answered, position, sent, listed) = match outcome {
        Outcome::Alone { unknown } => return Settled::Alone { unknown },
        Outcome::Batched {
            answered,
            position,
            sent,
            listed,
        } => (answered, position, sent, listed),
    };
    let decode = |v: &Value| {
        serde_json::from_value::<T>(v.clone())
            .ok()
            .filter(|o| o.id().is_some())
    };
    let at_position = answered.get(position).and_then(decode);
    if let Some(obj) = at_position.as_ref().filter(|o| same(o)) {
        return Settled::Created(obj.clone());
    }
    if let Some(obj) = answered.iter().filter_map(decode).find(|o| same(o)) {
        return Settled::Created(obj);
    }
    if answered.len() == sent {
        // A whole answer: its position is the create's, whatever Halo made of the name.
        if let Some(obj) = at_position {
            return Settled::Created(obj);
        }
    }
    match listed {
        Some(listed) => match listed.iter().filter_map(decode).find(|o| same(o)) {
            Some(obj) => Settled::Created(obj),
            // Not answered, not listed: the batch did not create it.
            None => Settled::Again,
        },
        None => Settled::Alone { unknown: true },
    }
}

/// The objects of a batch's answer: an array, or one object, or nothing.
pub(super) fn answered_objects(body: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(body.trim()) {
        Ok(Value::Array(items)) => items.into_iter().filter(Value::is_object).collect(),
        Ok(obj @ Value::Object(_)) => vec![obj],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Organisation;
    use serde_json::json;

    const W: Duration = Duration::from_millis(5);

    fn at(members: usize, since_join_ms: u64, in_flight: bool) -> Gathered {
        Gathered {
            members,
            since_join: Duration::from_millis(since_join_ms),
            in_flight,
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_batch_gathers_for_the_window_and_while_creates_arrive() {
        assert!(gathers_on(at(1, 1, false), ms(2), W, 0));
        assert!(gathers_on(at(3, 1, false), ms(8), W, 0), "a join 1 ms ago");
        assert!(
            !gathers_on(at(3, 4, false), ms(8), W, 0),
            "quiet for half a window"
        );
        assert!(
            !gathers_on(at(3, 0, false), W * MAX_GATHER_WINDOWS, W, 0),
            "never past its windows"
        );
        assert!(!gathers_on(at(MAX_BATCH, 0, true), ms(1), W, 0), "full");
    }

    #[test]
    fn a_batch_holds_while_its_kind_is_in_flight() {
        assert!(gathers_on(at(2, 50, true), ms(60), W, 0));
        assert!(
            !gathers_on(at(2, 50, true), MAX_HOLD, W, 0),
            "at most MAX_HOLD"
        );
        assert!(
            gathers_on(at(10, 0, true), ms(2), W, 10),
            "the expected size does not end a hold"
        );
    }

    #[test]
    fn a_batch_as_large_as_the_largest_goes_at_once() {
        assert!(!gathers_on(at(10, 0, false), ms(1), W, 10));
        assert!(gathers_on(at(9, 0, false), ms(1), W, 10));
        assert!(
            gathers_on(at(1, 0, false), ms(1), W, 1),
            "a largest batch of one says nothing"
        );
    }

    fn named(name: &'static str) -> impl Fn(&Organisation) -> bool {
        move |o| o.name.as_deref() == Some(name)
    }

    fn batched(
        answered: Vec<Value>,
        position: usize,
        sent: usize,
        listed: Option<Vec<Value>>,
    ) -> Outcome {
        Outcome::Batched {
            answered: Arc::new(answered),
            position,
            sent,
            listed: listed.map(Arc::new),
        }
    }

    fn id_of(s: Settled<Organisation>) -> Option<i64> {
        match s {
            Settled::Created(o) => o.id,
            Settled::Alone { .. } | Settled::Again => None,
        }
    }

    #[test]
    fn whole_answers_go_by_position_then_name() {
        let answer = vec![json!({"id": 1, "name": "A"}), json!({"id": 2, "name": "B"})];
        assert_eq!(
            id_of(settle(batched(answer.clone(), 1, 2, None), &named("B"))),
            Some(2)
        );
        // Reordered: the name finds it.
        assert_eq!(
            id_of(settle(batched(answer.clone(), 0, 2, None), &named("B"))),
            Some(2)
        );
        // Renamed by Halo: the position holds.
        assert_eq!(
            id_of(settle(batched(answer, 1, 2, None), &named("b "))),
            Some(2)
        );
    }

    #[test]
    fn short_answers_are_completed_from_the_list() {
        let one = vec![json!({"id": 1, "name": "A"})];
        let listed = vec![json!({"id": 1, "name": "A"}), json!({"id": 2, "name": "B"})];
        assert_eq!(
            id_of(settle(
                batched(one.clone(), 0, 3, Some(listed.clone())),
                &named("A")
            )),
            Some(1)
        );
        assert_eq!(
            id_of(settle(
                batched(one.clone(), 1, 3, Some(listed.clone())),
                &named("B")
            )),
            Some(2)
        );
        assert!(matches!(
            settle(batched(one.clone(), 2, 3, Some(listed)), &named("C")),
            Settled::Again
        ));
        assert!(matches!(
            settle(batched(one, 2, 3, None), &named("C")),
            Settled::Alone { unknown: true }
        ));
    }

    #[test]
    fn same_names_never_share_a_batch() {
        let b = Batcher::default();
        assert!(matches!(
            b.join("Organisation", json!({"name": "A"})),
            Join::Opened(_)
        ));
        assert!(matches!(
            b.join("Organisation", json!({"name": "B"})),
            Join::Member(_)
        ));
        assert!(matches!(
            b.join("Organisation", json!({"name": "A"})),
            Join::Alone
        ));
        assert!(matches!(
            b.join("Team", json!({"name": "A"})),
            Join::Opened(_)
        ));
        assert_eq!(b.close("Organisation").len(), 2);
        assert!(matches!(
            b.join("Organisation", json!({"name": "A"})),
            Join::Opened(_)
        ));
    }
}
