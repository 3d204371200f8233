//! What happens to a callback: calls merge into it, attempts are made, the
//! customer gets through, its owner and due time change, it is cancelled.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Attempt, AttemptOutcome, Callback, CallbackPatch, CallbackStatus, MAX_NOTE, MAX_OWNER, SourceCall};
use crate::DomainError;
use crate::validation::{Validation, optional_text};

/// One attempt as reported: by an agent, or by an outbound call logged.
#[derive(Debug, Clone)]
pub struct AttemptInput {
    pub outcome: AttemptOutcome,
    pub by: String,
    pub at: DateTime<Utc>,
    pub call_id: Option<Uuid>,
    pub note: Option<String>,
}

fn closed(status: CallbackStatus) -> DomainError {
    DomainError::Conflict(format!("the callback is {status}; it takes no more changes"))
}

impl Callback {
    fn next(&self, now: DateTime<Utc>) -> Callback {
        let mut next = self.clone();
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        next
    }

    /// Whether this call already led to it or was one of its attempts.
    pub fn knows_call(&self, call_id: Uuid) -> bool {
        self.calls.iter().any(|c| c.id == call_id) || self.attempts.iter().any(|a| a.call_id == Some(call_id))
    }

    /// Another unanswered call from the number merges into the open
    /// callback; None when it already did (nothing to store).
    pub fn merged(&self, call_id: Uuid, at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Callback> {
        if !self.is_open() || self.knows_call(call_id) {
            return None;
        }
        let mut next = self.next(now);
        next.calls.push(SourceCall {
            id: call_id,
            at,
            closing: false,
        });
        Some(next)
    }

    /// The customer got through (a later inbound call was answered): done,
    /// with the call linked. None when it is closed or knows the call.
    pub fn got_through(&self, call_id: Uuid, at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Callback> {
        if !self.is_open() || self.knows_call(call_id) {
            return None;
        }
        let mut next = self.next(now);
        next.calls.push(SourceCall {
            id: call_id,
            at,
            closing: true,
        });
        next.status = CallbackStatus::Done;
        next.closed_at = Some(at);
        Some(next)
    }

    /// Records an attempt: `reached` makes it done; a wrong number gives it
    /// up at once; any other failure gives it up when it is the
    /// `max_attempts`-th. 409 once it is closed.
    pub fn attempted(&self, input: AttemptInput, now: DateTime<Utc>) -> Result<Callback, DomainError> {
        if !self.is_open() {
            return Err(closed(self.status));
        }
        let mut v = Validation::new();
        let note = optional_text(&mut v, "note", input.note.as_deref(), MAX_NOTE);
        v.finish()?;
        let mut next = self.next(now);
        next.attempts.push(Attempt {
            at: input.at,
            by: input.by,
            outcome: input.outcome,
            call_id: input.call_id,
            note,
        });
        next.status = match input.outcome {
            AttemptOutcome::Reached => CallbackStatus::Done,
            AttemptOutcome::WrongNumber => CallbackStatus::GivenUp,
            _ if next.failed_attempts() >= next.max_attempts => CallbackStatus::GivenUp,
            _ => CallbackStatus::Open,
        };
        if !next.is_open() {
            next.closed_at = Some(input.at);
        }
        Ok(next)
    }

    /// Changes owner, due time or note, or cancels it. 409 once it is
    /// closed; 422 naming the field for a bad value.
    pub fn patched(&self, patch: CallbackPatch, now: DateTime<Utc>) -> Result<Callback, DomainError> {
        if !self.is_open() {
            return Err(closed(self.status));
        }
        let mut v = Validation::new();
        let mut next = self.next(now);
        let owner_changed = patch.agent.is_some() || patch.queue.is_some();
        if let Some(agent) = patch.agent {
            next.agent = optional_text(&mut v, "agent", agent.as_deref(), MAX_OWNER);
        }
        if let Some(queue) = patch.queue {
            next.queue = optional_text(&mut v, "queue", queue.as_deref(), MAX_OWNER);
        }
        if let Some(note) = patch.note {
            next.note = optional_text(&mut v, "note", note.as_deref(), MAX_NOTE);
        }
        if let Some(due) = patch.due_at {
            next.due_at = crate::time::truncate(due);
        }
        if patch.cancel {
            next.status = CallbackStatus::Cancelled;
            next.closed_at = Some(now);
        } else if owner_changed && next.agent.is_none() && next.queue.is_none() {
            v.add("agent", "a callback needs an owner: an agent or a queue");
        }
        v.finish()?;
        Ok(next)
    }
}
