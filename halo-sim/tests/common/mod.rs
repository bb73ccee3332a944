//! A minimal Halo client over real HTTP for the integration tests.

use halo_sim::{Sim, SimOptions};
use reqwest::StatusCode;
use serde_json::Value;

pub fn start() -> Sim {
    start_with(SimOptions::default())
}

pub fn start_with(opts: SimOptions) -> Sim {
    Sim::start(opts).expect("the emulator starts")
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

/// An answer: status and body (JSON, or the text as a JSON string).
pub type Answer = (StatusCode, Value);

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let text = response.text().await.expect("the body is read");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// Fetches a token with the default credentials.
pub async fn token(http: &reqwest::Client, base: &str) -> String {
    let (status, body) = answer(
        http.post(format!("{base}/auth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "halo-sim"),
                ("client_secret", "halo-sim-secret"),
                ("scope", "all"),
            ])
            .send()
            .await
            .expect("the token request is answered"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

impl Client {
    pub async fn new(sim: &Sim) -> Client {
        let http = reqwest::Client::new();
        let base = sim.url();
        let token = token(&http, &base).await;
        Client { http, base, token }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        answer(
            request
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("the request is answered"),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.http.delete(self.url(path))).await
    }

    /// Creates one object and answers it, asserting success.
    pub async fn create(&self, path: &str, obj: Value) -> Value {
        let (status, body) = self.post(path, Value::Array(vec![obj])).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }
}

/// The id of an object as path text.
pub fn id_of(obj: &Value) -> String {
    match &obj["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
