//! Callbacks: a task to call a customer back (an abandoned or missed call,
//! power restored after an incident, a call asked for at a time, a
//! feedback survey), owned by an agent or a queue, due at a time, with the
//! attempts made. Open until someone reaches the customer (done), the
//! last allowed attempt fails (given up), or it is cancelled.

mod hours;
mod steps;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::DomainError;
use crate::codes::{self, CustomerCode, UnitCode};
use crate::phone::PhoneNumber;
use crate::validation::{Validation, optional_text};

pub use hours::CallingHours;
pub use steps::AttemptInput;

pub const MAX_NOTE: usize = 2000;
pub const MAX_OWNER: usize = 100;
/// Failed attempts before a callback is given up, unless configured.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

named_enum!(
    /// Why the customer is to be called.
    Reason {
        Abandoned => "abandoned",
        Missed => "missed",
        IncidentRestored => "incident_restored",
        Requested => "requested",
        Survey => "survey",
    }
);

named_enum!(
    CallbackStatus {
        Open => "open",
        Done => "done",
        GivenUp => "given_up",
        Cancelled => "cancelled",
    }
);

named_enum!(
    /// How one attempt went.
    AttemptOutcome {
        Reached => "reached",
        NoAnswer => "no_answer",
        Busy => "busy",
        WrongNumber => "wrong_number",
    }
);

/// One try at calling the customer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// Who called (`user:…`, or the PBX integration that logged the call).
    pub by: String,
    pub outcome: AttemptOutcome,
    /// The outbound call the attempt was, when it was logged.
    pub call_id: Option<Uuid>,
    pub note: Option<String>,
}

/// A call that led to the callback (the abandoned or missed ones merged
/// into it, and the one that closed it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SourceCall {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The call that closed it (the customer got through), not one that
    /// asked for it.
    #[serde(default)]
    pub closing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub id: Uuid,
    /// E.164; withheld numbers never get a callback.
    pub number: PhoneNumber,
    pub customer_code: Option<CustomerCode>,
    pub reason: Reason,
    pub note: Option<String>,
    pub due_at: DateTime<Utc>,
    /// The agent (username) who owns it, if one does.
    pub agent: Option<String>,
    /// The queue that owns it, if one does.
    pub queue: Option<String>,
    /// The unit of the customer, when known: who may see it.
    pub unit_code: Option<UnitCode>,
    pub status: CallbackStatus,
    pub attempts: Vec<Attempt>,
    /// The failed attempt with this number gives up.
    pub max_attempts: u32,
    pub calls: Vec<SourceCall>,
    /// The incident whose restoration it follows up.
    pub incident_id: Option<Uuid>,
    /// The local day (Vietnam) it was opened for: calls merge within it.
    pub day: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A callback as an agent types it.
#[derive(Debug, Clone, Default)]
pub struct NewCallback {
    pub number: Option<String>,
    pub customer_code: Option<String>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub agent: Option<String>,
    pub queue: Option<String>,
}

/// Owner, due time and cancelling; absent fields are kept, `Some(None)`
/// clears an owner.
#[derive(Debug, Clone, Default)]
pub struct CallbackPatch {
    pub agent: Option<Option<String>>,
    pub queue: Option<Option<String>>,
    pub due_at: Option<DateTime<Utc>>,
    pub note: Option<Option<String>>,
    pub cancel: bool,
}

/// Which callbacks a list asks for; all combined with AND.
#[derive(Debug, Clone, Default)]
pub struct CallbackFilter {
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub statuses: Vec<CallbackStatus>,
    pub due_before: Option<DateTime<Utc>>,
    pub number: Option<String>,
    /// Unit codes the caller sees, and whether those of no unit too; None
    /// for every unit.
    pub units: Option<(Vec<String>, bool)>,
    /// Opened for a local day from / up to (both included): the
    /// service-level report finds a period's calls by it.
    pub day_from: Option<NaiveDate>,
    pub day_to: Option<NaiveDate>,
}

/// Where a due-first page ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuePosition {
    pub due_at: DateTime<Utc>,
    pub id: Uuid,
}

/// The local (Vietnam) day of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// A number that can be called back: withheld ones cannot.
pub fn callable(v: &mut Validation, raw: Option<&str>) -> Option<PhoneNumber> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            v.add("number", "is required");
            None
        }
        Some(raw) => match PhoneNumber::parse(raw) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                v.add("number", "a withheld number cannot be called back");
                None
            }
            Err(e) => {
                v.add("number", e.to_string());
                None
            }
        },
    }
}

impl Callback {
    /// Checks a callback typed by an agent and builds the record to store.
    /// Without a due time it is due now; without an owner it is the
    /// creator's (`agent`, their username).
    pub fn create(
        input: NewCallback,
        created_by: &str,
        username: &str,
        max_attempts: u32,
        now: DateTime<Utc>,
    ) -> Result<Callback, DomainError> {
        let mut v = Validation::new();
        let number = callable(&mut v, input.number.as_deref());
        let customer_code = codes::optional(&mut v, "customer_code", input.customer_code.as_deref());
        let reason = input.reason.unwrap_or(Reason::Requested);
        if matches!(reason, Reason::Abandoned | Reason::Missed | Reason::IncidentRestored) {
            v.add(
                "reason",
                "abandoned, missed and incident_restored callbacks are opened by hotline itself",
            );
        }
        let note = optional_text(&mut v, "note", input.note.as_deref(), MAX_NOTE);
        let agent = optional_text(&mut v, "agent", input.agent.as_deref(), MAX_OWNER);
        let queue = optional_text(&mut v, "queue", input.queue.as_deref(), MAX_OWNER);
        let due_at = input.due_at.map(crate::time::truncate).unwrap_or(now);
        v.finish()?;
        let agent = if agent.is_none() && queue.is_none() {
            Some(username.to_string())
        } else {
            agent
        };
        let mut cb = Callback::opened(
            number.ok_or_else(|| DomainError::invalid("number", "is required"))?,
            reason,
            due_at,
            created_by,
            max_attempts,
            now,
        );
        cb.customer_code = customer_code;
        cb.note = note;
        cb.agent = agent;
        cb.queue = queue;
        Ok(cb)
    }

    /// A new open callback with no owner, attempt or call yet.
    pub fn opened(
        number: PhoneNumber,
        reason: Reason,
        due_at: DateTime<Utc>,
        created_by: &str,
        max_attempts: u32,
        now: DateTime<Utc>,
    ) -> Callback {
        Callback {
            id: Uuid::now_v7(),
            number,
            customer_code: None,
            reason,
            note: None,
            due_at,
            agent: None,
            queue: None,
            unit_code: None,
            status: CallbackStatus::Open,
            attempts: Vec::new(),
            max_attempts: max_attempts.max(1),
            calls: Vec::new(),
            incident_id: None,
            day: local_day(now),
            closed_at: None,
            created_by: created_by.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == CallbackStatus::Open
    }

    /// Open and past its due time at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.due_at < now
    }

    /// Failed attempts so far.
    pub fn failed_attempts(&self) -> u32 {
        self.attempts
            .iter()
            .filter(|a| a.outcome != AttemptOutcome::Reached)
            .count() as u32
    }

    /// The earliest call that led to it (the abandoned call the service
    /// level is measured from).
    pub fn first_call_at(&self) -> Option<DateTime<Utc>> {
        self.calls.iter().filter(|c| !c.closing).map(|c| c.at).min()
    }

    /// What the audit trail keeps of it.
    pub fn audit_view(&self) -> Value {
        json!({
            "number": self.number.as_str(),
            "customer_code": self.customer_code,
            "reason": self.reason.as_str(),
            "note": self.note,
            "due_at": self.due_at,
            "agent": self.agent,
            "queue": self.queue,
            "unit_code": self.unit_code,
            "status": self.status.as_str(),
            "attempts": self.attempts.len(),
            "calls": self.calls.iter().map(|c| c.id).collect::<Vec<_>>(),
        })
    }
}
