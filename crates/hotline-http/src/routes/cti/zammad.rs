//! Call events in Zammad's generic CTI format, as Zammad-style PBX
//! integrations and sipgate.io send them.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::call::Direction;
use hotline_domain::cti::{self, CtiEvent, EventKind};
use serde_json::{Value, json};

use super::{apply, cause};
use crate::error::Problem;
use crate::extract::{is_json, key_holder, media_type, read_body};
use crate::state::AppState;

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
pub(super) async fn zammad_event(State(st): State<AppState>, Path(token): Path<String>, req: Request) -> Response {
    let who = match key_holder(&st, &token).await {
        Ok(Some(p)) => p,
        Ok(None) => return zammad_error(StatusCode::UNAUTHORIZED, "unknown or revoked token"),
        Err(e) => return e.into_response(),
    };
    if !who.role.can_push_call_events() {
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
    match apply(&st, &who, event).await {
        Ok((_, Some(_))) => Json(json!({"action": "reject", "reason": "busy"})).into_response(),
        Ok((_, None)) => Json(json!({})).into_response(),
        Err(e) => e.into_response(),
    }
}
