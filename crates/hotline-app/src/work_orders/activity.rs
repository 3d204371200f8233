//! What happens beside the state machine: comments, later calls about the
//! same matter, and the customer's feedback once the work is done.

use hotline_domain::DomainError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::validation::optional_text;
use hotline_domain::work_order::model::MAX_NOTE;
use hotline_domain::work_order::{Feedback, WorkOrder, WorkOrderEvent};
use serde_json::json;
use uuid::Uuid;

use super::{find, may_create};
use crate::roles::require;
use crate::{App, AppResult};

/// Adds a comment to the work order's history; the history line. Viewers
/// read only; crews comment on their own team's (`find` sees to that).
pub async fn comment(app: &App, who: &Principal, key: &str, note: &str) -> AppResult<WorkOrderEvent> {
    require(
        who,
        may_create(who.role) || who.role == Role::Field,
        "comment on work orders",
    )?;
    let wo = find(app, who, key).await?;
    let mut v = hotline_domain::Validation::new();
    let note = optional_text(&mut v, "note", Some(note), MAX_NOTE);
    v.finish()?;
    let note = note.ok_or_else(|| DomainError::invalid("note", "must not be empty"))?;
    let now = app.now();
    let mut next = wo.clone();
    next.updated_at = now.max(wo.updated_at);
    next.version += 1;
    let mut event = WorkOrderEvent::new(&next, "comment", &who.actor(), now);
    event.note = Some(note.clone());
    let entry = AuditEntry::new("work_order", wo.id, "comment", who, now, json!({ "note": note }));
    if !app
        .store
        .work_orders()
        .update(&next, wo.version, &event, &entry)
        .await?
    {
        return Err(DomainError::Conflict(
            "the work order changed meanwhile; try again".into(),
        ));
    }
    Ok(event)
}

/// Links a later call about the same matter (linking twice is harmless);
/// the work order.
pub async fn link_call(app: &App, who: &Principal, key: &str, call_id: &str) -> AppResult<WorkOrder> {
    require(who, may_create(who.role), "link calls")?;
    let wo = find(app, who, key).await?;
    let call_id = Uuid::parse_str(call_id.trim()).map_err(|_| DomainError::invalid("call_id", "is not a call id"))?;
    let call = app
        .store
        .calls()
        .get(call_id)
        .await?
        .ok_or(DomainError::NotFound("call"))?;
    let mut event = WorkOrderEvent::new(&wo, "call_linked", &who.actor(), app.now());
    event.detail = json!({ "call_id": call.id });
    app.store.work_orders().link_call(wo.id, call.id, &event).await?;
    Ok(wo)
}

/// Records what the customer thought of the work, once, on a resolved or
/// closed work order; what was recorded.
pub async fn feedback(app: &App, who: &Principal, key: &str, score: i64, comment: Option<&str>) -> AppResult<Feedback> {
    require(who, who.role.can_log_calls(), "record customer feedback")?;
    let wo = find(app, who, key).await?;
    let now = app.now();
    let given = Feedback::new(score, comment, &who.actor(), now)?;
    Feedback::allowed_for(&wo)?;
    let credit = crate::surveys::feedback_attribution(app, &wo).await?;
    let mut event = WorkOrderEvent::new(&wo, "feedback", &who.actor(), now);
    event.note = given.comment.clone();
    event.detail = json!({ "score": given.score });
    let entry = AuditEntry::new("work_order", wo.id, "feedback", who, now, given.audit_view());
    if !app
        .store
        .work_orders()
        .save_feedback(wo.id, &given, &credit, &event, &entry)
        .await?
    {
        return Err(DomainError::Conflict(
            "feedback was already given for this work order".into(),
        ));
    }
    Ok(given)
}
