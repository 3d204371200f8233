//! Events for the outbox: written in the same transaction as the change
//! they describe, so none is lost and none is sent for a change that rolled
//! back. Delivered later (stream, webhooks) by whoever reads the outbox.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::work_order::WorkOrder;

/// A work order close to breaching its resolution deadline.
pub const DEADLINE_AT_RISK: &str = "work_order.deadline_at_risk";
/// A work order past its resolution deadline and still open.
pub const DEADLINE_BREACHED: &str = "work_order.deadline_breached";

/// One event waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEvent {
    /// UUID v7: sorts by creation within a millisecond's precision.
    pub id: Uuid,
    /// e.g. [`DEADLINE_AT_RISK`].
    pub event_type: String,
    /// The unit whose people may see it (for scoping deliveries).
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    /// The record the event is about (a work order's id).
    pub subject_id: Uuid,
    pub payload: Value,
    pub created_at: DateTime<Utc>,
}

/// What a deadline event says about its work order. Built from a
/// [`WorkOrder`], or by a store straight from its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineSubject {
    pub id: Uuid,
    pub code: String,
    pub category: String,
    pub status: String,
    pub team_code: Option<String>,
    pub unit_code: Option<String>,
    pub resolution_due: Option<DateTime<Utc>>,
}

impl From<&WorkOrder> for DeadlineSubject {
    fn from(wo: &WorkOrder) -> Self {
        Self {
            id: wo.id,
            code: wo.code.to_string(),
            category: wo.category.as_str().into(),
            status: wo.status.as_str().into(),
            team_code: wo.team_code.clone(),
            unit_code: wo.unit_code.clone(),
            resolution_due: wo.resolution_due,
        }
    }
}

impl OutboxEvent {
    fn deadline(event_type: &str, wo: &DeadlineSubject, at: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            unit_code: wo.unit_code.clone(),
            team_code: wo.team_code.clone(),
            subject_id: wo.id,
            payload: json!({
                "work_order_id": wo.id,
                "code": wo.code,
                "category": wo.category,
                "status": wo.status,
                "team_code": wo.team_code,
                "unit_code": wo.unit_code,
                "resolution_due": wo.resolution_due,
            }),
            created_at: at,
        }
    }

    /// `work_order.deadline_at_risk`, noticed at `at`.
    pub fn deadline_at_risk(wo: &DeadlineSubject, at: DateTime<Utc>) -> Self {
        Self::deadline(DEADLINE_AT_RISK, wo, at)
    }

    /// `work_order.deadline_breached`, noticed at `at`.
    pub fn deadline_breached(wo: &DeadlineSubject, at: DateTime<Utc>) -> Self {
        Self::deadline(DEADLINE_BREACHED, wo, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_events_carry_the_work_order() {
        let due = "2026-11-20T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let s = DeadlineSubject {
            id: Uuid::now_v7(),
            code: "WO-1".into(),
            category: "outage".into(),
            status: "assigned".into(),
            team_code: Some("T1".into()),
            unit_code: Some("PB12".into()),
            resolution_due: Some(due),
        };
        let e = OutboxEvent::deadline_at_risk(&s, due);
        assert_eq!(e.event_type, DEADLINE_AT_RISK);
        assert_eq!(e.subject_id, s.id);
        assert_eq!(e.unit_code.as_deref(), Some("PB12"));
        assert_eq!(e.payload["code"], "WO-1");
        assert_eq!(e.payload["category"], "outage");
        assert_eq!(e.payload["team_code"], "T1");
        assert_eq!(OutboxEvent::deadline_breached(&s, due).event_type, DEADLINE_BREACHED);
    }
}
