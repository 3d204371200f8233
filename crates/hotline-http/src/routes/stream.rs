//! `GET /api/v1/stream`: Server-Sent Events for wallboards and agent
//! desktops. Every change's event, as the caller's rights allow, filtered
//! by type, unit, team or agent; `Last-Event-ID` resumes without gaps while
//! the events are kept. Browsers' `EventSource` cannot send headers, so the
//! access token may come as `access_token` in the query (never logged: the
//! request log records paths only).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use hotline_domain::event::{self, EventFilter, EventPosition};
use hotline_domain::principal::Principal;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, Auth};
use crate::state::AppState;
use crate::stream::{Subscription, open};
use hotline_app::stream;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Event types, comma-separated (`call.ringing,work_order.assigned`);
    /// all when absent.
    pub types: Option<String>,
    /// Only events about work orders of this unit and the units below it.
    pub unit: Option<String>,
    /// Only events about this team's work orders.
    pub team: Option<String>,
    /// Only events about this agent's calls.
    pub agent: Option<String>,
    /// The access token, for clients that cannot send `Authorization`
    /// (browsers' `EventSource`).
    pub access_token: Option<String>,
    /// Where to resume, for clients that cannot send `Last-Event-ID`.
    pub last_event_id: Option<String>,
}

async fn filter_of(st: &AppState, q: &StreamQuery) -> ApiResult<EventFilter> {
    let mut types = Vec::new();
    for name in q.types.as_deref().unwrap_or("").split(',').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        let t = event::event_type(name).ok_or_else(|| {
            ApiError::invalid_parameter(
                "types",
                format!("'{name}' is not an event type; use {}", event::EVENT_TYPES.join(", ")),
            )
        })?;
        types.push(t);
    }
    let code = |v: &Option<String>| v.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    let units = match code(&q.unit) {
        None => None,
        Some(unit) => {
            let found = stream::unit_and_below(&st.app, &unit).await?;
            let codes = found.ok_or_else(|| ApiError::invalid_parameter("unit", format!("no unit '{unit}'")))?;
            Some(codes.into_iter().collect())
        }
    };
    Ok(EventFilter {
        types,
        units,
        team_code: code(&q.team),
        agent: q
            .agent
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(Into::into),
    })
}

/// The caller: `Authorization: Bearer …`, else `access_token` in the query.
async fn caller(parts: &mut Parts, st: &AppState, q: &StreamQuery) -> ApiResult<Principal> {
    if parts.headers.contains_key(header::AUTHORIZATION) {
        return Ok(Auth::from_request_parts(parts, st).await?.0);
    }
    match q.access_token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => Ok(Auth::from_bearer(st, token).await?.0),
        None => Err(ApiError::unauthorized(
            "send Authorization: Bearer <access token or API key>, or access_token in the query",
        )),
    }
}

/// Server-Sent Events: one `event:` per change, named by its type, with
/// `id:` to resume from and `data:` the JSON envelope `{"id", "type",
/// "timestamp", "data"}` (the record's state after the change). A comment
/// line every 15 seconds keeps proxies from closing the connection.
#[utoipa::path(
    get, path = "/api/v1/stream", tag = "stream",
    params(
        StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The `id` of the last event received: the stream resumes right after it"),
    ),
    responses(
        (status = 200, description = "An endless stream of events", content_type = "text/event-stream", body = String),
        (status = 400, description = "Bad parameter (unknown event type or unit, bad Last-Event-ID)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may read no events", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn stream(
    State(st): State<AppState>,
    mut parts: Parts,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let who = caller(&mut parts, &st, &q).await?;
    let scope = stream::scope(&st.app, &who).await?;
    if !(scope.calls || scope.incidents || scope.work_orders) {
        return Err(ApiError::forbidden(format!("the {} role may read no events", who.role)));
    }
    let resume = parts
        .headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| q.last_event_id.clone())
        .filter(|s| !s.trim().is_empty());
    let resume_after = resume
        .map(|raw| {
            raw.trim()
                .parse::<EventPosition>()
                .map_err(|m| ApiError::invalid_parameter("Last-Event-ID", m))
        })
        .transpose()?;
    let filter = filter_of(&st, &q).await?;
    // Without Last-Event-ID the stream starts now: at the log's head as of
    // this request, so an event written while the stream opens still comes.
    let head = stream::head(&st.app).await?;
    let rx = open(
        &st.events,
        Subscription {
            scope,
            filter,
            after: resume_after.or(head),
            resumed: resume_after.is_some(),
        },
        head,
    );
    let events = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
