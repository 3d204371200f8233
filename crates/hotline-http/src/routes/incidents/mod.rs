//! Outage incidents: declared by dispatchers (or proposed by clustering),
//! with work orders attached; resolving one resolves its outage work orders
//! and lists the customers to call back.

mod lifecycle;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::incidents;
use hotline_domain::incident::Incident;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::incidents::{IncidentListQuery, IncidentPatchBody, IncidentView, NewIncidentBody};
use crate::dto::params::{IfMatchHeader, IncidentIdParam};
use crate::dto::problems::{
    BadParameter, MalformedBodyOrIfMatch, MalformedId, MalformedJson, MayNotManageIncidents, MayNotReadIncidents,
    NoSuchIncident, NotJson, VersionedEdit,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::{created_at, versioned};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(declare, list_incidents))
        .routes(routes!(get_incident, patch_incident))
        .routes(routes!(lifecycle::attach))
        .routes(routes!(lifecycle::activate))
        .routes(routes!(lifecycle::resolve))
}

async fn respond(st: &AppState, status: StatusCode, inc: &Incident) -> ApiResult<Response> {
    let ids = incidents::work_order_ids(&st.app, inc).await?;
    let location = format!("/api/v1/incidents/{}", inc.id);
    versioned(
        status,
        &IncidentView::new(inc, Some(ids)),
        created_at(status, &location),
        inc.version,
    )
}

/// Declare an outage incident: it is active at once.
#[utoipa::path(
    post, path = "/api/v1/incidents", tag = "incidents",
    request_body = NewIncidentBody,
    responses(
        (status = 201, description = "Declared", body = IncidentView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        MayNotManageIncidents,
        NotJson,
        (status = 422, description = "Invalid fields (no area, unknown area, estimate not after the start)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn declare(State(st): State<AppState>, auth: Auth, json: ApiJson<NewIncidentBody>) -> ApiResult<Response> {
    let inc = incidents::declare(&st.app, &auth.0, json.body.into()).await?;
    respond(&st, StatusCode::CREATED, &inc).await
}

/// Incidents, newest first; by status, and by area: those covering the
/// area (one of their areas is it or an ancestor) or within it.
#[utoipa::path(
    get, path = "/api/v1/incidents", tag = "incidents",
    params(IncidentListQuery),
    responses(
        (status = 200, description = "The incidents", body = Vec<IncidentView>),
        BadParameter,
        MayNotReadIncidents,
    ),
    security(("bearer" = []))
)]
async fn list_incidents(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<IncidentListQuery>,
) -> ApiResult<Json<Vec<IncidentView>>> {
    // A caller who may not read incidents hears so before any word on the
    // parameters.
    incidents::may_read(&auth.0)?;
    let limit = match q.limit {
        None => 100,
        Some(l @ 1..=500) => l as u64,
        Some(_) => return Err(ApiError::invalid_parameter("limit", "must be from 1 to 500")),
    };
    let area = match q.area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => {
            Some(hotline_domain::customer::check_code(raw).map_err(|m| ApiError::invalid_parameter("area", m))?)
        }
    };
    let statuses = q.status.map(|s| vec![s.into()]).unwrap_or_default();
    let found = incidents::list(&st.app, &auth.0, statuses, area.as_deref(), limit).await?;
    Ok(Json(found.iter().map(|i| IncidentView::new(i, None)).collect()))
}

/// One incident, with the work orders attached to it.
#[utoipa::path(
    get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(IncidentIdParam),
    responses(
        (status = 200, description = "The incident", body = IncidentView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadIncidents,
        NoSuchIncident,
    ),
    security(("bearer" = []))
)]
async fn get_incident(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let inc = incidents::get(&st.app, &auth.0, id).await?;
    respond(&st, StatusCode::OK, &inc).await
}

/// Update the estimate, the cause or the areas. Send `If-Match`.
#[utoipa::path(
    patch, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(IncidentIdParam, IfMatchHeader),
    request_body = IncidentPatchBody,
    responses(
        (status = 200, description = "Updated", body = IncidentView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        MayNotManageIncidents,
        NoSuchIncident,
        (status = 409, description = "Already resolved", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn patch_incident(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, IncidentPatchBody>,
) -> ApiResult<Response> {
    let next = incidents::patch(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    respond(&st, StatusCode::OK, &next).await
}
