//! The HTTP face of hotline: axum routers per resource, extractors, request
//! and response bodies with OpenAPI schemas, and errors as problem+json.
//! It sees the domain's ports, never the database.

pub mod auth;
pub mod dto;
pub mod edge;
pub mod error;
pub mod extract;
pub mod i18n;
mod idempotent;
pub mod middleware;
mod openapi;
mod render;
pub mod routes;
pub mod state;
pub mod stream;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

pub use openapi::spec;
pub use state::{AppState, HttpConfig};

use edge::RateLimiter;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every documented route, with the OpenAPI document they make up.
fn api() -> OpenApiRouter<AppState> {
    let mut api = OpenApiRouter::with_openapi(openapi::base())
        .merge(routes::ops::router())
        .merge(routes::auth::router())
        .merge(routes::users::router())
        .merge(routes::api_keys::router())
        .merge(routes::calls::router())
        .merge(routes::audit::router())
        .merge(routes::customers::router())
        .merge(routes::blocked::router())
        .merge(routes::cti::router())
        .merge(routes::threecx::router())
        .merge(routes::org::router())
        .merge(routes::calendars::router())
        .merge(routes::sla::router())
        .merge(routes::work_orders::router())
        .merge(routes::incidents::router())
        .merge(routes::planned_outages::router())
        .merge(routes::routing::router())
        .merge(routes::webhooks::router())
        .merge(routes::reports::router())
        .merge(routes::open311::router())
        .merge(routes::stream::router())
        .merge(routes::callbacks::router())
        .merge(routes::new_supply::router())
        .merge(routes::articles::router())
        .merge(routes::call_topics::router())
        .merge(routes::surveys::router())
        .merge(routes::complaints::router())
        .merge(routes::accounts::router())
        .merge(routes::privacy::reads::router())
        .merge(routes::privacy::access::router())
        .merge(routes::privacy::erasures::router());
    openapi::finish(api.get_openapi_mut());
    api
}

/// API keys can travel in a path (`/api/v1/cti/{token}`, as PBXs are set up
/// with a URL): they never reach the logs.
fn redact_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with(hotline_app::secrets::API_KEY_PREFIX) {
                "hk_…"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    with_routes(state, Router::new())
}

/// The application with `extra` routes served under every layer (tests
/// add one that panics).
pub fn with_routes(state: AppState, extra: Router<AppState>) -> Router {
    let body_limit = state.config.body_limit_bytes;
    let timeout = state.config.request_timeout;
    let language = state.config.default_language;
    let (router, spec) = api().split_for_parts();
    let docs = SwaggerUi::new("/docs")
        .url("/openapi.json", spec)
        .config(Config::default().validator_url("none"));
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            let trace_id = req
                .extensions()
                .get::<edge::trace::TraceContext>()
                .map(|t| t.trace_id_hex())
                .unwrap_or_default();
            let client = req
                .extensions()
                .get::<edge::ClientIp>()
                .map(|c| c.0.to_string())
                .unwrap_or_else(|| "-".into());
            tracing::info_span!("request", method = %req.method(), uri = %redact_path(req.uri().path()),
                request_id = %id, trace_id = %trace_id, client = %client)
        })
        .on_response(
            DefaultOnResponse::new()
                .level(Level::INFO)
                .latency_unit(LatencyUnit::Millis),
        );
    // Innermost first: the body limit and timeout act on the handler; a
    // panic becomes a 500; the problem layer turns bare statuses into
    // problem+json (and the Open311 layer those under /open311 into
    // Open311's list); the rate limit refuses before the handler runs;
    // metrics see the final status; then the headers every answer carries,
    // compression (never the live stream), CORS, the request id and log
    // span, the client's address and the trace context outermost.
    let c = &state.config;
    let people = RateLimiter::new(c.rate_limit_per_minute, c.rate_limit_burst).map(std::sync::Arc::new);
    let keys = RateLimiter::new(c.key_rate_limit_per_minute, c.key_rate_limit_burst).map(std::sync::Arc::new);
    let limits = (people.is_some() || keys.is_some()).then(|| edge::rate_limit::Limits {
        people,
        keys,
        state: state.clone(),
    });
    let proxies = std::sync::Arc::new(state.config.trusted_proxies.clone());
    let origins = state.config.cors_origins.clone();
    let spans = state.app.spans.clone();
    let routed = router
        .merge(extra)
        .merge(docs)
        .fallback(|| async { error::ApiError::for_status(StatusCode::NOT_FOUND) })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(CatchPanicLayer::custom(edge::panic::answer))
        .layer(axum::middleware::from_fn(middleware::problemify));
    let limited = match limits {
        Some(l) => routed.layer(axum::middleware::from_fn_with_state(l, edge::rate_limit::limit)),
        None => routed,
    };
    limited
        .layer(axum::middleware::from_fn_with_state(language, i18n::localise))
        .layer(axum::middleware::from_fn(routes::open311::errors::open311_errors))
        .layer(axum::middleware::from_fn(middleware::record))
        .layer(axum::middleware::from_fn(edge::headers::secure))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(origins, edge::cors::cors))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
        .layer(axum::middleware::from_fn_with_state(proxies, edge::client::resolve))
        .layer(axum::middleware::from_fn_with_state(spans, edge::trace::trace))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_in_paths_are_redacted() {
        assert_eq!(super::redact_path("/api/v1/cti/hk_secret123"), "/api/v1/cti/hk_…");
        assert_eq!(super::redact_path("/api/v1/calls"), "/api/v1/calls");
    }
}
