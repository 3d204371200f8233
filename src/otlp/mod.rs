//! Optional export of spans over OTLP/HTTP with JSON bodies, the encoding
//! every OpenTelemetry collector accepts on `/v1/traces` (port 4318). Off
//! unless an endpoint is configured; nothing else to install. Spans are
//! batched (up to 512, or what a second brought) and sent off the request
//! path; a collector that is down costs dropped spans, never requests.

mod json;

use std::time::Duration;

use hotline_app::trace::{FinishedSpan, Spans};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub use json::encode;

/// Spans waiting to be sent; beyond this they are dropped and counted.
const QUEUE: usize = 8192;
/// Spans per request to the collector.
const BATCH: usize = 512;
/// How long a batch waits to fill before it is sent.
const LINGER: Duration = Duration::from_secs(1);

/// Where spans go and as whom.
#[derive(Clone)]
pub struct OtlpSettings {
    /// The full URL of the collector's traces endpoint.
    pub endpoint: String,
    /// Sent with every export (a vendor's API key): never shown in logs.
    pub headers: Vec<(String, String)>,
    /// `service.name` on every span.
    pub service_name: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for OtlpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("OtlpSettings")
            .field("endpoint", &crate::config::redact_url(&self.endpoint))
            .field("headers", &names)
            .field("service_name", &self.service_name)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Starts the exporter: spans recorded to the handle returned are sent to
/// the collector. The task ends, after sending what is queued, once every
/// clone of the handle is dropped.
pub fn start(settings: OtlpSettings) -> Result<(Spans, JoinHandle<()>), String> {
    let mut headers = HeaderMap::new();
    for (k, v) in &settings.headers {
        let name = HeaderName::try_from(k.as_str()).map_err(|_| format!("OTLP header `{k}` is not a header name"))?;
        let value =
            HeaderValue::try_from(v.as_str()).map_err(|_| format!("OTLP header `{k}` has an unusable value"))?;
        headers.insert(name, value);
    }
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .default_headers(headers)
        .user_agent(concat!("hotline/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("OTLP: cannot build the HTTP client: {e}"))?;
    let (tx, rx) = mpsc::channel(QUEUE);
    let spans = Spans::to(tx);
    let task = tokio::spawn(export(client, settings, rx, spans.clone()));
    Ok((spans, task))
}

async fn export(client: reqwest::Client, settings: OtlpSettings, mut rx: mpsc::Receiver<FinishedSpan>, spans: Spans) {
    // The exporter's own handle must not keep its queue open.
    let dropped = spans.dropped_counter();
    drop(spans);
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let until = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH {
            let room = BATCH - batch.len();
            match tokio::time::timeout_at(until, rx.recv_many(&mut batch, room)).await {
                Ok(n) if n > 0 => {}
                _ => break,
            }
        }
        let n = batch.len() as u64;
        let body = encode(&settings.service_name, &batch).to_string();
        batch.clear();
        if send(&client, &settings.endpoint, body).await {
            metrics::counter!("hotline_otlp_spans_exported_total").increment(n);
        } else {
            metrics::counter!("hotline_otlp_spans_failed_total").increment(n);
        }
        metrics::counter!("hotline_otlp_spans_dropped_total").absolute(dropped());
    }
}

/// One export, retried twice (after 1 s, then 2 s) where the collector
/// says to try again (429, 502, 503, 504) or cannot be reached.
async fn send(client: &reqwest::Client, endpoint: &str, body: String) -> bool {
    for pause in [1, 2, 0] {
        let result = client
            .post(endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await;
        let retry = match result {
            Ok(res) if res.status().is_success() => return true,
            Ok(res) => {
                let status = res.status().as_u16();
                tracing::warn!(status, "OTLP: the collector refused spans");
                matches!(status, 429 | 502 | 503 | 504)
            }
            Err(e) => {
                tracing::warn!(error = %e, "OTLP: cannot reach the collector");
                true
            }
        };
        if !retry || pause == 0 {
            return false;
        }
        tokio::time::sleep(Duration::from_secs(pause)).await;
    }
    false
}
