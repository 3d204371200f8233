//! The notice's life: `draft → published → in_progress → completed`, or
//! `cancelled`, or `postponed` to a new window and published again.

use chrono::{DateTime, Utc};

use super::notice::is_late;
use super::{NoticeAction, NoticeStatus, PlannedOutage};
use crate::DomainError;
use crate::validation::{Validation, optional_text};

/// A requested step, with what it needs: the reason for a late notice
/// (publish), the new window (postpone).
#[derive(Debug, Clone)]
pub struct Transition {
    pub action: NoticeAction,
    pub late_reason: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub expected_end_at: Option<DateTime<Utc>>,
}

impl Transition {
    pub fn new(action: NoticeAction) -> Self {
        Transition {
            action,
            late_reason: None,
            starts_at: None,
            expected_end_at: None,
        }
    }
}

/// What may be done to a notice in this status.
pub fn allowed_actions(status: NoticeStatus) -> &'static [NoticeAction] {
    use NoticeAction::*;
    match status {
        NoticeStatus::Draft => &[Publish, Cancel],
        NoticeStatus::Published => &[Start, Cancel, Postpone],
        NoticeStatus::InProgress => &[Complete],
        NoticeStatus::Postponed => &[Publish, Cancel],
        NoticeStatus::Completed | NoticeStatus::Cancelled => &[],
    }
}

impl PlannedOutage {
    /// The notice after `t` at `now`: 409 when the action is not allowed in
    /// its status, 422 naming the field a publish or postpone lacks.
    pub fn acted(&self, t: &Transition, now: DateTime<Utc>) -> Result<PlannedOutage, DomainError> {
        if !allowed_actions(self.status).contains(&t.action) {
            return Err(DomainError::Conflict(format!(
                "a {} notice cannot {}; allowed: {}",
                self.status,
                t.action,
                names(allowed_actions(self.status))
            )));
        }
        let mut next = self.clone();
        match t.action {
            NoticeAction::Publish => publish(&mut next, t, now)?,
            NoticeAction::Postpone => postpone(&mut next, t, now)?,
            NoticeAction::Start => next.status = NoticeStatus::InProgress,
            NoticeAction::Complete => next.status = NoticeStatus::Completed,
            NoticeAction::Cancel => next.status = NoticeStatus::Cancelled,
        }
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }
}

fn names(actions: &[NoticeAction]) -> String {
    if actions.is_empty() {
        return "none".into();
    }
    actions.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")
}

fn publish(next: &mut PlannedOutage, t: &Transition, now: DateTime<Utc>) -> Result<(), DomainError> {
    if next.starts_at <= now {
        return Err(DomainError::invalid(
            "starts_at",
            "the window has begun; postpone or cancel the notice instead",
        ));
    }
    let mut v = Validation::new();
    let reason = optional_text(&mut v, "late_reason", t.late_reason.as_deref(), super::MAX_REASON);
    v.finish()?;
    let late = is_late(now, next.starts_at);
    if late && reason.is_none() {
        return Err(DomainError::invalid(
            "late_reason",
            "published less than 5 days before the start: say why (Circular 22/2020/TT-BCT)",
        ));
    }
    next.status = NoticeStatus::Published;
    next.published_at = Some(now);
    next.late_notice = late;
    next.late_reason = if late { reason } else { None };
    Ok(())
}

fn postpone(next: &mut PlannedOutage, t: &Transition, now: DateTime<Utc>) -> Result<(), DomainError> {
    let mut v = Validation::new();
    match t.starts_at {
        None => v.add("starts_at", "is required: the new start"),
        Some(s) if s <= now => v.add("starts_at", "must be in the future"),
        Some(s) if s == next.starts_at => v.add("starts_at", "is the current start; a postponement moves it"),
        Some(_) => {}
    }
    match (t.starts_at, t.expected_end_at) {
        (_, None) => v.add("expected_end_at", "is required: the new expected end"),
        (Some(s), Some(e)) if e <= s => v.add("expected_end_at", "must be after starts_at"),
        _ => {}
    }
    v.finish()?;
    let (Some(s), Some(e)) = (t.starts_at, t.expected_end_at) else {
        return Err(DomainError::Internal("checked window missing".into()));
    };
    next.starts_at = s;
    next.expected_end_at = e;
    next.status = NoticeStatus::Postponed;
    next.postponements += 1;
    Ok(())
}
