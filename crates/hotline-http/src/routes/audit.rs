//! Reading the audit trail.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging;
use crate::dto::audit::{AuditPage, AuditQuery, AuditView};
use crate::dto::cursor;
use crate::dto::problems::{InvalidParameter, Unavailable};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;
use hotline_app::audit;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Who changed what, newest first (admins and supervisors).
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = AuditPage),
        InvalidParameter,
        (status = 403, description = "Only admins and supervisors; users, API keys and webhooks only admins", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A work order the caller may not read", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_audit(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    // The caller's rights are checked before the paging parameters.
    audit::may_read(&auth.0, q.entity.as_str())?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let asked = audit::AuditQuery {
        entity: q.entity.as_str(),
        id: q.id,
        after,
        limit,
    };
    let page = audit::page(&st.app, &auth.0, &asked).await?;
    Ok(Json(AuditPage {
        items: page.items.into_iter().map(AuditView::from).collect(),
        next_cursor: page.next.map(cursor::encode),
    }))
}
