//! Reading the audit trail.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging;
use crate::dto::audit::{AuditEntity, AuditPage, AuditQuery, AuditView};
use crate::dto::cursor;
use crate::dto::problems::{InvalidParameter, Unavailable};
use crate::error::{ApiError, ApiResult, Problem};
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
    auth.require(auth.0.role.can_read_audit(), "read the audit trail")?;
    // Users, keys and webhooks are admins' to read; so is their history.
    let admins_only = matches!(q.entity, AuditEntity::User | AuditEntity::ApiKey | AuditEntity::Webhook);
    auth.require(
        !admins_only || auth.0.role.can_manage_access(),
        "read the audit trail of users, API keys and webhooks",
    )?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let page = st.app.store.audit().list(q.entity.as_str(), q.id, after, limit).await?;
    let mut items = page.items;
    // A work order's trail holds the work order: only those the caller may
    // read, as the work-order list shows them (a page may come back short).
    if matches!(q.entity, AuditEntity::WorkOrder) {
        let mut readable = std::collections::HashMap::new();
        for e in &items {
            if let std::collections::hash_map::Entry::Vacant(slot) = readable.entry(e.entity_id) {
                let wo = st.app.store.work_orders().get(e.entity_id).await?;
                let ok = match wo {
                    Some(wo) => hotline_app::work_orders::readable(&st.app, &auth.0, &wo).await?,
                    None => auth.0.role.can_manage_access(),
                };
                slot.insert(ok);
            }
        }
        if q.id.is_some_and(|id| readable.get(&id) == Some(&false)) {
            return Err(ApiError::not_found("work order"));
        }
        items.retain(|e| readable.get(&e.entity_id) == Some(&true));
    }
    Ok(Json(AuditPage {
        items: items.into_iter().map(AuditView::from).collect(),
        next_cursor: page.next.map(cursor::encode),
    }))
}
