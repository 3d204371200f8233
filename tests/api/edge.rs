//! The service's edge: rate limits per key, user and client address (and
//! that address behind trusted proxies, never from an untrusted peer),
//! browsers' CORS, compression, the headers every answer carries, panics,
//! W3C trace context, and a worker whose tick panics.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use axum::routing::get;
use hotline_http::edge::Cidr;
use hotline_http::edge::cors::Origins;
use hotline_http::{AppState, HttpConfig};
use serde_json::json;
use tower::ServiceExt;

use crate::support::{Reply, TestApp};

fn limited(per_minute: u32, burst: u32) -> HttpConfig {
    HttpConfig {
        rate_limit_per_minute: per_minute,
        rate_limit_burst: burst,
        key_rate_limit_per_minute: per_minute,
        key_rate_limit_burst: burst,
        ..HttpConfig::default()
    }
}

/// A request as it arrives over a connection from `peer`.
async fn from_peer(app: &TestApp, peer: &str, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut b = Request::builder().method(Method::POST).uri(uri);
    b = b.header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let mut req = b
        .body(Body::from(
            json!({"username": "nobody", "password": "wrong password"}).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    app.send(req).await
}

#[tokio::test]
async fn each_user_and_key_has_a_bucket_and_the_answer_says_where_it_stands() {
    // Three at once, then one a second.
    let app = TestApp::with_config(limited(60, 3)).await;
    let lan = app.user("lan", "agent").await;
    let minh = app.user("minh", "agent").await;
    for left in (0..3).rev() {
        let r = app.get("/api/v1/calls", &lan).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.header("ratelimit-policy"), Some("\"default\";q=3;w=3"));
        assert!(
            r.header("ratelimit")
                .unwrap()
                .starts_with(&format!("\"default\";r={left};t=")),
            "{:?}",
            r.headers
        );
    }
    let refused = app.get("/api/v1/calls", &lan).await;
    let p = refused.problem(429, "too-many-requests");
    assert_eq!(p["detail"], "slow down and retry later");
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert!(refused.header("ratelimit").unwrap().starts_with("\"default\";r=0;t="));
    // In Vietnamese too.
    let vi = app
        .call(
            Method::GET,
            "/api/v1/calls",
            Some(&lan),
            None,
            &[("accept-language", "vi")],
        )
        .await;
    assert_eq!(vi.problem(429, "too-many-requests")["title"], "Quá nhiều yêu cầu");
    // Another user, and the probes, are not held back by lan.
    assert_eq!(app.get("/api/v1/calls", &minh).await.status, 200);
    for _ in 0..10 {
        for probe in ["/healthz", "/readyz", "/metrics"] {
            let r = app.call(Method::GET, probe, None, None, &[]).await;
            assert_eq!(r.status, 200, "{probe}");
            assert!(r.header("ratelimit").is_none(), "{probe} is limited");
        }
    }
    // An API key has its own bucket, in the header or in a PBX's path.
    let key = app.api_key("tổng đài", "integration").await;
    for _ in 0..3 {
        let r = app.get("/api/v1/calls", &key).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("ratelimit-policy"), Some("\"key\";q=3;w=3"));
    }
    app.get("/api/v1/calls", &key).await.problem(429, "too-many-requests");
    // A second later, one more.
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    assert_eq!(app.get("/api/v1/calls", &lan).await.status, 200);
}

#[tokio::test]
async fn a_pbx_key_has_its_own_limit_above_a_persons() {
    // People: three at once; keys: twenty.
    let app = TestApp::with_config(HttpConfig {
        key_rate_limit_burst: 20,
        ..limited(60, 3)
    })
    .await;
    let key = app.api_key("tổng đài", "integration").await;
    for _ in 0..20 {
        assert_eq!(app.get("/api/v1/calls", &key).await.status, 200);
    }
    let refused = app.get("/api/v1/calls", &key).await;
    refused.problem(429, "too-many-requests");
    assert!(refused.header("ratelimit").unwrap().starts_with("\"key\";r=0;"));
    let lan = app.user("lan", "agent").await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/calls", &lan).await.status, 200);
    }
    app.get("/api/v1/calls", &lan).await.problem(429, "too-many-requests");
}

#[tokio::test]
async fn without_a_credential_the_client_address_is_limited_and_cannot_be_spoofed() {
    let app = TestApp::with_config(limited(60, 2)).await;
    // Sign-in attempts from one address: two, then 429 before the
    // password is even checked.
    for _ in 0..2 {
        assert_eq!(
            from_peer(&app, "198.51.100.7:5000", "/api/v1/auth/token", &[])
                .await
                .status,
            401
        );
    }
    from_peer(&app, "198.51.100.7:5001", "/api/v1/auth/token", &[])
        .await
        .problem(429, "too-many-requests");
    // A made-up X-Forwarded-For from an untrusted peer changes nothing.
    for spoof in ["203.0.113.1", "203.0.113.2"] {
        let r = from_peer(
            &app,
            "198.51.100.7:5002",
            "/api/v1/auth/token",
            &[("x-forwarded-for", spoof), ("forwarded", &format!("for={spoof}"))],
        )
        .await;
        r.problem(429, "too-many-requests");
    }
    // Another address has its own bucket.
    assert_eq!(
        from_peer(&app, "198.51.100.8:5000", "/api/v1/auth/token", &[])
            .await
            .status,
        401
    );
}

/// Through the load balancer at 10.0.0.2: the client wrote its own first
/// hop; the balancer appended the truth.
async fn via_lb(app: &TestApp, client: &str) -> Reply {
    let xff = format!("6.6.6.6, {client}");
    from_peer(
        app,
        "10.0.0.2:40000",
        "/api/v1/auth/token",
        &[("x-forwarded-for", &xff)],
    )
    .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let app = TestApp::with_config(HttpConfig {
        trusted_proxies: Cidr::list("10.0.0.0/8").unwrap(),
        ..limited(60, 1)
    })
    .await;
    assert_eq!(via_lb(&app, "203.0.113.10").await.status, 401);
    via_lb(&app, "203.0.113.10").await.problem(429, "too-many-requests");
    // Another client behind the same balancer is not held back…
    assert_eq!(via_lb(&app, "203.0.113.11").await.status, 401);
    // …and RFC 7239's Forwarded counts as well.
    let r = from_peer(
        &app,
        "10.0.0.2:40001",
        "/api/v1/auth/token",
        &[("forwarded", "for=\"[2001:db8::5]:1234\";proto=https")],
    )
    .await;
    assert_eq!(r.status, 401);
}

fn browsers() -> HttpConfig {
    HttpConfig {
        cors_origins: Origins::parse("https://wallboard.evnspc.vn").unwrap(),
        ..HttpConfig::default()
    }
}

#[tokio::test]
async fn an_allowed_origin_may_call_with_credentials_and_read_the_headers_it_needs() {
    let app = TestApp::with_config(browsers()).await;
    // The preflight: 204, no credential needed.
    let pre = app
        .call(
            Method::OPTIONS,
            "/api/v1/work-orders",
            None,
            None,
            &[
                ("origin", "https://wallboard.evnspc.vn"),
                ("access-control-request-method", "PATCH"),
                (
                    "access-control-request-headers",
                    "authorization, if-match, idempotency-key, last-event-id",
                ),
            ],
        )
        .await;
    assert_eq!(pre.status, StatusCode::NO_CONTENT);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("https://wallboard.evnspc.vn")
    );
    assert_eq!(pre.header("access-control-allow-credentials"), Some("true"));
    let allowed = pre.header("access-control-allow-headers").unwrap();
    for h in [
        "authorization",
        "content-type",
        "last-event-id",
        "if-match",
        "idempotency-key",
        "accept-language",
    ] {
        assert!(allowed.contains(h), "{h} not allowed: {allowed}");
    }
    assert!(pre.header("access-control-allow-methods").unwrap().contains("PATCH"));
    // The call itself: the origin echoed, never `*`, and the headers exposed.
    let r = app
        .call(
            Method::GET,
            "/api/v1/calls",
            Some(&app.admin),
            None,
            &[("origin", "https://wallboard.evnspc.vn")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://wallboard.evnspc.vn")
    );
    let exposed = r.header("access-control-expose-headers").unwrap();
    for h in [
        "etag",
        "location",
        "retry-after",
        "ratelimit",
        "ratelimit-policy",
        "content-language",
    ] {
        assert!(exposed.contains(h), "{h} not exposed: {exposed}");
    }
    assert!(r.headers.get_all("vary").iter().any(|v| v == "origin"));
}

#[tokio::test]
async fn another_origin_gets_no_cors_headers_and_none_are_sent_when_no_origin_is_configured() {
    let app = TestApp::with_config(browsers()).await;
    let evil = [
        ("origin", "https://evil.example"),
        ("access-control-request-method", "GET"),
    ];
    let pre = app.call(Method::OPTIONS, "/api/v1/calls", None, None, &evil).await;
    assert_ne!(pre.status, StatusCode::NO_CONTENT);
    let r = app
        .call(Method::GET, "/api/v1/calls", Some(&app.admin), None, &evil[..1])
        .await;
    for reply in [&pre, &r] {
        assert!(
            !reply.headers.keys().any(|k| k.as_str().starts_with("access-control-")),
            "{:?}",
            reply.headers
        );
    }
    let plain = TestApp::new().await;
    let r = plain
        .call(
            Method::GET,
            "/api/v1/calls",
            Some(&plain.admin),
            None,
            &[("origin", "https://wallboard.evnspc.vn")],
        )
        .await;
    assert!(!r.headers.keys().any(|k| k.as_str().starts_with("access-control-")));
}

#[tokio::test]
async fn answers_are_not_kept_by_caches_nor_sniffed_and_json_is_compressed() {
    let app = TestApp::new().await;
    let token = app
        .call(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "admin", "password": crate::support::ADMIN_PASSWORD})),
            &[],
        )
        .await;
    assert_eq!(token.header("cache-control"), Some("no-store"));
    let calls = app.get("/api/v1/calls", &app.admin).await;
    assert_eq!(calls.header("cache-control"), Some("no-store"));
    assert_eq!(calls.header("x-content-type-options"), Some("nosniff"));
    let health = app.call(Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(health.header("x-content-type-options"), Some("nosniff"));
    assert!(health.header("cache-control").is_none());
    // JSON is compressed when the client asks for it, and only then.
    let gz = app
        .call(Method::GET, "/openapi.json", None, None, &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let br = app
        .call(Method::GET, "/openapi.json", None, None, &[("accept-encoding", "br")])
        .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    let plain = app.call(Method::GET, "/openapi.json", None, None, &[]).await;
    assert!(plain.header("content-encoding").is_none());
    assert!(plain.json()["paths"].is_object());
    // The live stream never is: events must reach the browser as written.
    let req = Request::get("/api/v1/stream")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
}

/// The state the test app's router was built on, built again on its
/// database (for a router with an extra route, or its workers).
fn state_on(app: &TestApp, hotline: hotline_app::App) -> AppState {
    let _ = app;
    AppState {
        events: hotline_http::stream::EventHub::new(hotline.store.clone()),
        app: hotline,
        jwt: Arc::new(hotline_http::auth::jwt::JwtKeys::new(b"edge tests only")),
        principals: Arc::new(hotline_http::auth::principals::PrincipalCache::new(Duration::ZERO)),
        config: Arc::new(HttpConfig::default()),
        metrics: hotline_http::middleware::install_recorder(),
    }
}

async fn send(router: &Router, req: Request<Body>) -> Reply {
    use http_body_util::BodyExt;
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

#[tokio::test]
async fn a_handler_that_panics_answers_500_and_the_service_carries_on() {
    let app = TestApp::new().await;
    let state = state_on(&app, hotline::wiring::app(&app.db));
    let extra = Router::new().route(
        "/boom",
        get(|| async {
            panic!("secret detail of 0909123456");
            #[allow(unreachable_code)]
            ""
        }),
    );
    let router = hotline_http::with_routes(state, extra);
    let r = send(&router, Request::get("/boom").body(Body::empty()).unwrap()).await;
    let p = r.problem(500, "internal");
    assert!(
        !r.text.contains("secret") && !r.text.contains("0909123456"),
        "{}",
        r.text
    );
    assert_eq!(p["trace_id"].as_str().map(str::len), Some(32));
    assert!(r.header("x-request-id").is_some());
    // The same service answers the next request.
    let ok = send(&router, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(ok.status, 200);
}

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[tokio::test]
async fn the_callers_trace_is_continued_and_named_in_problems() {
    let app = TestApp::new().await;
    let r = app
        .call(
            Method::GET,
            "/api/v1/calls",
            Some(&app.admin),
            None,
            &[("traceparent", TRACEPARENT)],
        )
        .await;
    let back = r.header("traceparent").unwrap();
    assert!(
        back.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-") && back.ends_with("-01"),
        "{back}"
    );
    assert_ne!(back, TRACEPARENT, "this server's span is a child, not the caller's");
    // A problem names the trace, in English and in Vietnamese.
    for lang in ["en", "vi"] {
        let r = app
            .call(
                Method::GET,
                "/api/v1/no-such-thing",
                Some(&app.admin),
                None,
                &[("traceparent", TRACEPARENT), ("accept-language", lang)],
            )
            .await;
        let p = r.problem(404, "not-found");
        assert_eq!(p["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736", "{lang}");
    }
    // A malformed traceparent is ignored: a new trace is started.
    for bad in [
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-zz-yy-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ] {
        let r = app
            .call(Method::GET, "/api/v1/nothing", None, None, &[("traceparent", bad)])
            .await;
        let p = r.problem(404, "not-found");
        let id = p["trace_id"].as_str().unwrap();
        assert_eq!(id.len(), 32);
        assert_ne!(id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert!(r.header("traceparent").unwrap().contains(id));
    }
    // Without one, a new trace per request.
    let a = app.call(Method::GET, "/api/v1/nothing", None, None, &[]).await.json()["trace_id"].clone();
    let b = app.call(Method::GET, "/api/v1/nothing", None, None, &[]).await.json()["trace_id"].clone();
    assert_ne!(a, b);
}

#[tokio::test]
async fn a_worker_whose_tick_panics_is_named_by_readiness_and_metrics_until_it_runs_cleanly() {
    let app = TestApp::new().await;
    let hotline = hotline::wiring::app(&app.second_db().await);
    let router = hotline_http::app(state_on(&app, hotline.clone()));
    let failing = Arc::new(AtomicBool::new(true));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let flag = failing.clone();
    let worker = hotline::workers::every(
        "meter reading import",
        Duration::from_millis(50),
        &hotline,
        stopped,
        move |_| {
            let flag = flag.clone();
            async move {
                if flag.load(Ordering::SeqCst) {
                    panic!("injected failure");
                }
            }
        },
    );
    let get = |uri: &'static str| {
        let router = router.clone();
        async move { send(&router, Request::get(uri).body(Body::empty()).unwrap()).await }
    };
    let mut ready = get("/readyz").await;
    for _ in 0..100 {
        if ready.status == 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        ready = get("/readyz").await;
    }
    let p = ready.problem(503, "not-ready");
    assert!(p["detail"].as_str().unwrap().contains("meter reading import"), "{p}");
    let metrics = get("/metrics").await.text;
    assert!(
        metrics.contains("hotline_worker_healthy{worker=\"meter reading import\"} 0"),
        "{metrics}"
    );
    assert!(metrics.contains("hotline_worker_restarts_total{worker=\"meter reading import\"} "));
    // Fixed: after its pause it runs cleanly and readiness recovers.
    failing.store(false, Ordering::SeqCst);
    let mut ready = get("/readyz").await;
    for _ in 0..300 {
        if ready.status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        ready = get("/readyz").await;
    }
    assert_eq!(ready.status, 200, "{}", ready.text);
    let metrics = get("/metrics").await.text;
    assert!(
        metrics.contains("hotline_worker_healthy{worker=\"meter reading import\"} 1"),
        "{metrics}"
    );
    stop.send(true).unwrap();
    worker.await.unwrap();
}
