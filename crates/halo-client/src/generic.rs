//! Any endpoint family of Halo's API, as JSON: what `halopsa_api_object` and
//! `halopsa_api_setting` read and write. Families are named by their canonical
//! name from `halo-catalog` (a `&'static str`), which is also their path.
//!
//! Reads of a family share the run's snapshot of its list, as the typed kinds
//! do (`snapshot.rs`): a refresh of many objects of one family costs its list
//! pages, and a `GET` only for an object whose listed form lacks a key the
//! caller needs (Halo's list answers leave out detail lists).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use reqwest::Method;
use serde_json::Value;

use super::client::{parse_value, Call, HaloClient, Result};
use super::error::{Failure, HaloError};
use super::snapshot;

/// The answer of a save: the object Halo saved.
fn first_object(value: Value) -> Option<Value> {
    match value {
        Value::Array(items) => items.into_iter().find(Value::is_object),
        obj @ Value::Object(_) => Some(obj),
        _ => None,
    }
}

impl HaloClient {
    /// `GET /api/{family}/{id}?includedetails=true`; `Ok(None)` on 404. With
    /// `includedetails` (a parameter of most families' `GET /X/{id}` \[spec\]), so
    /// that detail lists such as an SLA's `priorities` are answered
    /// (docs/halo-api.md, "Generic objects").
    pub async fn get_json(&self, family: &'static str, id: &str) -> Result<Option<Value>> {
        if id.trim().is_empty() {
            return Err(HaloError::InvalidArgument(format!(
                "the {family} id must not be empty"
            )));
        }
        let call = Call {
            method: Method::GET,
            url: self.endpoint(&[family, id.trim()])?,
            query: &[("includedetails", "true")],
            body: None,
        };
        match self.run(&call).await {
            Ok(answer) => Ok(first_object(parse_value(&call, &answer.body)?)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /api/{family}` for a singleton (`Control`): its one object.
    pub async fn get_singleton(&self, family: &'static str) -> Result<Value> {
        let call = Call {
            method: Method::GET,
            url: self.endpoint(&[family])?,
            query: &[],
            body: None,
        };
        let answer = self.run(&call).await?;
        Ok(first_object(parse_value(&call, &answer.body)?).unwrap_or(Value::Null))
    }

    /// Reads one object for a refresh: from the run's snapshot of the family's
    /// list when the listed object holds every key in `needs`, else by `GET`.
    pub async fn read_json(
        &self,
        family: &'static str,
        id: &str,
        needs: &[&str],
    ) -> Result<Option<Value>> {
        let cell = self.snapshots().cell(family, false);
        let snap = cell
            .get_or_try_init(|| async {
                let items = self.list_values(family, &[]).await?;
                Ok::<_, HaloError>(Arc::new(snapshot::index(items)))
            })
            .await?;
        let listed = snap.get(id).or_else(|| {
            snap.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(id))
                .map(|(_, v)| v)
        });
        if let Some(found) = listed {
            if needs.iter().all(|k| found.get(*k).is_some()) {
                return Ok(Some(found.clone()));
            }
        }
        self.get_json(family, id).await
    }

    /// Every object of a family (every page), filtered by `search` when given.
    pub async fn list_json(
        &self,
        family: &'static str,
        search: Option<&str>,
    ) -> Result<Vec<Value>> {
        match search {
            Some(s) => self.list_values(family, &[("search", s)]).await,
            None => self.list_values(family, &[]).await,
        }
    }

    /// `POST /api/{family}` of `[body]`: a create when `body` has no id, an
    /// update of the object it names otherwise. Answers the saved object. A
    /// create is never sent twice: when an attempt may have reached Halo and its
    /// answer was lost, the error says the outcome is unknown.
    pub async fn save_json(&self, family: &'static str, body: &Value) -> Result<Value> {
        self.snapshots().invalidate(family);
        let result = self.save_once(family, body).await;
        self.snapshots().invalidate(family);
        result
    }

    async fn save_once(&self, family: &'static str, body: &Value) -> Result<Value> {
        let bytes = serde_json::to_vec(&Value::Array(vec![body.clone()])).map_err(|e| {
            HaloError::InvalidArgument(format!("the {family} body cannot be encoded: {e}"))
        })?;
        let call = Call {
            method: Method::POST,
            url: self.endpoint(&[family])?,
            query: &[],
            body: Some(bytes),
        };
        let creating = body.get("id").is_none_or(Value::is_null);
        let reauthed = AtomicBool::new(false);
        let answer = self
            .retrying("POST", call.path(), |attempt| {
                let (call, reauthed) = (&call, &reauthed);
                async move {
                    match self.attempt(call, attempt, reauthed).await {
                        Err(Failure::Retry { last, sent: true, .. }) if creating => {
                            Err(Failure::Fatal(HaloError::GaveUp {
                                method: "POST".into(),
                                path: call.path().to_owned(),
                                attempts: attempt,
                                last: format!(
                                    "{last}; the create may have reached Halo, so it is not sent again: \
                                     look for the {family} in Halo and import it"
                                ),
                            }))
                        }
                        other => other,
                    }
                }
            })
            .await?;
        first_object(parse_value(&call, &answer.body)?).ok_or_else(|| HaloError::Decode {
            method: "POST".into(),
            path: call.path().to_owned(),
            message: format!("the answer holds no {family} object"),
        })
    }

    /// `DELETE /api/{family}/{id}`; a 404 means it is already gone.
    pub async fn delete_json(&self, family: &'static str, id: &str) -> Result<()> {
        self.snapshots().invalidate(family);
        let call = Call {
            method: Method::DELETE,
            url: self.endpoint(&[family, id.trim()])?,
            query: &[],
            body: None,
        };
        let result = match self.run(&call).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        };
        self.snapshots().invalidate(family);
        result
    }
}
