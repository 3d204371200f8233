//! Call events in hotline's own JSON format.

use axum::Json;
use axum::extract::State;
use hotline_domain::cti::{self, CtiEvent, EventKind};

use super::apply;
use crate::dto::calls::CallView;
use crate::dto::cti::{CtiEventBody, CtiEventResult, CtiEventType};
use crate::dto::problems::{InvalidFields, MalformedJson, NotJson, Unavailable};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, Auth};
use crate::state::AppState;

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
        MalformedJson,
        (status = 403, description = "Integration keys (and admins) only", body = Problem, content_type = "application/problem+json"),
        NotJson,
        InvalidFields,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub(super) async fn own_event(
    State(st): State<AppState>,
    auth: Auth,
    json: ApiJson<CtiEventBody>,
) -> ApiResult<Json<CtiEventResult>> {
    auth.require(auth.0.role.can_push_call_events(), "push call events")?;
    let b = json.body;
    let call_id = cti::check_call_id(&b.call_id).map_err(|m| ApiError::invalid_field("call_id", m))?;
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
        cause: cti::HangupCause::read(b.cause.as_deref()),
        original_call_id: original,
        diversion: None,
        blocked: false,
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
