//! An incident's life after it is declared: work orders attached, the
//! incident activated, and resolved with its outage work orders.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{Action, Status, WorkOrder, WorkOrderCode, WorkOrderEvent};
use serde_json::json;
use uuid::Uuid;

use crate::dto::incidents::{AttachBody, IncidentView, ResolvedIncidentView};
use crate::dto::problems::{MalformedId, MayNotManageIncidents, NoSuchIncident, NotJson};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::state::AppState;
use hotline_app::clustering::attach_event;
use hotline_app::work_orders::readable;

use super::{find_to_change, may_write, respond};

/// Attach a work order (by id or short code) to the incident.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/work-orders", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id")),
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
    may_write(&auth)?;
    let inc = find_to_change(&st, &auth.0, id).await?;
    let wo = find_work_order(&st, &auth.0, &json.body.work_order_id).await?;
    if wo.incident_id == Some(inc.id) {
        return respond(&st, StatusCode::OK, &inc).await;
    }
    if !inc.is_open() {
        return Err(ApiError::conflict(
            "the incident is resolved; work orders no longer attach to it",
        ));
    }
    if let Some(other) = wo.incident_id {
        return Err(ApiError::conflict(format!(
            "work order {} is attached to incident {other}",
            wo.code
        )));
    }
    let now = st.app.now();
    let event = attach_event(wo.id, inc.id, &auth.0.actor(), now);
    let audits = [
        AuditEntry::new(
            "work_order",
            wo.id,
            "attach_incident",
            &auth.0,
            now,
            json!({ "incident_id": { "from": null, "to": inc.id } }),
        ),
        AuditEntry::new(
            "incident",
            inc.id,
            "attach",
            &auth.0,
            now,
            json!({ "work_order_id": wo.id }),
        ),
    ];
    if !st
        .app
        .store
        .incidents()
        .attach(inc.id, wo.id, wo.version, &event, &audits)
        .await?
    {
        return Err(ApiError::conflict("the work order changed meanwhile; try again"));
    }
    respond(&st, StatusCode::OK, &inc).await
}

/// A work order the caller may read, by id or short code (404 otherwise).
async fn find_work_order(st: &AppState, who: &Principal, key: &str) -> ApiResult<WorkOrder> {
    let key = key.trim();
    let found = match Uuid::parse_str(key) {
        Ok(id) => st.app.store.work_orders().get(id).await?,
        Err(_) => match WorkOrderCode::parse(key) {
            Ok(code) => st.app.store.work_orders().get_by_code(&code.to_string()).await?,
            Err(_) => None,
        },
    };
    match found {
        Some(wo) if readable(&st.app, who, &wo).await? => Ok(wo),
        _ => Err(ApiError::not_found("work order")),
    }
}

/// Confirm a proposed incident: it becomes active.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/activate", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id")),
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
    may_write(&auth)?;
    let current = find_to_change(&st, &auth.0, id).await?;
    let now = st.app.now();
    let next = current.activated(now)?;
    let entry = AuditEntry::new(
        "incident",
        id,
        "activate",
        &auth.0,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    );
    if !st.app.store.incidents().update(&next, current.version, &entry).await? {
        return Err(ApiError::conflict("the incident changed meanwhile; try again"));
    }
    respond(&st, StatusCode::OK, &next).await
}

/// The work order resolved along with its incident, whatever open state it
/// was in (an open pause ends).
fn resolved_with(wo: &WorkOrder, now: chrono::DateTime<chrono::Utc>) -> WorkOrder {
    let mut next = wo.clone();
    next.status = Status::Resolved;
    next.held_from = None;
    next.resolved_at = Some(now);
    if let Some(open) = next.pauses.iter_mut().find(|p| p.1.is_none()) {
        open.1 = Some(now);
    }
    next.updated_at = now.max(wo.updated_at);
    next.version += 1;
    next
}

/// Resolve the incident: every attached open outage work order is resolved
/// with it, in one transaction. Answers the customers to call back.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/resolve", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id")),
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
    may_write(&auth)?;
    let current = find_to_change(&st, &auth.0, id).await?;
    let now = st.app.now();
    let next = current.resolved(now)?;
    let who: &Principal = &auth.0;
    let mut work_orders = Vec::new();
    let mut events = Vec::new();
    let mut audits = vec![AuditEntry::new(
        "incident",
        id,
        "resolve",
        who,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    )];
    for wo_id in st.app.store.incidents().work_order_ids(id).await? {
        let Some(wo) = st.app.store.work_orders().get(wo_id).await? else {
            continue;
        };
        if wo.category != Category::Outage || !wo.is_open() {
            continue;
        }
        let done = resolved_with(&wo, now);
        let mut ev = WorkOrderEvent::new(&done, "transition", &who.actor(), now);
        ev.action = Some(Action::Resolve);
        ev.from_status = Some(wo.status);
        ev.note = Some(format!("resolved with incident {id}"));
        ev.detail = json!({ "incident_id": id });
        events.push(ev);
        audits.push(AuditEntry::new(
            "work_order",
            wo.id,
            Action::Resolve.as_str(),
            who,
            now,
            diff(&wo.audit_view(), &done.audit_view()),
        ));
        work_orders.push((done, wo.version));
    }
    if !st
        .app
        .store
        .incidents()
        .resolve(&next, current.version, &work_orders, &events, &audits)
        .await?
    {
        return Err(ApiError::conflict(
            "the incident or one of its work orders changed meanwhile; try again",
        ));
    }
    let ids = st.app.store.incidents().work_order_ids(id).await?;
    let callbacks = st.app.store.incidents().callbacks(id).await?;
    Ok(Json(ResolvedIncidentView {
        incident: IncidentView::new(&next, Some(ids)),
        resolved_work_order_ids: work_orders.iter().map(|(w, _)| w.id).collect(),
        callbacks: callbacks.into_iter().map(Into::into).collect(),
    }))
}
