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
/// route and status, and the business gauges (calls ringing and in
/// progress, open work orders by status, deadlines breached).
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Metrics in the Prometheus text format", content_type = "text/plain", body = String)))]
async fn metrics(State(st): State<AppState>) -> Response {
    let mut text = st.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    text.push_str(&super::reports::gauges::render(&st).await);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
