//! Events: written to the event log in the same transaction as the change
//! they describe, so none is lost and none is told for a change that rolled
//! back. Read later, in order, by the live stream and the webhook fan-out.

mod data;
mod position;
mod scope;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::article::{Article, ArticleVersion};
use crate::call::Call;
use crate::codes::{TeamCode, UnitCode};
use crate::incident::Incident;
use crate::planned_outage::{PlannedOutage, Recipient};
use crate::work_order::{Action, WorkOrder, WorkOrderEvent};

pub use position::{EventPosition, LoggedEvent};
pub use scope::{EventFilter, EventScope};

pub const CALL_RINGING: &str = "call.ringing";
pub const CALL_ANSWERED: &str = "call.answered";
pub const CALL_ENDED: &str = "call.ended";
pub const CALL_CREATED: &str = "call.created";
pub const CALL_UPDATED: &str = "call.updated";
pub const WORK_ORDER_CREATED: &str = "work_order.created";
pub const WORK_ORDER_ASSIGNED: &str = "work_order.assigned";
pub const WORK_ORDER_TRANSITIONED: &str = "work_order.transitioned";
/// A work order close to breaching its resolution deadline.
pub const DEADLINE_AT_RISK: &str = "work_order.deadline_at_risk";
/// A work order past its resolution deadline and still open.
pub const DEADLINE_BREACHED: &str = "work_order.deadline_breached";
pub const INCIDENT_OPENED: &str = "incident.opened";
pub const INCIDENT_UPDATED: &str = "incident.updated";
pub const INCIDENT_RESOLVED: &str = "incident.resolved";
pub const PLANNED_OUTAGE_PUBLISHED: &str = "planned_outage.published";
/// A published notice edited, or postponed to a new window.
pub const PLANNED_OUTAGE_CHANGED: &str = "planned_outage.changed";
pub const PLANNED_OUTAGE_CANCELLED: &str = "planned_outage.cancelled";
/// One per affected customer when a notice is published or postponed, for
/// an SMS/Zalo gateway behind a webhook.
pub const PLANNED_OUTAGE_CUSTOMER_NOTICE: &str = "planned_outage.customer_notice";
pub const CALLBACK_OPENED: &str = "callback.opened";
pub const CALLBACK_ATTEMPTED: &str = "callback.attempted";
pub const CALLBACK_DONE: &str = "callback.done";
pub const CALLBACK_GIVEN_UP: &str = "callback.given_up";

/// The facts of a complaint or compliment were recorded or changed.
pub const WORK_ORDER_FACTS_CHANGED: &str = "work_order.facts_changed";

/// A version of an article of approved answers was approved.
pub const ARTICLE_APPROVED: &str = "article.approved";
/// A version of an article was retired.
pub const ARTICLE_RETIRED: &str = "article.retired";

/// A survey campaign opened: its survey calls are on the worklists.
pub const SURVEY_CAMPAIGN_OPENED: &str = "survey_campaign.opened";
pub const SURVEY_CAMPAIGN_CLOSED: &str = "survey_campaign.closed";
/// A customer's answers to a survey were recorded.
pub const SURVEY_RESPONSE_RECORDED: &str = "survey.response_recorded";
/// A document of a new-supply request ticked off (or its type set).
pub const NEW_SUPPLY_DOCUMENT: &str = "new_supply.document";
/// A new-supply request's paperwork complete: its deadline clock starts.
pub const NEW_SUPPLY_DOCUMENTS_COMPLETE: &str = "new_supply.documents_complete";
/// A new-supply request's step: surveyed, contract signed, meter
/// installed, energised, or cancelled.
pub const NEW_SUPPLY_STEP: &str = "new_supply.step";

/// Every event type, for the stream's and the webhooks' filters.
pub const EVENT_TYPES: [&str; 30] = [
    CALL_RINGING,
    CALL_ANSWERED,
    CALL_ENDED,
    CALL_CREATED,
    CALL_UPDATED,
    WORK_ORDER_CREATED,
    WORK_ORDER_ASSIGNED,
    WORK_ORDER_TRANSITIONED,
    DEADLINE_AT_RISK,
    DEADLINE_BREACHED,
    INCIDENT_OPENED,
    INCIDENT_UPDATED,
    INCIDENT_RESOLVED,
    PLANNED_OUTAGE_PUBLISHED,
    PLANNED_OUTAGE_CHANGED,
    PLANNED_OUTAGE_CANCELLED,
    PLANNED_OUTAGE_CUSTOMER_NOTICE,
    CALLBACK_OPENED,
    CALLBACK_ATTEMPTED,
    CALLBACK_DONE,
    CALLBACK_GIVEN_UP,
    ARTICLE_APPROVED,
    ARTICLE_RETIRED,
    SURVEY_CAMPAIGN_OPENED,
    SURVEY_CAMPAIGN_CLOSED,
    SURVEY_RESPONSE_RECORDED,
    NEW_SUPPLY_DOCUMENT,
    NEW_SUPPLY_DOCUMENTS_COMPLETE,
    NEW_SUPPLY_STEP,
    WORK_ORDER_FACTS_CHANGED,
];

/// The event type spelled `name`, if there is one.
pub fn event_type(name: &str) -> Option<&'static str> {
    EVENT_TYPES.iter().copied().find(|t| *t == name)
}

/// What the event is about, which decides who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Call,
    WorkOrder,
    Incident,
    PlannedOutage,
    Callback,
    Article,
    /// Survey campaigns and their responses.
    Survey,
}

impl Subject {
    /// The subject of an event type (`call.*`, `work_order.*`, `incident.*`).
    pub fn of(event_type: &str) -> Subject {
        if event_type.starts_with("call.") {
            Subject::Call
        } else if event_type.starts_with("incident.") {
            Subject::Incident
        } else if event_type.starts_with("planned_outage.") {
            Subject::PlannedOutage
        } else if event_type.starts_with("callback.") {
            Subject::Callback
        } else if event_type.starts_with("article.") {
            Subject::Article
        } else if event_type.starts_with("survey") {
            Subject::Survey
        } else {
            Subject::WorkOrder
        }
    }
}

/// One event, as written with its change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEvent {
    /// UUID v7; also the webhook message id.
    pub id: Uuid,
    /// One of [`EVENT_TYPES`].
    pub event_type: String,
    /// The unit whose people may see it (work orders).
    pub unit_code: Option<UnitCode>,
    /// The team it is assigned to (work orders).
    pub team_code: Option<TeamCode>,
    /// The agent who took the call (calls).
    pub agent: Option<String>,
    /// The record the event is about.
    pub subject_id: Uuid,
    /// The record's state right after the change.
    pub payload: Value,
    pub created_at: DateTime<Utc>,
    /// True for a staff-conduct complaint: only supervisors and admins see it.
    pub restricted: bool,
}

impl OutboxEvent {
    /// `call.*` with the call's state.
    pub fn call(event_type: &'static str, call: &Call, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: None,
            team_code: None,
            agent: call.agent.clone(),
            subject_id: call.id,
            payload: data::call(call),
            created_at: at,
            restricted: false,
        }
    }

    /// `work_order.*` with the work order's state.
    pub fn work_order(event_type: &'static str, wo: &WorkOrder, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: wo.unit_code.clone(),
            team_code: wo.team_code.clone(),
            agent: None,
            subject_id: wo.id,
            payload: data::work_order(wo),
            created_at: at,
            restricted: wo.category.is_restricted(),
        }
    }

    /// `incident.*` with the incident's state.
    pub fn incident(event_type: &'static str, incident: &Incident, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: None,
            team_code: None,
            agent: None,
            subject_id: incident.id,
            payload: data::incident(incident),
            created_at: at,
            restricted: false,
        }
    }

    /// `planned_outage.*` with the notice's state, seen in its unit's subtree.
    pub fn planned_outage(event_type: &'static str, notice: &PlannedOutage, at: DateTime<Utc>) -> Self {
        Self::about_notice(event_type, notice, notice.event_data(), at)
    }

    /// `planned_outage.customer_notice`: what to tell one customer.
    pub fn customer_notice(notice: &PlannedOutage, to: &Recipient, at: DateTime<Utc>) -> Self {
        Self::about_notice(PLANNED_OUTAGE_CUSTOMER_NOTICE, notice, notice.customer_notice(to), at)
    }

    fn about_notice(event_type: &'static str, notice: &PlannedOutage, payload: Value, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: Some(notice.unit_code.clone()),
            team_code: None,
            agent: None,
            subject_id: notice.id,
            payload,
            created_at: at,
            restricted: false,
        }
    }

    /// `callback.*` with the callback's state; seen by those who read calls
    /// in the callback's unit.
    pub fn callback(event_type: &'static str, cb: &crate::callback::Callback, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: cb.unit_code.clone(),
            team_code: None,
            agent: cb.agent.clone(),
            subject_id: cb.id,
            payload: data::callback(cb),
            created_at: at,
            restricted: false,
        }
    }

    /// `article.*` with the version concerned.
    pub fn article(event_type: &'static str, article: &Article, v: &ArticleVersion, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: article.unit_code.clone(),
            team_code: None,
            agent: None,
            subject_id: article.id,
            payload: json!({
                "id": article.id,
                "version": v.number,
                "title": v.title,
                "category": v.category,
                "status": v.status,
                "effective_from": v.effective_from,
                "effective_to": v.effective_to,
                "approved_by": v.approved_by,
            }),
            created_at: at,
            restricted: false,
        }
    }

    /// `survey_campaign.*` and `survey.*`: seen by those who read calls in
    /// the campaign's unit's subtree.
    pub fn survey(
        event_type: &'static str,
        unit_code: &UnitCode,
        subject_id: Uuid,
        payload: Value,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: Some(unit_code.clone()),
            team_code: None,
            agent: None,
            subject_id,
            payload,
            created_at: at,
            restricted: false,
        }
    }

    /// `work_order.deadline_at_risk`, noticed at `at`.
    pub fn deadline_at_risk(wo: &WorkOrder, at: DateTime<Utc>) -> Self {
        Self::work_order(DEADLINE_AT_RISK, wo, at)
    }

    /// `work_order.deadline_breached`, noticed at `at`.
    pub fn deadline_breached(wo: &WorkOrder, at: DateTime<Utc>) -> Self {
        Self::work_order(DEADLINE_BREACHED, wo, at)
    }

    /// The message receivers get (stream and webhooks alike):
    /// `{"id", "type", "timestamp", "data"}`.
    pub fn envelope(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.event_type,
            "timestamp": self.created_at,
            "data": self.payload,
        })
    }
}

/// What a PBX's report did to a call, as events: `call.ringing` for a new
/// call not yet answered, `call.answered` and `call.ended` when those
/// instants first appear, `call.updated` for any other change.
pub fn call_lifecycle(old: Option<&Call>, new: &Call) -> Vec<&'static str> {
    if old == Some(new) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if old.is_none() && new.answered_at.is_none() && new.ended_at.is_none() {
        out.push(CALL_RINGING);
    }
    if new.answered_at.is_some() && old.is_none_or(|o| o.answered_at.is_none()) {
        out.push(CALL_ANSWERED);
    }
    if new.ended_at.is_some() && old.is_none_or(|o| o.ended_at.is_none()) {
        out.push(CALL_ENDED);
    }
    if out.is_empty() {
        out.push(if old.is_some() { CALL_UPDATED } else { CALL_CREATED });
    }
    out
}

/// What a work order's history line tells subscribers: `work_order.assigned`
/// when a team was given it (routing, escalation, a dispatcher's assign),
/// `work_order.transitioned` when its state moved; both when both. Comments,
/// linked calls and feedback tell nothing.
pub fn work_order_changes(line: &WorkOrderEvent) -> Vec<&'static str> {
    let mut out = Vec::new();
    let assigned = matches!(line.kind.as_str(), "routed" | "escalated") || line.action == Some(Action::Assign);
    if assigned && line.team_code.is_some() {
        out.push(WORK_ORDER_ASSIGNED);
    }
    if line.from_status.is_some() && line.to_status.is_some() && line.from_status != line.to_status {
        out.push(WORK_ORDER_TRANSITIONED);
    }
    out
}

/// What a change to a callback tells subscribers: `callback.opened` for a
/// new one, `callback.attempted` for each attempt recorded, then
/// `callback.done` or `callback.given_up` when it closes so. A merged
/// call, a new owner or due time, or cancelling tell nothing.
pub fn callback_changes(old: Option<&crate::callback::Callback>, new: &crate::callback::Callback) -> Vec<&'static str> {
    use crate::callback::CallbackStatus;
    let Some(old) = old else {
        return vec![CALLBACK_OPENED];
    };
    let mut out = Vec::new();
    if new.attempts.len() > old.attempts.len() {
        out.push(CALLBACK_ATTEMPTED);
    }
    if old.status != new.status {
        match new.status {
            CallbackStatus::Done => out.push(CALLBACK_DONE),
            CallbackStatus::GivenUp => out.push(CALLBACK_GIVEN_UP),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_subject_and_is_found_by_name() {
        for t in EVENT_TYPES {
            assert_eq!(event_type(t), Some(t));
        }
        assert_eq!(event_type("call.exploded"), None);
        assert_eq!(Subject::of(CALL_RINGING), Subject::Call);
        assert_eq!(Subject::of(DEADLINE_BREACHED), Subject::WorkOrder);
        assert_eq!(Subject::of(INCIDENT_RESOLVED), Subject::Incident);
        assert_eq!(Subject::of(PLANNED_OUTAGE_CHANGED), Subject::PlannedOutage);
        assert_eq!(Subject::of(ARTICLE_APPROVED), Subject::Article);
    }
}
