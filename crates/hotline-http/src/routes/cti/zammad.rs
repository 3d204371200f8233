//! Call events in Zammad's generic CTI format, as Zammad-style PBX
//! integrations and sipgate.io send them.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hotline_app::cti::{self as app_cti, Pushed};
use hotline_domain::call::Direction;
use hotline_domain::cti::{self, CtiEvent, EventKind, HangupCause};
use serde_json::json;

use super::fields::ZammadFields;
use crate::dto::problems::{BodyTooLarge, Unavailable};
use crate::error::ApiError;
use crate::extract::{key_holder, media_type, read_body};
use crate::state::AppState;

/// Zammad-style answers: `{"error": …}` with a status, as such PBX
/// integrations expect, rather than problem+json.
fn zammad_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// `caller_id`: the number outbound calls are to show (Zammad's "default
/// caller ID for outbound calls"), which the call log records as theirs.
/// None for an event that changes nothing in the call log: sipgate's
/// `dtmf` (the digits a caller keyed in a menu).
fn zammad_to_event(
    fields: &ZammadFields,
    caller_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<CtiEvent>, String> {
    let mut kind = match fields.one(&["event"]) {
        Some("newCall") => EventKind::Ringing,
        Some("answer") => EventKind::Answered,
        Some("hangup") => EventKind::Ended,
        Some("dtmf") => return Ok(None),
        Some(other) => {
            return Err(format!(
                "unknown event {other:?}: expected newCall, answer, hangup or dtmf"
            ));
        }
        None => return Err("event is required".into()),
    };
    let direction = match fields.one(&["direction"]) {
        Some("in" | "inbound") => Some(Direction::Inbound),
        Some("out" | "outbound") => Some(Direction::Outbound),
        Some(other) => return Err(format!("direction {other:?} is neither in nor out")),
        None if kind == EventKind::Ringing => return Err("direction is required for newCall".into()),
        None => None,
    };
    // Zammad's own specs spell it call_id; its documentation and sipgate, callId.
    let call_id = fields.one(&["callId", "call_id"]).ok_or("callId is required")?;
    let call_id = cti::check_call_id(call_id).map_err(|m| format!("callId {m}"))?;
    let original_call_id = fields
        .one(&["origCallId", "orig_call_id"])
        .map(cti::check_call_id)
        .transpose()
        .map_err(|m| format!("origCallId {m}"))?;
    // On answer, Zammad names the agent who picked up; answeringNumber is their phone.
    let mut agent = fields
        .joined("user")
        .or_else(|| fields.one(&["answeringNumber"]).map(str::to_string));
    if kind == EventKind::Answered && cti::is_voicemail(agent.as_deref()) {
        kind = EventKind::Voicemail;
        agent = None;
    }
    let rewritten = match (kind, direction) {
        (EventKind::Ringing, Some(Direction::Outbound)) => caller_id,
        _ => None,
    };
    let from = cti::field(rewritten.or(fields.one(&["from"])));
    let to = cti::field(fields.one(&["to"]));
    // With no queue, Zammad files the call under the hotline's own number:
    // the one dialled on an inbound call, the one calling out otherwise.
    let own_number = match direction {
        Some(Direction::Outbound) => from.clone(),
        _ => to.clone(),
    };
    let queue = cti::field(fields.one(&["queue"])).or(own_number);
    Ok(Some(CtiEvent {
        kind,
        call_id,
        at: now,
        direction,
        from,
        to,
        agent: cti::field(agent.as_deref()),
        queue,
        cause: HangupCause::read(fields.one(&["cause"])),
        original_call_id,
        diversion: cti::field(fields.one(&["diversion"])),
        blocked: false,
    }))
}

/// Call events in Zammad's generic CTI format (also what sipgate.io sends).
///
/// The `{token}` is an integration API key, so one PBX's URL can be cut off
/// by revoking its key. Takes form-encoded, multipart or JSON bodies with
/// `event` (`newCall`, `answer`, `hangup`; sipgate's `dtmf` is taken and
/// changes nothing), `from`, `to`, `direction`
/// (`in`/`out`), `callId` (or `call_id`), `user` (or `user[]`; `voicemail`
/// on an answer means the voicemail box took the call), `queue` (the
/// dialled number when absent), `answeringNumber`, `cause` (any; kept as
/// sent), `origCallId`, `diversion` (sipgate: the number first dialled, so
/// a forwarded or transferred leg joins the contact it continues).
///
/// Answers `{}`; `{"action":"reject","reason":"busy"}` for an inbound call
/// from a blocked number; `{"action":"dial","number":…,"caller_id":…}` for
/// an outbound newCall when `HOTLINE_CTI_OUTBOUND_CALLER_ID` is set.
/// Errors are `{"error": …}`.
#[utoipa::path(
    post, path = "/api/v1/cti/{token}", tag = "cti",
    params(
        ("token" = String, Path, description = "An integration API key"),
        ("X-Request-Id" = Option<String>, Header,
            description = "Optional: an id of the PBX's own for this event; the server logs the event under it and echoes it in the answer"),
    ),
    request_body(
        description = "Zammad generic CTI / sipgate.io push fields",
        content(
            (Object = "application/x-www-form-urlencoded"),
            (Object = "multipart/form-data"),
            (Object = "application/json"),
        )
    ),
    responses(
        (status = 200, description = "Applied: `{}`, `{\"action\":\"reject\",\"reason\":\"busy\"}` or `{\"action\":\"dial\",\"number\":…,\"caller_id\":…}`", body = Object),
        (status = 400, description = "Unreadable body: `{\"error\": …}`", body = Object),
        (status = 401, description = "Unknown or revoked token: `{\"error\": …}`", body = Object),
        (status = 403, description = "The key may not push call events: `{\"error\": …}`", body = Object),
        BodyTooLarge,
        (status = 422, description = "Bad direction, event or callId: `{\"error\": …}`", body = Object),
        Unavailable,
    ),
    security(())
)]
pub(super) async fn zammad_event(State(st): State<AppState>, Path(token): Path<String>, req: Request) -> Response {
    let who = match key_holder(&st, &token, hotline_domain::key_scope::KeyScope::Cti).await {
        Ok(Some(p)) => p,
        Ok(None) => return zammad_error(StatusCode::UNAUTHORIZED, "unknown or revoked token"),
        Err(e) => return e.into_response(),
    };
    if app_cti::may_push(&who).is_err() {
        return zammad_error(StatusCode::FORBIDDEN, "this key may not push call events");
    }
    let media = media_type(req.headers());
    let content_type = req.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = match read_body(req, &st).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let fields = match ZammadFields::parse(&media, content_type.as_ref(), bytes).await {
        Ok(f) => f,
        Err(m) => return zammad_error(StatusCode::BAD_REQUEST, m),
    };
    let caller_id = st.config.cti_outbound_caller_id.as_deref();
    let event = match zammad_to_event(&fields, caller_id, st.app.now()) {
        Ok(Some(e)) => e,
        Ok(None) => return Json(json!({})).into_response(),
        Err(m) => return zammad_error(StatusCode::UNPROCESSABLE_ENTITY, m),
    };
    // Zammad answers "dial" with the number being called; without one
    // there is nothing to tell the PBX to dial.
    let dial = match (event.kind, event.direction, caller_id, fields.one(&["to"])) {
        (EventKind::Ringing, Some(Direction::Outbound), Some(id), Some(to)) => Some(json!({
            "action": "dial",
            "number": to,
            "caller_id": id,
        })),
        _ => None,
    };
    match app_cti::apply(&st.app, &who, event).await {
        Ok(Pushed { blocked: Some(_), .. }) => Json(json!({"action": "reject", "reason": "busy"})).into_response(),
        Ok(Pushed { blocked: None, .. }) => Json(dial.unwrap_or_else(|| json!({}))).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
