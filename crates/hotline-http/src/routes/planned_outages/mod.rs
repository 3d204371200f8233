//! Planned outages: notices of planned work, published to the customers of
//! the areas they stop (Circular 22/2020/TT-BCT: at least 5 days ahead).

mod customers;
mod reads;
mod report;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::planned_outages::{self, Filed, NoticeQuery};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::planned_outage::PlannedOutage;
use hotline_domain::time::{RangeEnd, parse_instant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging;
use crate::dto::page::Page;
use crate::dto::params::{IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::planned_outages::{
    NewPlannedOutageBody, PlannedOutageListQuery, PlannedOutagePage, PlannedOutagePatchBody, PlannedOutageView,
    TransitionBody,
};
use crate::dto::problems::{
    BadParameter, InvalidOrKeyReused, MalformedBodyIdOrIfMatch, MalformedJson, NotJson, VersionedEdit,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_notice, list_notices))
        .routes(routes!(reads::affecting))
        .routes(routes!(reads::get_notice, patch_notice))
        .routes(routes!(transition_notice))
        .routes(routes!(reads::notice_history))
        .routes(routes!(customers::customers))
        .routes(routes!(report::planned_outage_report))
}

fn view_json(n: &PlannedOutage) -> ApiResult<String> {
    serde_json::to_string(&PlannedOutageView::from(n)).map_err(|e| ApiError::internal(e.to_string()))
}

fn respond(n: &PlannedOutage) -> ApiResult<Response> {
    versioned(StatusCode::OK, &PlannedOutageView::from(n), None, n.version)
}

/// An optional instant parameter, named in the problem when malformed.
pub(super) fn instant(
    field: &str,
    raw: Option<&str>,
    end: RangeEnd,
) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => parse_instant(r, end)
            .map(Some)
            .map_err(|m| ApiError::invalid_parameter(field, m)),
    }
}

/// Create a planned outage as a draft: nobody is told until it is
/// published. Dispatchers, supervisors and admins, for a unit of their
/// subtree. Retries with the same `Idempotency-Key` and body answer with
/// the first result.
#[utoipa::path(
    post, path = "/api/v1/planned-outages", tag = "planned-outages",
    params(IdempotencyKeyHeader),
    request_body = NewPlannedOutageBody,
    responses(
        (status = 201, description = "Created as a draft; or, to a retry with the same key and body, the first answer again", body = PlannedOutageView,
            headers(("Location" = String), ("ETag" = String), ("Idempotent-Replayed" = String, description = "`true` on a replayed answer"))),
        MalformedJson,
        (status = 403, description = "The role may not manage planned outages", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidOrKeyReused,
    ),
    security(("bearer" = []))
)]
async fn create_notice(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewPlannedOutageBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/planned-outages", &json.raw);
    let answer = |n: &PlannedOutage| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let answer = Answer {
            status: StatusCode::CREATED,
            body: view_json(n)?,
            location: Some(format!("/api/v1/planned-outages/{}", n.id)),
        };
        Ok(keeping(idem.as_ref(), answer, n.created_at))
    };
    match planned_outages::create(&st.app, &auth.0, json.body.into(), answer).await? {
        Filed::New(n, a) => Ok(json_response(a.status, a.body, a.location.as_deref(), Some(n.version))),
        Filed::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// Planned outages the caller sees (their unit's subtree), newest first;
/// by unit, area (covering it or within it), status, window overlap and
/// lateness.
#[utoipa::path(
    get, path = "/api/v1/planned-outages", tag = "planned-outages",
    params(PlannedOutageListQuery),
    responses(
        (status = 200, description = "A page of notices", body = PlannedOutagePage),
        BadParameter,
        (status = 403, description = "The role may not read planned outages", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_notices(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PlannedOutageListQuery>,
) -> ApiResult<axum::Json<PlannedOutagePage>> {
    planned_outages::may_read(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let code = |field: &str, raw: Option<String>| -> ApiResult<Option<String>> {
        match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(r) => hotline_domain::customer::check_code(r)
                .map(Some)
                .map_err(|m| ApiError::invalid_parameter(field, m)),
        }
    };
    let query = NoticeQuery {
        unit: code("unit", q.unit)?,
        area: code("area", q.area)?,
        statuses: q.status.map(|s| vec![s.into()]).unwrap_or_default(),
        from: instant("from", q.from.as_deref(), RangeEnd::Start)?,
        to: instant("to", q.to.as_deref(), RangeEnd::End)?,
        late: q.late,
        after,
        limit,
    };
    let page = planned_outages::list(&st.app, &auth.0, &query).await?;
    Ok(axum::Json(Page::keyset(&page)))
}

/// Change a draft or published notice (a published one keeps its start:
/// postpone it to move it). Send `If-Match`. A published notice's change
/// is announced as `planned_outage.changed`.
#[utoipa::path(
    patch, path = "/api/v1/planned-outages/{id}", tag = "planned-outages",
    params(("id" = Uuid, Path, description = "The notice's id"), IfMatchHeader),
    request_body = PlannedOutagePatchBody,
    responses(
        (status = 200, description = "Changed", body = PlannedOutageView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        (status = 403, description = "The role may not manage planned outages", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Neither draft nor published", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn patch_notice(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, PlannedOutagePatchBody>,
) -> ApiResult<Response> {
    let next = planned_outages::patch(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    respond(&next)
}

/// Take a step: `publish` (a notice less than 5 days — 120 hours — before
/// its start needs `late_reason` and is flagged `late_notice`), `start`,
/// `complete`, `cancel`, `postpone` (with the new `starts_at` and
/// `expected_end_at`; publish it again afterwards). Publishing and
/// postponing send one `planned_outage.customer_notice` event per customer
/// to tell. Send `If-Match`.
#[utoipa::path(
    post, path = "/api/v1/planned-outages/{id}/transitions", tag = "planned-outages",
    params(("id" = Uuid, Path, description = "The notice's id"), IfMatchHeader),
    request_body = TransitionBody,
    responses(
        (status = 200, description = "Done", body = PlannedOutageView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        (status = 403, description = "The role may not manage planned outages", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice (or another unit's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current status", body = Problem, content_type = "application/problem+json"),
        VersionedEdit,
    ),
    security(("bearer" = []))
)]
async fn transition_notice(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, TransitionBody>,
) -> ApiResult<Response> {
    let next = planned_outages::act(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    respond(&next)
}
