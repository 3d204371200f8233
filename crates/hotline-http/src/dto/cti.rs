//! Call-event and screen-pop bodies.

use chrono::{DateTime, Utc};
use hotline_app::cti::lookup::PlannedWork;
use hotline_domain::customer::Customer;
use hotline_domain::incident::Incident;
use hotline_domain::work_order::WorkOrder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::calls::CallView;
use super::enums::{CategoryDto, DirectionDto};
use super::planned_outages::{NoticeStatusDto, OutageKindDto};
use super::work_orders::StatusDto;

/// What happened to the call.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum CtiEventType {
    #[serde(rename = "call.ringing")]
    Ringing,
    #[serde(rename = "call.answered")]
    Answered,
    #[serde(rename = "call.transferred")]
    Transferred,
    #[serde(rename = "call.ended")]
    Ended,
}

/// One call event in hotline's own format. Send every event of a call with
/// the same `call_id`; retries and reordering are harmless.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CtiEventBody {
    #[serde(rename = "type")]
    pub kind: CtiEventType,
    /// The PBX's id for this call leg.
    #[schema(min_length = 1, max_length = 255)]
    pub call_id: String,
    /// When it happened (RFC 3339); the arrival time when omitted.
    pub at: Option<DateTime<Utc>>,
    #[schema(example = "0912 345 678")]
    pub from: Option<String>,
    #[schema(example = "1900 1006")]
    pub to: Option<String>,
    pub direction: Option<DirectionDto>,
    /// The agent rung, or the one who answered.
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// Why the call ended, kept as sent. Known causes decide the outcome:
    /// `normal_clearing`, `busy`, `cancel`, `no_answer`, `congestion`,
    /// `not_found`, `forwarded`, `answered_elsewhere` (camelCase too); any
    /// other still ends the call.
    pub cause: Option<String>,
    /// For the new leg of a transferred call: the call it continues.
    pub original_call_id: Option<String>,
}

/// What an event did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CtiEventResult {
    /// The call-log record the event built or changed.
    pub call: CallView,
    pub created: bool,
    /// False for a repeated or stale event.
    pub changed: bool,
    /// `reject` when the caller's number is blocked: the PBX should refuse it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// The caller's number as the PBX shows it (any written form).
    pub number: String,
}

/// How a customer matched the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhoneMatch {
    /// The customer's number is this number.
    Exact,
    /// The customer's number was recorded in its pre-2018 11-digit form.
    Renumbered,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenPopCustomer {
    pub id: Uuid,
    pub customer_code: String,
    pub name: String,
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub notes: Option<String>,
    #[serde(rename = "match")]
    pub matched: PhoneMatch,
}

impl ScreenPopCustomer {
    pub fn new(c: &Customer, matched: PhoneMatch) -> Self {
        ScreenPopCustomer {
            id: c.id,
            customer_code: c.code.to_string(),
            name: c.name.clone(),
            phones: c.phones.iter().map(|p| p.number.as_str().to_string()).collect(),
            address: c.address.clone(),
            area_code: c.area_code.as_ref().map(ToString::to_string),
            unit_code: c.unit_code.as_ref().map(ToString::to_string),
            notes: c.notes.clone(),
            matched,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedInfo {
    pub reason: String,
    pub since: DateTime<Utc>,
}

/// Everything an agent needs when the phone rings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenPop {
    /// The normalised number; `null` when withheld.
    pub number: Option<String>,
    pub number_raw: String,
    pub withheld: bool,
    /// Set when the number is on the blocked list.
    pub blocked: Option<BlockedInfo>,
    /// Customers with this number: exact matches first, then those found
    /// through the 2018 renumbering.
    pub customers: Vec<ScreenPopCustomer>,
    /// The number's last five calls, newest first, each with its topics
    /// (what was asked and how it was handled).
    pub recent_calls: Vec<CallView>,
    /// The number's open callbacks, soonest due first (at most ten): the
    /// agent answering can close them.
    pub open_callbacks: Vec<super::callbacks::CallbackTaskView>,
    /// The active outage covering a customer's area (the area or one of its
    /// ancestors), with its restoration estimate to tell the caller.
    pub active_incident: Option<crate::dto::incidents::ActiveIncidentView>,
    /// The matched customers' open work orders the agent may see, newest
    /// first (at most ten a customer): what the caller is probably calling
    /// about.
    pub open_work_orders: Vec<CustomerWorkOrder>,
    /// Their work orders resolved or closed in the last 30 days with no
    /// feedback yet: ask the caller how it went.
    pub awaiting_feedback: Vec<CustomerWorkOrder>,
    /// Planned work announced or under way for the customers' areas (or
    /// naming them), earliest first: tell the caller the window and reason.
    pub planned_work: Vec<ScreenPopPlannedWork>,
}

/// A planned outage as the screen-pop shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenPopPlannedWork {
    pub id: Uuid,
    #[schema(example = "KH-26-000012")]
    pub code: String,
    pub kind: OutageKindDto,
    pub status: NoticeStatusDto,
    pub reason: String,
    pub starts_at: DateTime<Utc>,
    pub expected_end_at: DateTime<Utc>,
    /// Published less than five days before the start.
    pub late_notice: bool,
    /// The matched customers it was sent to; a customer missing here was
    /// not told in advance.
    pub notified_customers: Vec<String>,
}

impl From<&PlannedWork> for ScreenPopPlannedWork {
    fn from(w: &PlannedWork) -> Self {
        let n = &w.notice;
        ScreenPopPlannedWork {
            id: n.id,
            code: n.code.clone(),
            kind: n.kind.into(),
            status: n.status.into(),
            reason: n.reason.clone(),
            starts_at: n.starts_at,
            expected_end_at: n.expected_end_at,
            late_notice: n.late_notice,
            notified_customers: w.notified.clone(),
        }
    }
}

/// A customer's work order as the screen-pop shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerWorkOrder {
    pub id: Uuid,
    #[schema(example = "CM-26-004217")]
    pub code: String,
    pub customer_code: Option<String>,
    pub category: CategoryDto,
    pub status: StatusDto,
    pub team_code: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The resolution deadline.
    pub resolution_due: Option<DateTime<Utc>>,
    /// The restoration estimate of the outage incident it is attached to.
    pub estimated_restoration_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl CustomerWorkOrder {
    pub fn new(wo: &WorkOrder, incident: Option<&Incident>) -> Self {
        CustomerWorkOrder {
            id: wo.id,
            code: wo.code.to_string(),
            customer_code: wo.customer_code.as_ref().map(ToString::to_string),
            category: wo.category.into(),
            status: wo.status.into(),
            team_code: wo.team_code.as_ref().map(ToString::to_string),
            created_at: wo.created_at,
            resolution_due: wo.resolution_due,
            estimated_restoration_at: incident.and_then(|i| i.estimated_restoration_at),
            resolved_at: wo.resolved_at,
        }
    }
}
