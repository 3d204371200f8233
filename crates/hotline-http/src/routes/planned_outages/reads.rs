//! Reading notices: one, its history, and those a call-taker mentions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::planned_outages;
use hotline_domain::time::RangeEnd;
use uuid::Uuid;

use super::instant;
use crate::dto::audit::{AuditPage, AuditView};
use crate::dto::cursor;
use crate::dto::page::Page;
use crate::dto::planned_outages::{AffectingQuery, HistoryQuery, PlannedOutageView};
use crate::dto::problems::{BadParameter, MalformedId};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::routes::{paging, versioned};
use crate::state::AppState;

/// One notice.
#[utoipa::path(
    get, path = "/api/v1/planned-outages/{id}", tag = "planned-outages",
    params(("id" = Uuid, Path, description = "The notice's id")),
    responses(
        (status = 200, description = "The notice", body = PlannedOutageView, headers(("ETag" = String))),
        MalformedId,
        (status = 403, description = "The role may not read planned outages", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn get_notice(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let n = planned_outages::get(&st.app, &auth.0, id).await?;
    versioned(StatusCode::OK, &PlannedOutageView::from(&n), None, n.version)
}

/// Every change to a notice, newest first: who created, edited, published
/// (late or not), postponed (from which window to which) or cancelled it.
#[utoipa::path(
    get, path = "/api/v1/planned-outages/{id}/history", tag = "planned-outages",
    params(("id" = Uuid, Path, description = "The notice's id"), HistoryQuery),
    responses(
        (status = 200, description = "A page of changes", body = AuditPage),
        (status = 400, description = "Malformed id or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read planned outages", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice (or another unit's)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn notice_history(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<AuditPage>> {
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = planned_outages::history(&st.app, &auth.0, id, after, limit).await?;
    Ok(Json(Page {
        next_cursor: page.next.map(cursor::encode),
        items: page.items.into_iter().map(AuditView::from).collect(),
    }))
}

/// The published or in-progress notices not over yet that cover an area
/// (the area or one of its ancestors is one of theirs: a district's notice
/// covers its communes) or name a customer: what a call-taker tells the
/// caller. Within the caller's subtree.
#[utoipa::path(
    get, path = "/api/v1/planned-outages/affecting", tag = "planned-outages",
    params(AffectingQuery),
    responses(
        (status = 200, description = "The notices, newest first", body = Vec<PlannedOutageView>),
        BadParameter,
        (status = 403, description = "The role may not read planned outages", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn affecting(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AffectingQuery>,
) -> ApiResult<Json<Vec<PlannedOutageView>>> {
    planned_outages::may_read(&auth.0)?;
    let area = match q.area.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => Some(hotline_domain::customer::check_code(r).map_err(|m| ApiError::invalid_parameter("area", m))?),
    };
    let customer = match q.customer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => {
            Some(hotline_domain::customer_code::normalize(r).map_err(|m| ApiError::invalid_parameter("customer", m))?)
        }
    };
    let at = instant("at", q.at.as_deref(), RangeEnd::Start)?.unwrap_or_else(|| st.app.now());
    let found = planned_outages::affecting_for(&st.app, &auth.0, area.as_deref(), customer.as_deref(), at).await?;
    Ok(Json(found.iter().map(PlannedOutageView::from).collect()))
}
