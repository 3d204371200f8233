//! What the live stream and webhooks carry: one envelope per event.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The event types, for the live stream and webhooks alike.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(as = EventType)]
pub enum EventTypeDto {
    #[serde(rename = "call.ringing")]
    CallRinging,
    #[serde(rename = "call.answered")]
    CallAnswered,
    #[serde(rename = "call.ended")]
    CallEnded,
    #[serde(rename = "call.created")]
    CallCreated,
    #[serde(rename = "call.updated")]
    CallUpdated,
    #[serde(rename = "work_order.created")]
    WorkOrderCreated,
    #[serde(rename = "work_order.assigned")]
    WorkOrderAssigned,
    #[serde(rename = "work_order.transitioned")]
    WorkOrderTransitioned,
    #[serde(rename = "work_order.deadline_at_risk")]
    WorkOrderDeadlineAtRisk,
    #[serde(rename = "work_order.deadline_breached")]
    WorkOrderDeadlineBreached,
    #[serde(rename = "incident.opened")]
    IncidentOpened,
    #[serde(rename = "incident.updated")]
    IncidentUpdated,
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    #[serde(rename = "planned_outage.published")]
    PlannedOutagePublished,
    #[serde(rename = "planned_outage.changed")]
    PlannedOutageChanged,
    #[serde(rename = "planned_outage.cancelled")]
    PlannedOutageCancelled,
    #[serde(rename = "planned_outage.customer_notice")]
    PlannedOutageCustomerNotice,
    #[serde(rename = "callback.opened")]
    CallbackOpened,
    #[serde(rename = "callback.attempted")]
    CallbackAttempted,
    #[serde(rename = "callback.done")]
    CallbackDone,
    #[serde(rename = "callback.given_up")]
    CallbackGivenUp,
    #[serde(rename = "article.approved")]
    ArticleApproved,
    #[serde(rename = "article.retired")]
    ArticleRetired,
    #[serde(rename = "survey_campaign.opened")]
    SurveyCampaignOpened,
    #[serde(rename = "survey_campaign.closed")]
    SurveyCampaignClosed,
    #[serde(rename = "survey.response_recorded")]
    SurveyResponseRecorded,
    #[serde(rename = "new_supply.document")]
    NewSupplyDocument,
    #[serde(rename = "new_supply.documents_complete")]
    NewSupplyDocumentsComplete,
    #[serde(rename = "new_supply.step")]
    NewSupplyStep,
    #[serde(rename = "work_order.facts_changed")]
    WorkOrderFactsChanged,
}

/// One event: a webhook delivery's body, and a live-stream message's `data:`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Event)]
pub struct EventEnvelope {
    /// The event's id (UUID v7): the same on every delivery attempt
    /// (`webhook-id`), so receivers can drop repeats.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: EventTypeDto,
    /// When the change happened.
    pub timestamp: DateTime<Utc>,
    /// The record's state right after the change: a call (numbers, times,
    /// wait and talk seconds, agent, outcome), a work order (code, status,
    /// team, unit, customer, deadlines), an incident (areas, cause,
    /// estimate, status), a planned outage (code, unit, window, reason,
    /// areas, status, lateness) or, for `planned_outage.customer_notice`,
    /// what to tell one customer (notice code, window, reason, customer
    /// code, name, phones), or a callback (number, reason, status, owner,
    /// due time, attempts).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented names are the domain's, one for one.
    #[test]
    fn the_documented_types_are_the_event_types() {
        let all = [
            EventTypeDto::CallRinging,
            EventTypeDto::CallAnswered,
            EventTypeDto::CallEnded,
            EventTypeDto::CallCreated,
            EventTypeDto::CallUpdated,
            EventTypeDto::WorkOrderCreated,
            EventTypeDto::WorkOrderAssigned,
            EventTypeDto::WorkOrderTransitioned,
            EventTypeDto::WorkOrderDeadlineAtRisk,
            EventTypeDto::WorkOrderDeadlineBreached,
            EventTypeDto::IncidentOpened,
            EventTypeDto::IncidentUpdated,
            EventTypeDto::IncidentResolved,
            EventTypeDto::PlannedOutagePublished,
            EventTypeDto::PlannedOutageChanged,
            EventTypeDto::PlannedOutageCancelled,
            EventTypeDto::PlannedOutageCustomerNotice,
            EventTypeDto::CallbackOpened,
            EventTypeDto::CallbackAttempted,
            EventTypeDto::CallbackDone,
            EventTypeDto::CallbackGivenUp,
            EventTypeDto::ArticleApproved,
            EventTypeDto::ArticleRetired,
            EventTypeDto::SurveyCampaignOpened,
            EventTypeDto::SurveyCampaignClosed,
            EventTypeDto::SurveyResponseRecorded,
            EventTypeDto::NewSupplyDocument,
            EventTypeDto::NewSupplyDocumentsComplete,
            EventTypeDto::NewSupplyStep,
            EventTypeDto::WorkOrderFactsChanged,
        ];
        let names: Vec<String> = all
            .iter()
            .map(|t| serde_json::to_value(t).unwrap().as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, hotline_domain::event::EVENT_TYPES.map(String::from).to_vec());
    }
}
