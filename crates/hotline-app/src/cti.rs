//! Call events from the PBXs and softphones: each one folded into its
//! call's call-log record, an inbound ring from a blocked number marked
//! for the PBX to refuse. Reading the PBXs' wire formats (Zammad, sipgate,
//! 3CX) and writing their answers is the HTTP layer's; what is known about
//! a caller when the phone rings is in [`lookup`].

pub mod lookup;

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::call::Direction;
use hotline_domain::cti::{self, CtiEvent, EventKind, HangupCause};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::CtiApplied;
use hotline_domain::principal::Principal;
use hotline_domain::time;

use crate::roles::require;
use crate::{App, AppResult};

/// What an event came to.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// The call-log record it produced or changed.
    pub applied: CtiApplied,
    /// The reason the number is blocked, when this is an inbound ring from
    /// a blocked number: the PBX should refuse the call.
    pub blocked: Option<String>,
}

/// An event in hotline's own format, its fields as sent.
#[derive(Debug, Clone)]
pub struct OwnEvent<'a> {
    pub kind: EventKind,
    pub call_id: &'a str,
    /// When it happened; the time it arrived when absent.
    pub at: Option<DateTime<Utc>>,
    pub direction: Option<Direction>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub agent: Option<&'a str>,
    pub queue: Option<&'a str>,
    pub cause: Option<&'a str>,
    /// For a new leg: the call it continues.
    pub original_call_id: Option<&'a str>,
}

/// 403 unless the caller's role may push call events (integration keys
/// and admins).
pub fn may_push(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_push_call_events(), "push call events")
}

/// Applies an event sent in hotline's own format. 422 naming `call_id` or
/// `original_call_id` when one is not a usable call id.
pub async fn push_own(app: &App, who: &Principal, e: OwnEvent<'_>) -> AppResult<Pushed> {
    may_push(who)?;
    let call_id = cti::check_call_id(e.call_id).map_err(|m| DomainError::invalid("call_id", m))?;
    let original = e.original_call_id.map(cti::check_call_id).transpose();
    let original = original.map_err(|m| DomainError::invalid("original_call_id", m))?;
    let event = CtiEvent {
        kind: e.kind,
        call_id,
        at: e.at.map(time::truncate).unwrap_or_else(|| app.now()),
        direction: e.direction,
        from: cti::field(e.from),
        to: cti::field(e.to),
        agent: cti::field(e.agent),
        queue: cti::field(e.queue),
        cause: HangupCause::read(e.cause),
        original_call_id: original,
        diversion: None,
        blocked: false,
    };
    apply(app, who, event).await
}

/// Applies an event (repeated ones change nothing), and says whether an
/// inbound ringing call comes from a blocked number.
pub async fn apply(app: &App, who: &Principal, mut event: CtiEvent) -> AppResult<Pushed> {
    may_push(who)?;
    let blocked = if event.kind == EventKind::Ringing && event.direction != Some(Direction::Outbound) {
        match event.from.as_deref().map(PhoneNumber::parse) {
            Some(Ok(Some(n))) => app.store.blocked_numbers().find(n.as_str()).await?.map(|b| b.reason),
            _ => None,
        }
    } else {
        None
    };
    event.blocked = blocked.is_some();
    let applied = app.store.cti().apply(who, &event, app.now()).await?;
    // A call's answer settles its number's callbacks (closed, or an attempt
    // reached); what follows an answer (transfer, hang-up) changes nothing
    // for them, so only the answer and the end of an unanswered call read
    // them.
    let bears_on_callbacks = match event.kind {
        EventKind::Answered => true,
        EventKind::Ringing => false,
        EventKind::Transferred | EventKind::Voicemail | EventKind::Ended => applied.call.answered_at.is_none(),
    };
    if applied.changed && bears_on_callbacks {
        crate::callbacks::follow_call(app, who, &applied.call).await?;
    }
    Ok(Pushed { applied, blocked })
}
