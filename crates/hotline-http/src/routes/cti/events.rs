//! Call events in hotline's own JSON format.

use axum::Json;
use axum::extract::State;
use hotline_app::cti::{self, OwnEvent};
use hotline_domain::cti::EventKind;

use crate::dto::calls::CallView;
use crate::dto::cti::{CtiEventBody, CtiEventResult, CtiEventType};
use crate::dto::problems::{InvalidFields, MalformedJson, NotJson, Unavailable};
use crate::error::{ApiResult, Problem};
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
    let b = json.body;
    let event = OwnEvent {
        kind: match b.kind {
            CtiEventType::Ringing => EventKind::Ringing,
            CtiEventType::Answered => EventKind::Answered,
            CtiEventType::Transferred => EventKind::Transferred,
            CtiEventType::Ended => EventKind::Ended,
        },
        call_id: &b.call_id,
        at: b.at,
        direction: b.direction.map(Into::into),
        from: b.from.as_deref(),
        to: b.to.as_deref(),
        agent: b.agent.as_deref(),
        queue: b.queue.as_deref(),
        cause: b.cause.as_deref(),
        original_call_id: b.original_call_id.as_deref(),
    };
    let pushed = cti::push_own(&st.app, &auth.0, event).await?;
    Ok(Json(CtiEventResult {
        call: CallView::from(&pushed.applied.call),
        created: pushed.applied.created,
        changed: pushed.applied.changed,
        action: pushed.blocked.as_ref().map(|_| "reject".into()),
        reason: pushed.blocked,
    }))
}
