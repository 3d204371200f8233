//! Callbacks: open one by hand, list them and an agent's or a queue's
//! worklist (due first), read one, record attempts, change the owner or
//! due time or cancel; and the service level on abandoned calls. Lists and
//! the service level answer CSV to `Accept: text/csv`.

mod csv;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hotline_app::callbacks::{self, CallbackQuery, Opened};
use hotline_domain::DomainError;
use hotline_domain::callback::{Callback, CallbackFilter, CallbackStatus, DuePosition};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::time::{RangeEnd, parse_instant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging;
use crate::dto::callbacks::{
    CallbackAttemptBody, CallbackListQuery, CallbackPage, CallbackPatchBody, CallbackReport, CallbackReportQuery,
    CallbackTaskView, NewCallbackBody, WorklistQuery,
};
use crate::dto::page::Page;
use crate::dto::params::{CallbackIdParam, IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::problems::{
    BodyTooLarge, CallbackRefusals, InvalidFields, InvalidFilter, MalformedBodyIdOrIfMatch, MalformedId,
    MayNotReadCalls, MayNotReadReports, NoSuchCallback, NotJson, Unavailable, VersionedWrite,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response, keeping};
use crate::routes::reports::period;
use crate::routes::reports::{answer, wants_csv};
use crate::routes::versioned;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_callback, list_callbacks))
        .routes(routes!(worklist))
        .routes(routes!(get_callback, update_callback))
        .routes(routes!(record_attempt))
        .routes(routes!(callback_report))
}

fn view(cb: &Callback, now: DateTime<Utc>) -> CallbackTaskView {
    CallbackTaskView::new(cb, now)
}

/// Open a callback: a customer to call at a time (`requested`) or for a
/// survey. Agents, supervisors, admins and integrations.
///
/// Abandoned and missed inbound calls, and customers who asked for a call
/// on a resolved incident's work orders, get theirs without this.
#[utoipa::path(
    post, path = "/api/v1/callbacks", tag = "callbacks",
    params(IdempotencyKeyHeader),
    request_body = NewCallbackBody,
    responses(
        (status = 201, description = "Opened; or, to a retry with the same Idempotency-Key and body, the first answer again", body = CallbackTaskView,
            headers(("Location" = String, description = "The callback's URL"), ("ETag" = String, description = "Version for If-Match"))),
        (status = 400, description = "Malformed JSON or header", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not work callbacks", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "Invalid fields (a withheld or bad `number`, a customer outside your unit), or the key reused with another body", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn create_callback(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewCallbackBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/callbacks", &json.raw);
    if let Some(i) = &idem
        && let Some(earlier) = i.earlier(&st.app).await?
    {
        return Ok(earlier);
    }
    let answer = |cb: &Callback| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let body = serde_json::to_string(&view(cb, cb.created_at)).map_err(|e| ApiError::internal(e.to_string()))?;
        let answer = Answer {
            status: StatusCode::CREATED,
            body,
            location: Some(format!("/api/v1/callbacks/{}", cb.id)),
        };
        Ok(keeping(idem.as_ref(), answer, cb.created_at))
    };
    match callbacks::create(&st.app, &auth.0, json.body.into(), answer).await? {
        Opened::New(cb, a) => Ok(json_response(a.status, a.body, a.location.as_deref(), Some(cb.version))),
        Opened::Taken(first) => match &idem {
            Some(i) => i.replay(&first),
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

fn page_answer(st: &AppState, headers: &HeaderMap, items: &[Callback], next: Option<DuePosition>) -> Response {
    let now = st.app.now();
    let body: Page<CallbackTaskView> = Page {
        items: items.iter().map(|c| view(c, now)).collect(),
        next_cursor: next
            .map(|p| crate::dto::cursor::encode(hotline_domain::page::Position { at: p.due_at, id: p.id })),
    };
    if wants_csv(headers) {
        return csv::list(&body.items);
    }
    axum::Json(body).into_response()
}

fn due_paging(limit: Option<i32>, cursor: Option<&str>) -> ApiResult<(u64, Option<DuePosition>)> {
    let (limit, after) = paging(limit, cursor)?;
    Ok((limit, after.map(|p| DuePosition { due_at: p.at, id: p.id })))
}

fn owner(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(hotline_domain::text::nfc)
}

/// List callbacks, due first: by owner (agent), queue, status, due time
/// or number. Only those of your unit's subtree.
#[utoipa::path(
    get, path = "/api/v1/callbacks", tag = "callbacks",
    params(CallbackListQuery),
    responses(
        (status = 200, description = "A page of callbacks, due first", content(
            (CallbackPage = "application/json"),
            (String = "text/csv", example = "\u{feff}id,number,customer_code,reason,status,due_at,overdue,agent,queue,unit_code,attempts,last_outcome,closed_at,note\r\n"),
        )),
        InvalidFilter,
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_callbacks(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CallbackListQuery>,
) -> ApiResult<Response> {
    callbacks::may_read(&auth.0)?;
    let (limit, after) = due_paging(q.limit, q.cursor.as_deref())?;
    let due_before = q
        .due_before
        .as_deref()
        .map(|r| parse_instant(r, RangeEnd::Start).map_err(|m| ApiError::invalid_parameter("due_before", m)))
        .transpose()?;
    let number = match q.number.as_deref() {
        None => None,
        Some(raw) => match PhoneNumber::parse(raw) {
            Ok(Some(n)) => Some(n.as_str().to_string()),
            Ok(None) => return Ok(page_answer(&st, &headers, &[], None)),
            Err(e) => return Err(ApiError::invalid_parameter("number", e.to_string())),
        },
    };
    let filter = CallbackFilter {
        agent: owner(&q.owner),
        queue: owner(&q.queue),
        statuses: q.status.map(|s| vec![s.into()]).unwrap_or_default(),
        due_before,
        number,
        ..CallbackFilter::default()
    };
    let (items, next) = callbacks::list(&st.app, &auth.0, CallbackQuery { filter, after, limit }).await?;
    Ok(page_answer(&st, &headers, &items, next))
}

/// An agent's (`owner`) or a queue's (`queue`) worklist: its open
/// callbacks, due first (overdue ones on top).
#[utoipa::path(
    get, path = "/api/v1/callbacks/worklist", tag = "callbacks",
    params(WorklistQuery),
    responses(
        (status = 200, description = "Open callbacks, due first", content(
            (CallbackPage = "application/json"),
            (String = "text/csv"),
        )),
        InvalidFilter,
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn worklist(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<WorklistQuery>,
) -> ApiResult<Response> {
    callbacks::may_read(&auth.0)?;
    let (agent, queue) = (owner(&q.owner), owner(&q.queue));
    if agent.is_none() && queue.is_none() {
        return Err(ApiError::invalid_parameter(
            "owner",
            "give `owner` (an agent) or `queue`",
        ));
    }
    let (limit, after) = due_paging(q.limit, q.cursor.as_deref())?;
    let filter = CallbackFilter {
        agent,
        queue,
        statuses: vec![CallbackStatus::Open],
        ..CallbackFilter::default()
    };
    let (items, next) = callbacks::list(&st.app, &auth.0, CallbackQuery { filter, after, limit }).await?;
    Ok(page_answer(&st, &headers, &items, next))
}

/// One callback, with its attempts.
#[utoipa::path(
    get, path = "/api/v1/callbacks/{id}", tag = "callbacks",
    params(CallbackIdParam),
    responses(
        (status = 200, description = "The callback", body = CallbackTaskView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadCalls,
        NoSuchCallback,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_callback(State(st): State<AppState>, auth: Auth, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Response> {
    let cb = callbacks::get(&st.app, &auth.0, id).await?;
    versioned(StatusCode::OK, &view(&cb, st.app.now()), None, cb.version)
}

/// Change the owner (`agent` or `queue`), the due time or the note, or
/// cancel (`"status": "cancelled"`). Send `If-Match`.
#[utoipa::path(
    patch, path = "/api/v1/callbacks/{id}", tag = "callbacks",
    params(CallbackIdParam, IfMatchHeader),
    request_body = CallbackPatchBody,
    responses(
        (status = 200, description = "Changed", body = CallbackTaskView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        CallbackRefusals,
        VersionedWrite,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn update_callback(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CallbackPatchBody>,
) -> ApiResult<Response> {
    let patch = change
        .body
        .into_patch()
        .map_err(|(field, message)| ApiError::from(DomainError::invalid(field, message)))?;
    let next = callbacks::patch(&st.app, &auth.0, change.key, change.expected, patch).await?;
    versioned(StatusCode::OK, &view(&next, st.app.now()), None, next.version)
}

/// Record an attempt: `reached` closes it as done; a `wrong_number`, or the
/// failed attempt that reaches the maximum (`HOTLINE_CALLBACK_MAX_ATTEMPTS`,
/// 3 unless set), gives it up. Send `If-Match`.
#[utoipa::path(
    post, path = "/api/v1/callbacks/{id}/attempts", tag = "callbacks",
    params(CallbackIdParam, IfMatchHeader),
    request_body = CallbackAttemptBody,
    responses(
        (status = 200, description = "Recorded; the callback", body = CallbackTaskView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        CallbackRefusals,
        VersionedWrite,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn record_attempt(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CallbackAttemptBody>,
) -> ApiResult<Response> {
    let body = change.body;
    let next = callbacks::attempt(
        &st.app,
        &auth.0,
        change.key,
        change.expected,
        body.outcome.into(),
        body.note,
    )
    .await?;
    versioned(StatusCode::OK, &view(&next, st.app.now()), None, next.version)
}

/// The callback service level over `[from, to)`: abandoned calls, those
/// with a callback, called back, and called back within
/// `HOTLINE_CALLBACK_TARGET_MINUTES` (30 unless set) of calling time
/// (inside `HOTLINE_CALLBACK_HOURS`) after the call; with the
/// callbacks open and overdue now. Callbacks of your unit's subtree.
#[utoipa::path(
    get, path = "/api/v1/reports/callbacks", tag = "reports",
    params(CallbackReportQuery),
    responses(
        (status = 200, description = "The service level", content(
            (CallbackReport = "application/json"),
            (String = "text/csv", example = "\u{feff}key,value\r\nabandoned_calls,12\r\nwithin_target,9\r\n"),
        )),
        InvalidFilter,
        MayNotReadReports,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn callback_report(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CallbackReportQuery>,
) -> ApiResult<Response> {
    hotline_app::reports::may_read(&auth.0)?;
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let level = callbacks::service_level(&st.app, &auth.0, from, to).await?;
    let report = CallbackReport::from(level);
    Ok(answer(&headers, || csv::report(&report), || &report))
}
