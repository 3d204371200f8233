//! A pooled HTTP/1.1 client with bearer auth, timing each request; with
//! several servers, requests go to them in turn, as a round-robin balancer
//! sends them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    bases: Arc<[String]>,
    /// The next request's server, shared by every clone.
    turn: Arc<AtomicUsize>,
    token: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
    pub took: Duration,
}

impl Answer {
    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body)
            .map_err(|e| format!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

impl Http {
    pub fn new(base: String, pool: usize) -> Http {
        Http::spread(vec![base], pool)
    }

    /// Requests go to each of `bases` in turn.
    pub fn spread(bases: Vec<String>, pool: usize) -> Http {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(pool)
            .build(connector);
        Http {
            client,
            bases: bases.into(),
            turn: Arc::new(AtomicUsize::new(0)),
            token: None,
        }
    }

    /// The server the next request goes to.
    fn base(&self) -> &str {
        let n = self.turn.fetch_add(1, Ordering::Relaxed);
        &self.bases[n % self.bases.len()]
    }

    pub fn with_token(&self, token: &str) -> Http {
        Http {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<Answer, String> {
        let mut req = Request::builder().method(method).uri(format!("{}{path}", self.base()));
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        self.exchange(req.body(Full::new(body)).map_err(|e| e.to_string())?, path)
            .await
    }

    async fn exchange(&self, req: Request<Full<Bytes>>, path: &str) -> Result<Answer, String> {
        let started = Instant::now();
        let res = self.client.request(req).await.map_err(|e| format!("{path}: {e}"))?;
        let status = res.status();
        let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(Answer {
            status,
            body,
            took: started.elapsed(),
        })
    }

    /// A JSON POST carrying an `Idempotency-Key`.
    pub async fn send_with_key(&self, key: &str, path: &str, body: Bytes) -> Result<Answer, String> {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(format!("{}{path}", self.base()))
            .header("content-type", "application/json")
            .header("idempotency-key", key);
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        self.exchange(req.body(Full::new(body)).map_err(|e| e.to_string())?, path)
            .await
    }

    pub async fn get(&self, path: &str) -> Result<Answer, String> {
        self.send(Method::GET, path, None, Bytes::new()).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Answer, String> {
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            Bytes::from(body.to_string()),
        )
        .await
    }
}
