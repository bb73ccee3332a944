//! The network side of batch creates (`batch.rs` keeps the bookkeeping): a
//! create joins its kind's batch, the batch task gathers, sends one array `POST`
//! and answers every member.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use tokio::time::Instant;

use super::batch::{answered_objects, gathers_on, Join, Outcome};
use super::client::{Call, HaloClient};
use super::error::{Failure, HaloError};
use super::models::HaloObject;

impl HaloClient {
    /// Puts `obj` in the kind's batch and waits for the batch's outcome;
    /// `Outcome::Alone` when it must go alone.
    pub(super) async fn batched<T: HaloObject>(&self, obj: &T) -> Result<Outcome, HaloError> {
        let body = serde_json::to_value(obj).map_err(|e| {
            HaloError::InvalidArgument(format!("cannot encode the {} as JSON: {e}", T::KIND))
        })?;
        let rx = match self.batcher().join(T::PATH, body) {
            Join::Alone => return Ok(Outcome::Alone { unknown: false }),
            Join::Member(rx) => rx,
            Join::Opened(rx) => {
                let client = self.clone();
                tokio::spawn(async move { client.send_batch::<T>().await });
                rx
            }
        };
        tokio::select! {
            biased;
            _ = self.cancel_token().cancelled() => Err(HaloError::Cancelled),
            // A sender dropped without an answer (the task died): assume the worst.
            outcome = rx => Ok(outcome.unwrap_or(Outcome::Alone { unknown: true })),
        }
    }

    /// The batch task: gathers ([`gathers_on`]), sends, answers every member.
    ///
    /// Holding the batch while another create of the kind is on its way to
    /// Halo makes the creates Terraform starts meanwhile (as earlier ones of
    /// other kinds finish) join this batch instead of each opening a request of
    /// their own, so a kind has about one request in flight at a time, as
    /// Nagle's algorithm holds small TCP segments back while one is
    /// unacknowledged. That costs a create at most one round trip of waiting,
    /// and saves requests where they are scarce: under Halo's rate limit.
    async fn send_batch<T: HaloObject>(self) {
        let window = self.batch_window();
        let expected = self.batcher().expected(T::PATH);
        let opened = Instant::now();
        let step = Duration::from_millis(1);
        loop {
            tokio::time::sleep(step).await;
            let Some(now) = self.batcher().gathered(T::PATH) else {
                break;
            };
            if !gathers_on(now, opened.elapsed(), window, expected) {
                break;
            }
        }
        let members = self.batcher().close(T::PATH);
        if members.len() < 2 {
            for m in members {
                let _ = m.reply.send(Outcome::Alone { unknown: false });
            }
            return;
        }
        let (bodies, replies): (Vec<Value>, Vec<_>) =
            members.into_iter().map(|m| (m.body, m.reply)).unzip();
        let sent = bodies.len();
        let outcome = {
            let _sending = self.batcher().sending(T::PATH);
            self.post_batch::<T>(bodies).await
        };
        tracing::debug!(
            kind = T::KIND,
            sent,
            answered = match &outcome {
                Outcome::Batched { answered, .. } => answered.len(),
                Outcome::Alone { .. } => 0,
            },
            "halo batch create"
        );
        for (position, reply) in replies.into_iter().enumerate() {
            let mine = match &outcome {
                Outcome::Batched {
                    answered, listed, ..
                } => Outcome::Batched {
                    answered: Arc::clone(answered),
                    position,
                    sent,
                    listed: listed.clone(),
                },
                alone @ Outcome::Alone { .. } => alone.clone(),
            };
            let _ = reply.send(mine);
        }
    }

    /// `POST /api/X [objects]`, retried while Halo surely did not get it
    /// (429, a refused connection); an answer lost after sending, or a short
    /// answer, is followed by one fresh list of the kind.
    async fn post_batch<T: HaloObject>(&self, bodies: Vec<Value>) -> Outcome {
        let sent = bodies.len();
        let (url, body) = match (
            self.endpoint(&[T::PATH]),
            serde_json::to_vec(&Value::Array(bodies)),
        ) {
            (Ok(url), Ok(body)) => (url, body),
            _ => return Outcome::Alone { unknown: false },
        };
        let call = Call {
            method: Method::POST,
            url,
            query: &[],
            body: Some(body),
        };
        let reauthed = AtomicBool::new(false);
        let unknown = AtomicBool::new(false);
        let tried = self
            .retrying(call.method.as_str(), call.path(), |attempt| {
                let (call, reauthed, unknown) = (&call, &reauthed, &unknown);
                async move {
                    match self.attempt(call, attempt, reauthed).await {
                        Err(Failure::Retry {
                            sent: true, last, ..
                        }) => {
                            // Maybe saved: no blind resend; the list decides.
                            unknown.store(true, Ordering::Relaxed);
                            Err(Failure::Fatal(HaloError::GaveUp {
                                method: "POST".into(),
                                path: call.path().to_owned(),
                                attempts: attempt,
                                last,
                            }))
                        }
                        other => other,
                    }
                }
            })
            .await;
        let answered = match tried {
            Ok(answer) => answered_objects(&answer.body),
            Err(HaloError::Cancelled) => return Outcome::Alone { unknown: true },
            Err(e) if unknown.load(Ordering::Relaxed) => {
                tracing::debug!(kind = T::KIND, error = %e, "the batch create's answer was lost; listing to see what it created");
                Vec::new()
            }
            Err(e) => {
                // Refused (400, ...) or never delivered: each create goes alone,
                // so an error names its own resource.
                tracing::debug!(kind = T::KIND, error = %e, "the batch create failed; creating one by one");
                return Outcome::Alone { unknown: false };
            }
        };
        let listed = if answered.len() < sent {
            match self.list_values(T::PATH, T::LIST_ALL_QUERY).await {
                Ok(items) => Some(Arc::new(items)),
                Err(e) => {
                    tracing::debug!(kind = T::KIND, error = %e, "listing after a batch create failed");
                    None
                }
            }
        } else {
            None
        };
        Outcome::Batched {
            answered: Arc::new(answered),
            position: 0,
            sent,
            listed,
        }
    }
}
