//! The call log: log a call, read it, wrap it up, list and search.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_app::call_topics;
use hotline_app::calls::{self, CallQuery, Logged};
use hotline_domain::call::{Call, CallFilter, CallerMatch};
use hotline_domain::call_topic::CallTopic;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::principal::Principal;
use hotline_domain::text;
use hotline_domain::time::{RangeEnd, parse_instant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{code_query, paging};
use crate::dto::calls::{CallListQuery, CallPage, CallPatchBody, CallView, NewCallBody};
use crate::dto::page::Page;
use crate::dto::params::{CallIdParam, IdempotencyKeyHeader, IfMatchHeader};
use crate::dto::problems::{
    BodyTooLarge, InvalidFields, InvalidFilter, MalformedBodyIdOrIfMatch, MalformedId, MayNotLogCalls, MayNotReadCalls,
    NoSuchCall, NotJson, Unavailable, VersionedWrite,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, IdempotencyKey};
use crate::idempotent::{Answer, Idempotent, json_response};
use crate::routes::privacy::reads::{RequestId, noted};
use crate::routes::versioned;
use crate::state::AppState;
use hotline_app::privacy::reads::Read;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_call, list_calls))
        .routes(routes!(get_call, update_call))
}

fn view_json(call: &Call, topics: &[CallTopic]) -> ApiResult<String> {
    serde_json::to_string(&CallView::from(call).with_topics(topics)).map_err(|e| ApiError::internal(e.to_string()))
}

/// Log a call.
///
/// Retries with the same `Idempotency-Key` and body store nothing new and
/// answer with the call as it is then: the first answer byte for byte
/// while it is unchanged.
#[utoipa::path(
    post, path = "/api/v1/calls", tag = "calls",
    params(IdempotencyKeyHeader),
    request_body = NewCallBody,
    responses(
        (status = 201, description = "Logged; or, to a retry with the same Idempotency-Key and body, the call again as it is now (the first answer while it is unchanged; nothing new stored)", body = CallView,
            headers(("Location" = String, description = "The call's URL"), ("ETag" = String, description = "Version for If-Match"),
                ("Idempotent-Replayed" = String, description = "`true` on a replayed answer; absent on the first"))),
        (status = 400, description = "Malformed JSON or header", body = Problem, content_type = "application/problem+json"),
        MayNotLogCalls,
        BodyTooLarge,
        NotJson,
        (status = 422, description = "Invalid fields, or the key reused with another body", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn create_call(
    State(st): State<AppState>,
    auth: Auth,
    IdempotencyKey(key): IdempotencyKey,
    json: ApiJson<NewCallBody>,
) -> ApiResult<Response> {
    let idem = Idempotent::new(&auth.0, key, "POST /api/v1/calls", &json.raw);
    let answer = |call: &Call, topics: &[CallTopic]| -> ApiResult<(Answer, Option<IdempotencyRecord>)> {
        let answer = Answer {
            status: StatusCode::CREATED,
            body: view_json(call, topics)?,
            location: Some(format!("/api/v1/calls/{}", call.id)),
        };
        let record = idem.as_ref().map(|i| i.refer(&answer, call.created_at));
        Ok((answer, record))
    };
    let mut body = json.body;
    let topics = body.topics.take().map(|l| l.into_iter().map(Into::into).collect());
    match calls::log_with_topics(&st.app, &auth.0, body.into(), topics, answer).await? {
        Logged::New(call, a) => Ok(json_response(
            a.status,
            a.body,
            a.location.as_deref(),
            Some(call.version),
        )),
        Logged::Taken(first) => match &idem {
            Some(i) => replay(&st, &auth.0, i, &first).await,
            None => Err(ApiError::internal("key taken without a key")),
        },
    }
}

/// The answer to a retry of a call's logging: the call as it is now, with
/// its topics (the first answer byte for byte while it is unchanged), read
/// as `GET /api/v1/calls/{id}` reads it (every role that logs calls may).
pub(crate) async fn replay(
    st: &AppState,
    who: &Principal,
    idem: &Idempotent,
    first: &IdempotencyRecord,
) -> ApiResult<Response> {
    idem.replay_referred(first, |id| async move {
        let (call, topics) = call_topics::get(&st.app, who, id).await?;
        Ok((view_json(&call, &topics)?, call.version))
    })
    .await
}

/// One call.
#[utoipa::path(
    get, path = "/api/v1/calls/{id}", tag = "calls",
    params(CallIdParam),
    responses(
        (status = 200, description = "The call", body = CallView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadCalls,
        NoSuchCall,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_call(
    State(st): State<AppState>,
    auth: Auth,
    RequestId(request_id): RequestId,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let (call, topics) = call_topics::get(&st.app, &auth.0, id).await?;
    let read = Read {
        endpoint: "calls.get",
        request_id: request_id.as_deref(),
        number: call.caller_number.as_ref().map(|n| n.as_str()),
        codes: call.customer_code.iter().map(ToString::to_string).collect(),
        customers: Vec::new(),
    };
    noted(&st, &auth.0, read).await?;
    versioned(
        StatusCode::OK,
        &CallView::from(&call).with_topics(&topics),
        None,
        call.version,
    )
}

/// Wrap up a call: category, outcome, customer, caller's name, address, notes.
///
/// Send `If-Match` with the ETag you read; if someone changed the call
/// since, the answer is 412 and nothing is changed.
#[utoipa::path(
    patch, path = "/api/v1/calls/{id}", tag = "calls",
    params(CallIdParam, IfMatchHeader),
    request_body = CallPatchBody,
    responses(
        (status = 200, description = "Updated", body = CallView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        (status = 403, description = "The role may not change calls", body = Problem, content_type = "application/problem+json"),
        NoSuchCall,
        VersionedWrite,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn update_call(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CallPatchBody>,
) -> ApiResult<Response> {
    let next = calls::correct(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    versioned(StatusCode::OK, &CallView::from(&next), None, next.version)
}

/// List and search calls, newest first.
#[utoipa::path(
    get, path = "/api/v1/calls", tag = "calls",
    params(CallListQuery),
    responses(
        (status = 200, description = "A page of calls", body = CallPage),
        InvalidFilter,
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_calls(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CallListQuery>,
) -> ApiResult<Response> {
    // The role first: a caller who may not read calls learns nothing from
    // a bad filter.
    calls::may_read(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let query = CallQuery {
        filter: filter(&q)?,
        after,
        limit,
        with_total: q.include_total.unwrap_or(false),
    };
    let page = calls::list(&st.app, &auth.0, &query).await?;
    let body = CallPage {
        page: Page::keyset(&page),
        total: page.total,
    };
    Ok(axum::Json(body).into_response())
}

fn filter(q: &CallListQuery) -> ApiResult<CallFilter> {
    let instant = |field: &str, raw: &Option<String>, end| {
        raw.as_deref()
            .map(|r| parse_instant(r, end).map_err(|m| ApiError::invalid_parameter(field, m)))
            .transpose()
    };
    let caller = match q.caller.as_deref() {
        None => None,
        Some(raw) => match PhoneNumber::parse(raw) {
            Ok(Some(p)) => Some(CallerMatch::Number(p.as_str().to_string())),
            Ok(None) => Some(CallerMatch::Withheld),
            Err(e) => return Err(ApiError::invalid_parameter("caller", e.to_string())),
        },
    };
    let text = q.q.as_deref().map(text::fold).filter(|t| !t.is_empty());
    let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(text::nfc);
    Ok(CallFilter {
        from: instant("from", &q.from, RangeEnd::Start)?,
        to: instant("to", &q.to, RangeEnd::End)?,
        caller,
        category: q.category.map(Into::into),
        outcome: q.outcome.map(Into::into),
        agent: nonempty(&q.agent),
        queue: nonempty(&q.queue),
        customer_code: code_query("customer_code", q.customer_code.as_deref())?,
        text,
    })
}
