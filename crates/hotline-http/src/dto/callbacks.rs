//! Callback bodies.

use chrono::{DateTime, Utc};
use hotline_domain::callback::{Attempt, Callback, CallbackPatch, NewCallback};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page::{NULL_ON_LAST, Paged};
use super::present;

api_enum!(
    /// Why to call: `abandoned` or `missed` (opened by hotline for an
    /// unanswered inbound call), `incident_restored` (opened when an
    /// incident is resolved), `requested` (the customer asked for a call at
    /// a time), `survey` (feedback).
    CallbackReasonDto as CallbackReason => hotline_domain::callback::Reason {
        Abandoned, Missed, IncidentRestored, Requested, Survey
    }
);
api_enum!(
    /// `open` until `done` (reached), `given_up` (the last allowed attempt
    /// failed, or a wrong number) or `cancelled`.
    CallbackStatusDto as CallbackStatus => hotline_domain::callback::CallbackStatus {
        Open, Done, GivenUp, Cancelled
    }
);
api_enum!(
    /// How an attempt went.
    AttemptOutcomeDto as CallbackAttemptOutcome => hotline_domain::callback::AttemptOutcome {
        Reached, NoAnswer, Busy, WrongNumber
    }
);

/// A callback typed by an agent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCallbackBody {
    /// The number to call (Vietnamese formats accepted; stored E.164).
    /// A withheld number is refused.
    pub number: String,
    pub customer_code: Option<String>,
    /// `requested` (default) or `survey`; the others are hotline's own.
    pub reason: Option<CallbackReasonDto>,
    pub note: Option<String>,
    /// When to call; now when omitted.
    pub due_at: Option<DateTime<Utc>>,
    /// The owning agent's username; the creator when neither owner is given.
    pub agent: Option<String>,
    /// The owning queue.
    pub queue: Option<String>,
}

impl From<NewCallbackBody> for NewCallback {
    fn from(b: NewCallbackBody) -> Self {
        NewCallback {
            number: Some(b.number),
            customer_code: b.customer_code,
            reason: b.reason.map(Into::into),
            note: b.note,
            due_at: b.due_at,
            agent: b.agent,
            queue: b.queue,
        }
    }
}

/// Only the fields present change; `null` clears an owner or the note.
/// `"status": "cancelled"` cancels it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackPatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub agent: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub queue: Option<Option<String>>,
    pub due_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    /// Only `cancelled` may be set here; attempts close it otherwise.
    pub status: Option<CallbackStatusDto>,
}

impl CallbackPatchBody {
    /// The change, or the field that cannot be set so.
    pub fn into_patch(self) -> Result<CallbackPatch, (&'static str, &'static str)> {
        let cancel = match self.status {
            None => false,
            Some(CallbackStatusDto::Cancelled) => true,
            Some(_) => {
                return Err((
                    "status",
                    "only `cancelled` may be set; record an attempt to close it otherwise",
                ));
            }
        };
        Ok(CallbackPatch {
            agent: self.agent,
            queue: self.queue,
            due_at: self.due_at,
            note: self.note,
            cancel,
        })
    }
}

/// One attempt at calling the customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackAttemptBody {
    pub outcome: AttemptOutcomeDto,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackAttemptView {
    pub at: DateTime<Utc>,
    /// Who called: `user:…`, or the agent of the outbound call logged.
    pub by: String,
    pub outcome: AttemptOutcomeDto,
    /// The outbound call, when the attempt was one logged.
    pub call_id: Option<Uuid>,
    pub note: Option<String>,
}

impl From<&Attempt> for CallbackAttemptView {
    fn from(a: &Attempt) -> Self {
        CallbackAttemptView {
            at: a.at,
            by: a.by.clone(),
            outcome: a.outcome.into(),
            call_id: a.call_id,
            note: a.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackTaskView {
    pub id: Uuid,
    /// E.164.
    pub number: String,
    pub customer_code: Option<String>,
    pub reason: CallbackReasonDto,
    pub note: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Open and past its due time now.
    pub overdue: bool,
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// The customer's unit, when known: who may see it.
    pub unit_code: Option<String>,
    pub status: CallbackStatusDto,
    pub attempts: Vec<CallbackAttemptView>,
    /// The failed attempt with this number gives it up.
    pub max_attempts: u32,
    /// The calls that led to it (abandoned or missed, merged), and the
    /// inbound call that closed it when the customer got through.
    pub call_ids: Vec<Uuid>,
    pub incident_id: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl CallbackTaskView {
    pub fn new(c: &Callback, now: DateTime<Utc>) -> Self {
        CallbackTaskView {
            id: c.id,
            number: c.number.as_str().to_string(),
            customer_code: c.customer_code.as_ref().map(ToString::to_string),
            reason: c.reason.into(),
            note: c.note.clone(),
            due_at: c.due_at,
            overdue: c.is_overdue(now),
            agent: c.agent.clone(),
            queue: c.queue.clone(),
            unit_code: c.unit_code.as_ref().map(ToString::to_string),
            status: c.status.into(),
            attempts: c.attempts.iter().map(CallbackAttemptView::from).collect(),
            max_attempts: c.max_attempts,
            call_ids: c.calls.iter().map(|s| s.id).collect(),
            incident_id: c.incident_id,
            closed_at: c.closed_at,
            created_by: c.created_by.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
        }
    }
}

pub type CallbackPage = super::page::Page<CallbackTaskView>;

impl Paged for CallbackTaskView {
    const PAGE: &'static str = "CallbackPage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallbackListQuery {
    /// Owned by this agent (username).
    pub owner: Option<String>,
    /// Owned by this queue.
    pub queue: Option<String>,
    pub status: Option<CallbackStatusDto>,
    /// Due before: an RFC 3339 instant, or a date meaning before the start of that local day.
    pub due_before: Option<String>,
    /// The number called back (any Vietnamese format).
    pub number: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorklistQuery {
    /// The agent's worklist (username); give this or `queue`.
    pub owner: Option<String>,
    /// The queue's worklist.
    pub queue: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallbackReportQuery {
    /// Start: an RFC 3339 instant, or a date meaning from the start of that local day. Required.
    pub from: Option<String>,
    /// End (exclusive): an RFC 3339 instant, or a date meaning up to the end of that local day. Required.
    pub to: Option<String>,
}

/// The service level on abandoned calls.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// `HOTLINE_CALLBACK_TARGET_MINUTES`: minutes of calling time.
    pub target_minutes: i64,
    /// `HOTLINE_CALLBACK_HOURS`: the daily local hours customers are called
    /// back in, `HH:MM-HH:MM`; only minutes inside them count.
    #[schema(example = "07:00-22:00")]
    pub calling_hours: String,
    /// Abandoned calls that started in the period.
    pub abandoned_calls: u64,
    /// Of them, those with a callback you see (withheld numbers get none).
    pub with_callback: u64,
    /// Of those, the ones whose customer was reached (or got through).
    pub called_back: u64,
    /// Of those, reached within the target (of calling time) after the call.
    pub within_target: u64,
    /// `within_target / abandoned_calls`, 0–1; `null` without abandoned calls.
    pub service_level: Option<f64>,
    /// Callbacks open now.
    pub open: u64,
    /// Of them, past their due time.
    pub overdue: u64,
}

impl From<hotline_app::callbacks::ServiceLevel> for CallbackReport {
    fn from(s: hotline_app::callbacks::ServiceLevel) -> Self {
        CallbackReport {
            from: s.from,
            to: s.to,
            target_minutes: s.target_minutes,
            calling_hours: s.calling_hours.to_string(),
            abandoned_calls: s.abandoned_calls,
            with_callback: s.with_callback,
            called_back: s.called_back,
            within_target: s.within_target,
            service_level: (s.abandoned_calls > 0).then(|| s.within_target as f64 / s.abandoned_calls as f64),
            open: s.open,
            overdue: s.overdue,
        }
    }
}
