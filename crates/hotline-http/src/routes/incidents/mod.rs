//! Outage incidents: declared by dispatchers (or proposed by clustering),
//! with work orders attached; resolving one resolves its outage work orders
//! and lists the customers to call back.

mod lifecycle;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_domain::audit::AuditEntry;
use hotline_domain::incident::{Incident, IncidentFilter, IncidentStatus};
use hotline_domain::org::NodeFilter;
use hotline_domain::principal::Principal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::dto::incidents::{IncidentListQuery, IncidentPatchBody, IncidentView, NewIncidentBody};
use crate::dto::problems::{
    BadParameter, ChangedSinceRead, IfMatchMissing, InvalidFields, MalformedBodyOrIfMatch, MalformedId, MalformedJson,
    MayNotManageIncidents, MayNotReadIncidents, NoSuchIncident, NotJson,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::idempotent::json_response;
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;
use hotline_app::clustering::ancestry;
use hotline_app::placement::areas_unit;
use hotline_app::scope::sees_unit;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(declare, list_incidents))
        .routes(routes!(get_incident, patch_incident))
        .routes(routes!(lifecycle::attach))
        .routes(routes!(lifecycle::activate))
        .routes(routes!(lifecycle::resolve))
}

fn may_read(auth: &Auth) -> ApiResult<()> {
    auth.require(auth.0.role.can_read_incidents(), "read incidents")
}

fn may_write(auth: &Auth) -> ApiResult<()> {
    auth.require(auth.0.role.can_manage_incidents(), "manage incidents")
}

async fn respond(st: &AppState, status: StatusCode, inc: &Incident) -> ApiResult<Response> {
    let ids = st.app.store.incidents().work_order_ids(inc.id).await?;
    let body =
        serde_json::to_string(&IncidentView::new(inc, Some(ids))).map_err(|e| ApiError::internal(e.to_string()))?;
    let location = format!("/api/v1/incidents/{}", inc.id);
    let location = (status == StatusCode::CREATED).then_some(location.as_str());
    Ok(json_response(status, body, location, Some(inc.version)))
}

async fn find(st: &AppState, id: Uuid) -> ApiResult<Incident> {
    st.app
        .store
        .incidents()
        .get(id)
        .await?
        .ok_or_else(|| ApiError::not_found("incident"))
}

/// The incident as the caller may change it: one in a unit outside their
/// subtree is not there for them (404), as with work orders.
async fn find_to_change(st: &AppState, who: &Principal, id: Uuid) -> ApiResult<Incident> {
    let inc = find(st, id).await?;
    if sees_unit(&st.app, who, inc.unit_code.as_deref()).await? {
        Ok(inc)
    } else {
        Err(ApiError::not_found("incident"))
    }
}

/// Places the incident in the unit serving its areas; the caller must be
/// able to change it afterwards (422 naming `area_codes` otherwise).
async fn placed(st: &AppState, who: &Principal, mut inc: Incident) -> ApiResult<Incident> {
    inc.unit_code = areas_unit(st.app.store.as_ref(), &inc.area_codes).await?;
    if !sees_unit(&st.app, who, inc.unit_code.as_deref()).await? {
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
    let known = st.app.store.org().areas_by_code(&inc.area_codes).await?;
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
    let now = st.app.now();
    let inc = Incident::create(json.body.into(), IncidentStatus::Active, &auth.0.actor(), now)?;
    check_areas(&st, &inc).await?;
    let inc = placed(&st, &auth.0, inc).await?;
    let entry = AuditEntry::new("incident", inc.id, "create", &auth.0, now, inc.audit_view());
    st.app.store.incidents().create(&inc, &[], &[entry]).await?;
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
            let mut codes = ancestry(&st.app, &code).await?;
            if let Some(area) = st.app.store.org().get_area(&code).await? {
                let within = NodeFilter {
                    within: Some(area.path.clone()),
                    ..NodeFilter::default()
                };
                for a in st.app.store.org().list_areas(&within, None, 10_000).await? {
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
    let found = st.app.store.incidents().list(&filter, limit).await?;
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
    let change = Change::begin(&if_match, &current, st.app.now())?;
    let areas_changed = json.body.area_codes.is_some();
    let mut next = current.patched(json.body.into(), change.now)?;
    if areas_changed {
        check_areas(&st, &next).await?;
        next = placed(&st, &auth.0, next).await?;
    }
    let entry = change.entry("incident", id, &auth.0, &next);
    stored(st.app.store.incidents().update(&next, current.version, &entry).await?)?;
    respond(&st, StatusCode::OK, &next).await
}
