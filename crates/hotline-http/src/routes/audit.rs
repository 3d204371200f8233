//! Reading the audit trail.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging;
use crate::dto::audit::{AuditPage, AuditQuery, AuditView};
use crate::dto::cursor;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Who changed what, newest first (admins and supervisors).
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = AuditPage),
        (status = 400, description = "Invalid parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only admins and supervisors", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_audit(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    auth.require(auth.0.role.can_read_audit(), "read the audit trail")?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = st.ports.audit.list(q.entity.as_str(), q.id, after, limit).await?;
    Ok(Json(AuditPage {
        items: page.items.into_iter().map(AuditView::from).collect(),
        next_cursor: page.next.map(cursor::encode),
    }))
}
