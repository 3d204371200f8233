//! Spans exported over OTLP/HTTP JSON to a collector: a request's server
//! span continues the caller's trace, its name is the route's template
//! (never a path with a customer's code or number in it), and a webhook
//! delivery is a client span in the same trace.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{Method, StatusCode};
use hotline::otlp::{OtlpSettings, start};
use serde_json::{Value, json};

use crate::support::{TestApp, answered_call};

/// A collector's `/v1/traces`: keeps every body it is sent.
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<Export>>>);

/// One export: the API key it came with, and its body.
type Export = (Option<String>, String);

impl Collector {
    async fn start() -> (Collector, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1/traces", listener.local_addr().unwrap());
        let c = Collector::default();
        let app = axum::Router::new()
            .route("/v1/traces", axum::routing::post(receive))
            .with_state(c.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (c, url)
    }

    fn bodies(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().map(|(_, b)| b.clone()).collect()
    }

    /// Every span received so far.
    fn spans(&self) -> Vec<Value> {
        self.bodies()
            .iter()
            .flat_map(|b| {
                let v: Value = serde_json::from_str(b).expect("JSON");
                v["resourceSpans"][0]["scopeSpans"][0]["spans"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Waits (up to 10 s) for a span that `wanted` picks.
    async fn span(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..100 {
            if let Some(s) = self.spans().into_iter().find(&wanted) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no such span among {:#?}", self.spans());
    }
}

async fn receive(State(c): State<Collector>, headers: axum::http::HeaderMap, body: String) -> StatusCode {
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    c.0.lock().unwrap().push((key, body));
    StatusCode::OK
}

fn attr<'a>(span: &'a Value, key: &str) -> &'a Value {
    let found = span["attributes"].as_array().unwrap().iter().find(|a| a["key"] == key);
    found.map_or(&Value::Null, |a| &a["value"])
}

const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[tokio::test]
async fn a_request_is_exported_as_a_server_span_of_the_callers_trace_named_by_its_route() {
    let (collector, endpoint) = Collector::start().await;
    let (spans, _task) = start(OtlpSettings {
        endpoint,
        headers: vec![("x-api-key".into(), "collector-key".into())],
        service_name: "hotline-test".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    let app = TestApp::with_spans(spans).await;

    let r = app
        .call(
            Method::GET,
            "/api/v1/customers/PB03020045525",
            Some(&app.admin),
            None,
            &[("traceparent", CALLER)],
        )
        .await;
    let served = hotline_app::trace::TraceContext::parse(r.header("traceparent").unwrap()).unwrap();
    let span = collector
        .span(|s| s["spanId"] == format!("{:016x}", served.span_id))
        .await;
    assert_eq!(span["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(span["parentSpanId"], "00f067aa0ba902b7");
    assert_eq!(span["name"], "GET /api/v1/customers/{id}");
    assert_eq!(span["kind"], 2, "a server span");
    assert_eq!(attr(&span, "http.route")["stringValue"], "/api/v1/customers/{id}");
    assert_eq!(
        attr(&span, "http.response.status_code")["intValue"],
        r.status.as_u16().to_string()
    );
    let start: u128 = span["startTimeUnixNano"].as_str().unwrap().parse().unwrap();
    let end: u128 = span["endTimeUnixNano"].as_str().unwrap().parse().unwrap();
    assert!(start <= end && start > 1_700_000_000_000_000_000);
    // The resource names the service; the collector got its key.
    let first: Value = serde_json::from_str(&collector.bodies()[0]).unwrap();
    assert_eq!(
        first["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"],
        "hotline-test"
    );
    assert_eq!(collector.0.lock().unwrap()[0].0.as_deref(), Some("collector-key"));

    // A caller that did not sample its trace gets no span recorded; one
    // with no trace starts a sampled one (so receivers record theirs).
    let unsampled = "00-11111111111111111111111111111111-2222222222222222-00";
    app.call(
        Method::GET,
        "/api/v1/calls",
        Some(&app.admin),
        None,
        &[("traceparent", unsampled)],
    )
    .await;
    let fresh = app.get("/api/v1/calls?limit=1", &app.admin).await;
    let fresh = hotline_app::trace::TraceContext::parse(fresh.header("traceparent").unwrap()).unwrap();
    assert!(fresh.sampled());
    let root = collector.span(|s| s["traceId"] == fresh.trace_id_hex()).await;
    assert!(root.get("parentSpanId").is_none(), "{root}");
    assert!(
        collector
            .spans()
            .iter()
            .all(|s| s["traceId"] != "11111111111111111111111111111111")
    );

    // No customer code, number or name ever reaches the collector.
    app.log_call(&app.admin, answered_call()).await;
    collector.span(|s| s["name"] == "POST /api/v1/calls").await;
    for body in collector.bodies() {
        for personal in ["PB03020045525", "0912345678", "912345678", "Nguyễn"] {
            assert!(!body.contains(personal), "{personal} in {body}");
        }
    }
}

#[tokio::test]
async fn a_webhook_delivery_is_a_client_span_under_the_request_that_caused_it() {
    use hotline::workers::webhooks::{WebhookSettings, WebhookWorker};
    let (collector, endpoint) = Collector::start().await;
    let (spans, _task) = start(OtlpSettings {
        endpoint,
        headers: vec![],
        service_name: "hotline".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    let app = TestApp::with_spans(spans.clone()).await;
    // A receiver that answers 200 to anything posted to it.
    let (receiver, receiver_url) = Collector::start().await;
    let r = app
        .post(
            "/api/v1/webhooks",
            &app.admin,
            json!({"url": receiver_url, "events": ["call.created"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let served = app.log_call_traced(CALLER).await;
    let worker = WebhookWorker::new(
        &hotline::wiring::app(&app.db).with_spans(spans),
        WebhookSettings::default(),
    )
    .unwrap();
    for _ in 0..100 {
        if worker.tick(hotline_domain::time::now()).await.delivered == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(receiver.bodies().len(), 1);
    let client = collector.span(|s| s["kind"] == 3).await;
    assert_eq!(client["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(client["parentSpanId"], format!("{:016x}", served.span_id));
    assert_eq!(client["name"], "POST");
    assert_eq!(attr(&client, "server.address")["stringValue"], "127.0.0.1");
    assert_eq!(attr(&client, "http.response.status_code")["intValue"], "200");
    assert!(client.get("status").is_none(), "delivered: no error");
}
