//! Work-order bodies.

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::incident::Incident;
use hotline_domain::work_order::{Action, Feedback, NewWorkOrder, Priority, Source, Status, WorkOrder, WorkOrderEvent};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::CategoryDto;
use crate::dto::page::{Page, Paged};

api_enum!(
    /// How urgent: routing rules may match on it.
    PriorityDto as Priority => Priority { Low, Normal, High, Emergency }
);
api_enum!(
    /// Where a work order stands.
    StatusDto as WorkOrderStatus => Status { New, Assigned, Acknowledged, EnRoute, OnSite, Resolved, Closed, OnHold, Cancelled }
);
api_enum!(
    /// How a work order entered the hotline: `call` (opened from a logged
    /// call), `direct` (opened through the API), `open311` (filed by a
    /// citizen or city app through Open311); for new-supply requests also
    /// `email`, `counter` (handed in at an office) and `web`.
    SourceDto as WorkOrderSource => Source { Call, Direct, Open311, Email, Counter, Web }
);
api_enum!(
    /// What to do to a work order.
    ActionDto as WorkOrderAction => Action { Assign, Acknowledge, StartTravel, Arrive, Resolve, Close, Hold, Resume, Cancel, Reopen }
);

/// A customer's request turned into a job.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkOrderBody {
    pub category: CategoryDto,
    /// Defaults by category (outage: high, safety hazard: emergency…).
    pub priority: Option<PriorityDto>,
    pub description: Option<String>,
    pub customer_code: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The customer wants to be called back when it is done.
    #[serde(default)]
    pub callback_requested: bool,
    /// Staff-conduct complaints: the answer date promised to the customer (required for them).
    pub promised_answer_date: Option<NaiveDate>,
    /// A photo of the problem, as an http(s) URL.
    pub media_url: Option<String>,
}

impl From<NewWorkOrderBody> for NewWorkOrder {
    fn from(b: NewWorkOrderBody) -> Self {
        NewWorkOrder {
            category: Some(b.category.into()),
            priority: b.priority.map(Into::into),
            description: b.description,
            customer_code: b.customer_code,
            address: b.address,
            area_code: b.area_code,
            unit_code: b.unit_code,
            latitude: b.latitude,
            longitude: b.longitude,
            callback_requested: b.callback_requested,
            promised_answer_date: b.promised_answer_date,
            source: Source::Direct,
            media_url: b.media_url,
        }
    }
}

/// A later call about the same matter: link it to an existing work order
/// (by id or code) instead of opening a new one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkCallBody {
    /// The call to link.
    pub call_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    pub action: ActionDto,
    /// Required for `assign`.
    pub team_code: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderView {
    pub id: Uuid,
    /// Short code a caller can read out over the phone.
    #[schema(example = "CM-26-004217")]
    pub code: String,
    pub category: CategoryDto,
    pub priority: PriorityDto,
    pub status: StatusDto,
    /// What can be done next, for the client's buttons.
    pub allowed_actions: Vec<ActionDto>,
    pub description: Option<String>,
    pub customer_code: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub callback_requested: bool,
    pub promised_answer_date: Option<NaiveDate>,
    pub response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    /// Seconds until the resolution deadline (negative when past); null when none or done.
    pub seconds_left: Option<i64>,
    pub response_met: Option<bool>,
    pub resolution_met: Option<bool>,
    pub breached: bool,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub call_ids: Vec<Uuid>,
    /// The outage incident it is attached to.
    pub incident_id: Option<Uuid>,
    /// Set on an outage reported while announced planned work was under
    /// way in its area: the notice the customer was told of.
    pub planned_outage_id: Option<Uuid>,
    /// The latest routing decision: rule, target, team, explanation.
    #[schema(value_type = Option<Object>)]
    pub routing: Option<serde_json::Value>,
    pub source: SourceDto,
    pub media_url: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The outage incident it is attached to, with the estimate to tell the caller.
    pub incident: Option<WorkOrderIncidentView>,
    /// What the customer thought, once given.
    pub feedback: Option<FeedbackView>,
    /// A new-supply request's application (type, applicant, checklist,
    /// steps, when the paperwork was complete and who confirmed it); on the
    /// one work order's view, absent from lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_supply: Option<Box<super::new_supply::NewSupplyView>>,
    /// The facts of a complaint or compliment, once recorded (absent before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<super::complaints::FactsView>,
    /// Voltage-quality complaints: the earlier ones of the same area or
    /// transformer station within 90 days (absent for other categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<super::complaints::RepeatsView>,
}

impl WorkOrderView {
    pub fn new(w: &WorkOrder, call_ids: Vec<Uuid>, now: DateTime<Utc>) -> Self {
        let has_team = w.team_code.is_some();
        WorkOrderView {
            id: w.id,
            code: w.code.to_string(),
            category: w.category.into(),
            priority: w.priority.into(),
            status: w.status.into(),
            allowed_actions: hotline_domain::work_order::allowed_actions(w.status, has_team)
                .into_iter()
                .map(Into::into)
                .collect(),
            description: w.description.clone(),
            customer_code: w.customer_code.as_ref().map(ToString::to_string),
            address: w.address.clone(),
            area_code: w.area_code.as_ref().map(ToString::to_string),
            unit_code: w.unit_code.as_ref().map(ToString::to_string),
            team_code: w.team_code.as_ref().map(ToString::to_string),
            latitude: w.latitude,
            longitude: w.longitude,
            callback_requested: w.callback_requested,
            promised_answer_date: w.promised_answer_date,
            response_due: w.response_due,
            resolution_due: w.resolution_due,
            seconds_left: w
                .resolution_due
                .filter(|_| w.is_open())
                .map(|d| (d - now).num_seconds()),
            response_met: w.response_met(),
            resolution_met: w.resolution_met(),
            breached: w.breached(now),
            acknowledged_at: w.acknowledged_at,
            resolved_at: w.resolved_at,
            call_ids,
            incident_id: w.incident_id,
            planned_outage_id: w.planned_outage_id,
            routing: w.routing.clone(),
            source: w.source.into(),
            media_url: w.media_url.clone(),
            created_by: w.created_by.clone(),
            created_at: w.created_at,
            updated_at: w.updated_at,
            version: w.version,
            incident: None,
            feedback: None,
            new_supply: None,
            facts: None,
            repeats: None,
        }
    }
}

/// The incident a work order is attached to: enough to tell the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderIncidentView {
    pub id: Uuid,
    pub cause: Option<String>,
    /// When power is expected back.
    pub estimated_restoration_at: Option<DateTime<Utc>>,
}

impl From<&Incident> for WorkOrderIncidentView {
    fn from(i: &Incident) -> Self {
        WorkOrderIncidentView {
            id: i.id,
            cause: i.cause.clone(),
            estimated_restoration_at: i.estimated_restoration_at,
        }
    }
}

/// The customer's feedback after resolution.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    /// 1 (very unhappy) to 5 (very happy).
    #[schema(minimum = 1, maximum = 5)]
    pub score: i64,
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub score: u8,
    pub comment: Option<String>,
    pub given_at: DateTime<Utc>,
}

impl From<&Feedback> for FeedbackView {
    fn from(f: &Feedback) -> Self {
        FeedbackView {
            score: f.score,
            comment: f.comment.clone(),
            given_at: f.given_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderEventView {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `created`, `transition`, `comment`, `call_linked`, `routed`, `feedback`,
    /// `facts_changed`, `voltage_repeat`.
    pub kind: String,
    pub action: Option<ActionDto>,
    pub from_status: Option<StatusDto>,
    pub to_status: Option<StatusDto>,
    pub team_code: Option<String>,
    pub note: Option<String>,
    /// What else the line records (a routing decision, feedback…); null when nothing.
    #[schema(value_type = Option<Object>)]
    pub detail: serde_json::Value,
}

impl From<WorkOrderEvent> for WorkOrderEventView {
    fn from(e: WorkOrderEvent) -> Self {
        WorkOrderEventView {
            at: e.at,
            actor: e.actor,
            kind: e.kind,
            action: e.action.map(Into::into),
            from_status: e.from_status.map(Into::into),
            to_status: e.to_status.map(Into::into),
            team_code: e.team_code.map(String::from),
            note: e.note,
            detail: e.detail,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkOrderListQuery {
    /// One status or several, comma-separated (`assigned,acknowledged`).
    pub status: Option<String>,
    pub team: Option<String>,
    pub unit: Option<String>,
    pub area: Option<String>,
    /// The customer's code (`PB03020045525`): that customer's work orders.
    pub customer_code: Option<String>,
    pub category: Option<CategoryDto>,
    /// Resolution deadline before this instant (RFC 3339) or local date.
    pub due_before: Option<String>,
    /// Only open work orders past their resolution deadline.
    pub breached: Option<bool>,
    /// How they entered the hotline (`open311` for citizen and city apps).
    pub source: Option<SourceDto>,
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

pub type WorkOrderPage = Page<WorkOrderView>;

impl Paged for WorkOrderView {
    const PAGE: &'static str = "WorkOrderPage";
}
