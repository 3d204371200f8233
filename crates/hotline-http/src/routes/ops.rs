//! Liveness, readiness and Prometheus metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    pub status: String,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "Up", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// The database answers and every migration is applied.
#[utoipa::path(
    get, path = "/readyz", tag = "ops",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Not ready", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn readyz(State(st): State<AppState>) -> Response {
    match hotline_app::health::ready(&st.app).await {
        Ok(()) => Json(Health { status: "ok".into() }).into_response(),
        Err(reason) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready", reason)
            .with_header(header::RETRY_AFTER, "5")
            .into_response(),
    }
}

/// Prometheus text exposition: request counts and latency histograms by
/// route and status, the business gauges (calls ringing and in progress,
/// open work orders by status, deadlines breached), and each background
/// worker's restarts and health.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Metrics in the Prometheus text format", content_type = "text/plain", body = String)))]
async fn metrics(State(st): State<AppState>) -> Response {
    let mut text = st.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    text.push_str(&super::reports::gauges::render(&st).await);
    text.push_str(&workers(&st));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Each background worker's restarts after a panic and whether its last
/// tick ran cleanly (1) or panicked (0).
fn workers(st: &AppState) -> String {
    use std::fmt::Write;
    let all = st.app.workers.all();
    if all.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "# HELP hotline_worker_restarts_total Ticks of a background worker that panicked (each restarted after a pause).\n\
         # TYPE hotline_worker_restarts_total counter\n",
    );
    for (name, s) in &all {
        let _ = writeln!(out, "hotline_worker_restarts_total{{worker=\"{name}\"}} {}", s.restarts);
    }
    out.push_str(
        "# HELP hotline_worker_healthy Whether a background worker's last tick ran cleanly (1) or panicked (0).\n\
         # TYPE hotline_worker_healthy gauge\n",
    );
    for (name, s) in &all {
        let _ = writeln!(
            out,
            "hotline_worker_healthy{{worker=\"{name}\"}} {}",
            u8::from(s.healthy)
        );
    }
    out
}
