//! Call events from softphones and PBXs (Zammad's generic CTI format and our
//! own JSON), and the screen-pop an agent's softphone asks for on ring.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::call::{CallFilter, CallerMatch, Direction};
use hotline_domain::cti::{self, Cause, CtiEvent, EventKind};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::CtiApplied;
use hotline_domain::principal::{Principal, PrincipalKind};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::secrets;
use crate::dto::calls::CallView;
use crate::dto::cti::{
    BlockedInfo, CtiEventBody, CtiEventResult, CtiEventType, LookupQuery, PhoneMatch, ScreenPop, ScreenPopCustomer,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Auth, is_json, media_type, read_body};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(own_event))
        .routes(routes!(lookup))
        .routes(routes!(zammad_event))
}

/// Applies an event, and says whether an inbound ringing call comes from a
/// blocked number (the PBX should refuse it).
async fn apply(st: &AppState, who: &Principal, event: CtiEvent) -> ApiResult<(CtiApplied, Option<String>)> {
    let blocked_reason = if event.kind == EventKind::Ringing && event.direction != Some(Direction::Outbound) {
        match event.from.as_deref().map(PhoneNumber::parse) {
            Some(Ok(Some(n))) => st.ports.blocked_numbers.find(n.as_str()).await?.map(|b| b.reason),
            _ => None,
        }
    } else {
        None
    };
    let applied = st.ports.cti.apply(who, &event, hotline_domain::time::now()).await?;
    Ok((applied, blocked_reason))
}

fn cause(raw: Option<&str>) -> Result<Option<Cause>, String> {
    match raw.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => Cause::parse(c)
            .map(Some)
            .ok_or_else(|| format!("must be one of: {}", Cause::ALL.map(Cause::as_str).join(", "))),
    }
}

/// Push one call event (hotline's own format).
///
/// `call.ringing` → `call.answered` → `call.ended` (or ringing → ended)
/// build one call-log record per `call_id`. Repeated events change nothing,
/// out-of-order events give the same record, a hang-up alone still logs the
/// call, and a new leg with `original_call_id` joins the original's contact.
#[utoipa::path(
    post, path = "/api/v1/cti/events", tag = "cti",
    request_body = CtiEventBody,
    responses(
        (status = 200, description = "Applied (or already applied)", body = CtiEventResult),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Integration keys (and admins) only", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn own_event(
    State(st): State<AppState>,
    auth: Auth,
    json: ApiJson<CtiEventBody>,
) -> ApiResult<Json<CtiEventResult>> {
    auth.require(auth.0.role.can_push_call_events(), "push call events")?;
    let b = json.body;
    let call_id = cti::check_call_id(&b.call_id).map_err(|m| ApiError::invalid_field("call_id", m))?;
    let cause = cause(b.cause.as_deref()).map_err(|m| ApiError::invalid_field("cause", m))?;
    let original = b.original_call_id.as_deref().map(cti::check_call_id).transpose();
    let original = original.map_err(|m| ApiError::invalid_field("original_call_id", m))?;
    let event = CtiEvent {
        kind: match b.kind {
            CtiEventType::Ringing => EventKind::Ringing,
            CtiEventType::Answered => EventKind::Answered,
            CtiEventType::Transferred => EventKind::Transferred,
            CtiEventType::Ended => EventKind::Ended,
        },
        call_id,
        at: b
            .at
            .map(hotline_domain::time::truncate)
            .unwrap_or_else(hotline_domain::time::now),
        direction: b.direction.map(Into::into),
        from: cti::field(b.from.as_deref()),
        to: cti::field(b.to.as_deref()),
        agent: cti::field(b.agent.as_deref()),
        queue: cti::field(b.queue.as_deref()),
        cause,
        original_call_id: original,
    };
    let (applied, blocked) = apply(&st, &auth.0, event).await?;
    Ok(Json(CtiEventResult {
        call: CallView::from(&applied.call),
        created: applied.created,
        changed: applied.changed,
        action: blocked.as_ref().map(|_| "reject".into()),
        reason: blocked,
    }))
}

/// Zammad-style answers: `{"error": …}` with a status, as such PBX
/// integrations expect, rather than problem+json.
fn zammad_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// A Zammad/sipgate event body, JSON or form-encoded (`user[]` repeated).
struct ZammadFields(HashMap<String, Vec<String>>);

impl ZammadFields {
    /// JSON when so declared; otherwise form-encoded, which is what PBXs
    /// send (some without a content type).
    fn parse(json: bool, body: &[u8]) -> Result<Self, String> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        if json {
            let v: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
            let Value::Object(obj) = v else {
                return Err("the body must be a JSON object".into());
            };
            for (k, v) in obj {
                let values = match v {
                    Value::Array(items) => items.into_iter().filter_map(scalar).collect(),
                    other => scalar(other).into_iter().collect(),
                };
                map.insert(k.trim_end_matches("[]").to_string(), values);
            }
        } else {
            let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_string())?;
            for (k, v) in form_urlencoded::parse(text.as_bytes()) {
                map.entry(k.trim_end_matches("[]").to_string())
                    .or_default()
                    .push(v.into_owned());
            }
        }
        Ok(ZammadFields(map))
    }

    fn one(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .and_then(|v| v.first())
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    fn joined(&self, key: &str) -> Option<String> {
        let values: Vec<&str> = self
            .0
            .get(key)?
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

fn scalar(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn zammad_to_event(fields: &ZammadFields) -> Result<CtiEvent, String> {
    let kind = match fields.one("event") {
        Some("newCall") => EventKind::Ringing,
        Some("answer") => EventKind::Answered,
        Some("hangup") => EventKind::Ended,
        Some(other) => return Err(format!("unknown event {other:?}: expected newCall, answer or hangup")),
        None => return Err("event is required".into()),
    };
    let direction = match fields.one("direction") {
        Some("in" | "inbound") => Some(Direction::Inbound),
        Some("out" | "outbound") => Some(Direction::Outbound),
        Some(other) => return Err(format!("direction {other:?} is neither in nor out")),
        None if kind == EventKind::Ringing => return Err("direction is required for newCall".into()),
        None => None,
    };
    let call_id = fields.one("callId").ok_or("callId is required")?;
    let call_id = cti::check_call_id(call_id).map_err(|m| format!("callId {m}"))?;
    let original_call_id = fields
        .one("origCallId")
        .map(cti::check_call_id)
        .transpose()
        .map_err(|m| format!("origCallId {m}"))?;
    // On answer, Zammad names the agent who picked up; answeringNumber is their phone.
    let agent = fields
        .joined("user")
        .or_else(|| fields.one("answeringNumber").map(str::to_string));
    Ok(CtiEvent {
        kind,
        call_id,
        at: hotline_domain::time::now(),
        direction,
        from: cti::field(fields.one("from")),
        to: cti::field(fields.one("to")),
        agent: cti::field(agent.as_deref()),
        queue: cti::field(fields.one("queue")),
        cause: cause(fields.one("cause")).map_err(|m| format!("cause {m}"))?,
        original_call_id,
    })
}

/// Call events in Zammad's generic CTI format (also what sipgate.io sends).
///
/// The `{token}` is an integration API key, so one PBX's URL can be cut off
/// by revoking its key. Takes JSON or form-encoded bodies with `event`
/// (`newCall`, `answer`, `hangup`), `from`, `to`, `direction` (`in`/`out`),
/// `callId`, `user` (or `user[]`), `queue`, `answeringNumber`, `cause`,
/// `origCallId`. Answers `{}`, or `{"action":"reject","reason":"busy"}` for
/// an inbound call from a blocked number; errors are `{"error": …}`.
#[utoipa::path(
    post, path = "/api/v1/cti/{token}", tag = "cti",
    params(("token" = String, Path, description = "An integration API key")),
    request_body(content = Object, content_type = "application/x-www-form-urlencoded", description = "Zammad generic CTI fields (JSON is accepted too)"),
    responses(
        (status = 200, description = "Applied: `{}`, or `{\"action\":\"reject\",\"reason\":\"busy\"}`", body = Object),
        (status = 400, description = "Unreadable body: `{\"error\": …}`", body = Object),
        (status = 401, description = "Unknown or revoked token: `{\"error\": …}`", body = Object),
        (status = 403, description = "The key may not push call events: `{\"error\": …}`", body = Object),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad direction, event or callId: `{\"error\": …}`", body = Object),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
async fn zammad_event(State(st): State<AppState>, Path(token): Path<String>, req: Request) -> Response {
    let key = match st.ports.api_keys.find_by_hash(&secrets::hash(&token)).await {
        Ok(Some(k)) if k.revoked_at.is_none() => k,
        Ok(_) => return zammad_error(StatusCode::UNAUTHORIZED, "unknown or revoked token"),
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !key.role.can_push_call_events() {
        return zammad_error(StatusCode::FORBIDDEN, "this key may not push call events");
    }
    let json = is_json(&media_type(req.headers()));
    let bytes = match read_body(req, &st).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let fields = match ZammadFields::parse(json, &bytes) {
        Ok(f) => f,
        Err(m) => return zammad_error(StatusCode::BAD_REQUEST, m),
    };
    let event = match zammad_to_event(&fields) {
        Ok(e) => e,
        Err(m) => return zammad_error(StatusCode::UNPROCESSABLE_ENTITY, m),
    };
    let who = Principal {
        id: key.id,
        name: key.name,
        role: key.role,
        kind: PrincipalKind::ApiKey,
    };
    match apply(&st, &who, event).await {
        Ok((_, Some(_))) => Json(json!({"action": "reject", "reason": "busy"})).into_response(),
        Ok((_, None)) => Json(json!({})).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Screen-pop: who is calling, before the agent picks up.
///
/// The normalised number, the customers it belongs to (exact matches
/// first, then those recorded with the pre-2018 number), the number's last
/// five calls, and whether it is blocked.
#[utoipa::path(
    get, path = "/api/v1/cti/lookup", tag = "cti",
    params(LookupQuery),
    responses(
        (status = 200, description = "What is known about the caller", body = ScreenPop),
        (status = 400, description = "Not a phone number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read calls", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn lookup(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> ApiResult<Json<ScreenPop>> {
    auth.require(auth.0.role.can_read_calls(), "look up callers")?;
    let number = PhoneNumber::parse(&q.number).map_err(|e| ApiError::invalid_parameter("number", e.to_string()))?;
    let Some(number) = number else {
        return Ok(Json(ScreenPop {
            number: None,
            number_raw: q.number,
            withheld: true,
            blocked: None,
            customers: Vec::new(),
            recent_calls: Vec::new(),
        }));
    };
    let n = number.as_str();
    let filter = CallFilter {
        caller: Some(CallerMatch::Number(n.to_string())),
        ..CallFilter::default()
    };
    let (customers, recent, blocked) = tokio::try_join!(
        st.ports.customers.find_by_phone(n),
        st.ports.calls.list(&filter, None, 5, false),
        st.ports.blocked_numbers.find(n),
    )?;
    let mut customers: Vec<ScreenPopCustomer> = customers
        .iter()
        .map(|c| {
            let renumbered = c.phones.iter().any(|p| p.number.as_str() == n && p.renumbered);
            ScreenPopCustomer::new(
                c,
                if renumbered {
                    PhoneMatch::Renumbered
                } else {
                    PhoneMatch::Exact
                },
            )
        })
        .collect();
    customers.sort_by_key(|c| (c.matched != PhoneMatch::Exact, c.customer_code.clone()));
    Ok(Json(ScreenPop {
        number: Some(n.to_string()),
        number_raw: q.number,
        withheld: false,
        blocked: blocked.map(|b| BlockedInfo {
            reason: b.reason,
            since: b.created_at,
        }),
        customers,
        recent_calls: recent.items.iter().map(CallView::from).collect(),
    }))
}
