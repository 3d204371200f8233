//! An incident's life after it is declared: work orders attached, the
//! incident activated, and resolved with its outage work orders.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::incidents;
use uuid::Uuid;

use crate::dto::incidents::{AttachBody, IncidentView, ResolvedIncidentView};
use crate::dto::params::IncidentIdParam;
use crate::dto::problems::{MalformedId, MayNotManageIncidents, NoSuchIncident, NotJson};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::state::AppState;

use super::respond;

/// Attach a work order (by id or short code) to the incident.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/work-orders", tag = "incidents",
    params(IncidentIdParam),
    request_body = AttachBody,
    responses(
        (status = 200, description = "Attached (or already was)", body = IncidentView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or id", body = Problem, content_type = "application/problem+json"),
        MayNotManageIncidents,
        (status = 404, description = "No such incident or work order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The incident is resolved, or the work order belongs to another incident", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "Invalid fields (unknown or empty work_order_id)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn attach(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    json: ApiJson<AttachBody>,
) -> ApiResult<Response> {
    let inc = incidents::attach(&st.app, &auth.0, id, &json.body.work_order_id).await?;
    respond(&st, StatusCode::OK, &inc).await
}

/// Confirm a proposed incident: it becomes active.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/activate", tag = "incidents",
    params(IncidentIdParam),
    responses(
        (status = 200, description = "Active", body = IncidentView, headers(("ETag" = String))),
        MalformedId,
        MayNotManageIncidents,
        NoSuchIncident,
        (status = 409, description = "Not proposed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn activate(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let next = incidents::activate(&st.app, &auth.0, id).await?;
    respond(&st, StatusCode::OK, &next).await
}

/// Resolve the incident: every attached open outage work order is resolved
/// with it, in one transaction. Answers the customers to call back.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/resolve", tag = "incidents",
    params(IncidentIdParam),
    responses(
        (status = 200, description = "Resolved", body = ResolvedIncidentView),
        MalformedId,
        MayNotManageIncidents,
        NoSuchIncident,
        (status = 409, description = "Already resolved, or something changed meanwhile", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn resolve(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResolvedIncidentView>> {
    let done = incidents::resolve(&st.app, &auth.0, id).await?;
    Ok(Json(ResolvedIncidentView {
        incident: IncidentView::new(&done.incident, Some(done.work_order_ids)),
        resolved_work_order_ids: done.resolved_work_order_ids,
        callbacks: done.callbacks.into_iter().map(Into::into).collect(),
    }))
}
