//! Outage incidents: declared by dispatchers (or proposed by clustering),
//! with work orders attached; resolving one resolves its outage work orders
//! and lists the customers to call back.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::incident::{Incident, IncidentFilter, IncidentStatus};
use hotline_domain::org::NodeFilter;
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{Action, Status, WorkOrder, WorkOrderCode, WorkOrderEvent};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::work_orders::readable;
use crate::dto::incidents::{
    AttachBody, IncidentListQuery, IncidentPatchBody, IncidentView, NewIncidentBody, ResolvedIncidentView,
};
use crate::dto::problems::{
    BadParameter, ChangedSinceRead, IfMatchMissing, InvalidFields, MalformedBodyOrIfMatch, MalformedId, MalformedJson,
    MayNotManageIncidents, MayNotReadIncidents, NoSuchIncident, NotJson,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::idempotent::json_response;
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;
use crate::workflow::incidents::{ancestry, attach_event};
use crate::workflow::placement::areas_unit;
use crate::workflow::scope::sees_unit;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(declare, list_incidents))
        .routes(routes!(get_incident, patch_incident))
        .routes(routes!(attach))
        .routes(routes!(activate))
        .routes(routes!(resolve))
}

fn may_read(auth: &Auth) -> ApiResult<()> {
    auth.require(auth.0.role.can_read_incidents(), "read incidents")
}

fn may_write(auth: &Auth) -> ApiResult<()> {
    auth.require(auth.0.role.can_manage_incidents(), "manage incidents")
}

async fn respond(st: &AppState, status: StatusCode, inc: &Incident) -> ApiResult<Response> {
    let ids = st.ports.incidents.work_order_ids(inc.id).await?;
    let body =
        serde_json::to_string(&IncidentView::new(inc, Some(ids))).map_err(|e| ApiError::internal(e.to_string()))?;
    let location = format!("/api/v1/incidents/{}", inc.id);
    let location = (status == StatusCode::CREATED).then_some(location.as_str());
    Ok(json_response(status, body, location, Some(inc.version)))
}

async fn find(st: &AppState, id: Uuid) -> ApiResult<Incident> {
    st.ports
        .incidents
        .get(id)
        .await?
        .ok_or_else(|| ApiError::not_found("incident"))
}

/// The incident as the caller may change it: one in a unit outside their
/// subtree is not there for them (404), as with work orders.
async fn find_to_change(st: &AppState, who: &Principal, id: Uuid) -> ApiResult<Incident> {
    let inc = find(st, id).await?;
    if sees_unit(st, who, inc.unit_code.as_deref()).await? {
        Ok(inc)
    } else {
        Err(ApiError::not_found("incident"))
    }
}

/// Places the incident in the unit serving its areas; the caller must be
/// able to change it afterwards (422 naming `area_codes` otherwise).
async fn placed(st: &AppState, who: &Principal, mut inc: Incident) -> ApiResult<Incident> {
    inc.unit_code = areas_unit(&st.ports, &inc.area_codes).await?;
    if !sees_unit(st, who, inc.unit_code.as_deref()).await? {
        return Err(ApiError::invalid_field(
            "area_codes",
            match &inc.unit_code {
                Some(u) => format!("the areas are served by unit {u}, outside your unit"),
                None => "no unit serves these areas; only the centre's staff declare incidents there".into(),
            },
        ));
    }
    Ok(inc)
}

/// Every area code must name an area of the organisation.
async fn check_areas(st: &AppState, inc: &Incident) -> ApiResult<()> {
    let known = st.ports.org.areas_by_code(&inc.area_codes).await?;
    let unknown: Vec<&str> = inc
        .area_codes
        .iter()
        .filter(|c| !known.iter().any(|a| &a.code == *c))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "area_codes",
            format!("unknown areas: {}", unknown.join(", ")),
        ))
    }
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
    may_write(&auth)?;
    let now = hotline_domain::time::now();
    let inc = Incident::create(json.body.into(), IncidentStatus::Active, &auth.0.actor(), now)?;
    check_areas(&st, &inc).await?;
    let inc = placed(&st, &auth.0, inc).await?;
    let entry = AuditEntry::new("incident", inc.id, "create", &auth.0, now, inc.audit_view());
    st.ports.incidents.create(&inc, &[], &[entry]).await?;
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
    may_read(&auth)?;
    let limit = match q.limit {
        None => 100,
        Some(l @ 1..=500) => l as u64,
        Some(_) => return Err(ApiError::invalid_parameter("limit", "must be from 1 to 500")),
    };
    let area_codes = match q.area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => {
            let code = hotline_domain::customer::check_code(raw).map_err(|m| ApiError::invalid_parameter("area", m))?;
            let mut codes = ancestry(&st, &code).await?;
            if let Some(area) = st.ports.org.get_area(&code).await? {
                let within = NodeFilter {
                    within: Some(area.path.clone()),
                    ..NodeFilter::default()
                };
                for a in st.ports.org.list_areas(&within, None, 10_000).await? {
                    if !codes.contains(&a.code) {
                        codes.push(a.code);
                    }
                }
            }
            Some(codes)
        }
    };
    let filter = IncidentFilter {
        statuses: q.status.map(|s| vec![s.into()]).unwrap_or_default(),
        area_codes,
    };
    let found = st.ports.incidents.list(&filter, limit).await?;
    Ok(Json(found.iter().map(|i| IncidentView::new(i, None)).collect()))
}

/// One incident, with the work orders attached to it.
#[utoipa::path(
    get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id")),
    responses(
        (status = 200, description = "The incident", body = IncidentView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadIncidents,
        NoSuchIncident,
    ),
    security(("bearer" = []))
)]
async fn get_incident(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    may_read(&auth)?;
    let inc = find(&st, id).await?;
    respond(&st, StatusCode::OK, &inc).await
}

/// Update the estimate, the cause or the areas. Send `If-Match`.
#[utoipa::path(
    patch, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(
        ("id" = Uuid, Path, description = "The incident's id"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = IncidentPatchBody,
    responses(
        (status = 200, description = "Updated", body = IncidentView, headers(("ETag" = String))),
        MalformedBodyOrIfMatch,
        MayNotManageIncidents,
        NoSuchIncident,
        (status = 409, description = "Already resolved", body = Problem, content_type = "application/problem+json"),
        ChangedSinceRead,
        NotJson,
        InvalidFields,
        IfMatchMissing,
    ),
    security(("bearer" = []))
)]
async fn patch_incident(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    if_match: IfMatch,
    json: ApiJson<IncidentPatchBody>,
) -> ApiResult<Response> {
    may_write(&auth)?;
    let current = find_to_change(&st, &auth.0, id).await?;
    let change = Change::begin(&if_match, &current)?;
    let areas_changed = json.body.area_codes.is_some();
    let mut next = current.patched(json.body.into(), change.now)?;
    if areas_changed {
        check_areas(&st, &next).await?;
        next = placed(&st, &auth.0, next).await?;
    }
    let entry = change.entry("incident", id, &auth.0, &next);
    stored(st.ports.incidents.update(&next, current.version, &entry).await?)?;
    respond(&st, StatusCode::OK, &next).await
}

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
async fn attach(
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
    let now = hotline_domain::time::now();
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
        .ports
        .incidents
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
        Ok(id) => st.ports.work_orders.get(id).await?,
        Err(_) => match WorkOrderCode::parse(key) {
            Ok(code) => st.ports.work_orders.get_by_code(&code.to_string()).await?,
            Err(_) => None,
        },
    };
    match found {
        Some(wo) if readable(st, who, &wo).await? => Ok(wo),
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
async fn activate(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    may_write(&auth)?;
    let current = find_to_change(&st, &auth.0, id).await?;
    let now = hotline_domain::time::now();
    let next = current.activated(now)?;
    let entry = AuditEntry::new(
        "incident",
        id,
        "activate",
        &auth.0,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    );
    if !st.ports.incidents.update(&next, current.version, &entry).await? {
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
async fn resolve(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResolvedIncidentView>> {
    may_write(&auth)?;
    let current = find_to_change(&st, &auth.0, id).await?;
    let now = hotline_domain::time::now();
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
    for wo_id in st.ports.incidents.work_order_ids(id).await? {
        let Some(wo) = st.ports.work_orders.get(wo_id).await? else {
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
        .ports
        .incidents
        .resolve(&next, current.version, &work_orders, &events, &audits)
        .await?
    {
        return Err(ApiError::conflict(
            "the incident or one of its work orders changed meanwhile; try again",
        ));
    }
    let ids = st.ports.incidents.work_order_ids(id).await?;
    let callbacks = st.ports.incidents.callbacks(id).await?;
    Ok(Json(ResolvedIncidentView {
        incident: IncidentView::new(&next, Some(ids)),
        resolved_work_order_ids: work_orders.iter().map(|(w, _)| w.id).collect(),
        callbacks: callbacks.into_iter().map(Into::into).collect(),
    }))
}
