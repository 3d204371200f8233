//! What an event says about its record: the record's state right after the
//! change, with the fields a receiver acts on (an SMS gateway needs the
//! customer and the status; a wallboard the team and the deadline).

use serde_json::{Value, json};

use crate::call::Call;
use crate::incident::Incident;
use crate::work_order::WorkOrder;

pub(super) fn call(c: &Call) -> Value {
    c.event_data()
}

pub(super) fn work_order(wo: &WorkOrder) -> Value {
    json!({
        "id": wo.id,
        "code": wo.code.to_string(),
        "category": wo.category,
        "priority": wo.priority,
        "status": wo.status,
        "customer_code": wo.customer_code,
        "address": wo.address,
        "area_code": wo.area_code,
        "unit_code": wo.unit_code,
        "team_code": wo.team_code,
        "callback_requested": wo.callback_requested,
        "response_due": wo.response_due,
        "resolution_due": wo.resolution_due,
        "acknowledged_at": wo.acknowledged_at,
        "resolved_at": wo.resolved_at,
        "incident_id": wo.incident_id,
        "planned_outage_id": wo.planned_outage_id,
        "created_at": wo.created_at,
        "updated_at": wo.updated_at,
        "version": wo.version,
    })
}

pub(super) fn incident(i: &Incident) -> Value {
    json!({
        "id": i.id,
        "code": i.code,
        "status": i.status.as_str(),
        "area_codes": i.area_codes,
        "cause": i.cause,
        "started_at": i.started_at,
        "estimated_restoration_at": i.estimated_restoration_at,
        "resolved_at": i.resolved_at,
        "updated_at": i.updated_at,
        "version": i.version,
    })
}

pub(super) fn callback(cb: &crate::callback::Callback) -> Value {
    json!({
        "id": cb.id,
        "number": cb.number.as_str(),
        "customer_code": cb.customer_code,
        "reason": cb.reason,
        "status": cb.status,
        "due_at": cb.due_at,
        "agent": cb.agent,
        "queue": cb.queue,
        "unit_code": cb.unit_code,
        "attempts": cb.attempts.len(),
        "last_attempt": cb.attempts.last(),
        "call_ids": cb.calls.iter().map(|c| c.id).collect::<Vec<_>>(),
        "incident_id": cb.incident_id,
        "closed_at": cb.closed_at,
        "updated_at": cb.updated_at,
        "version": cb.version,
    })
}
