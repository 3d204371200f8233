//! An incident's life after it is declared: work orders attached, the
//! incident activated, and resolved with its outage work orders.

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Category;
use hotline_domain::incident::{Callback, Incident};
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{Action, Status, WorkOrder, WorkOrderEvent};
use serde_json::json;
use uuid::Uuid;

use super::{find_to_change, may_write};
use crate::clustering::attach_event;
use crate::work_orders;
use crate::{App, AppResult};

/// Attaches the work order (by id or short code, one the caller may read)
/// to the incident; the incident. Attaching one already attached to it
/// changes nothing; 409 when the incident is resolved or the work order
/// belongs to another incident.
pub async fn attach(app: &App, who: &Principal, id: Uuid, work_order_key: &str) -> AppResult<Incident> {
    may_write(who)?;
    let inc = find_to_change(app, who, id).await?;
    let wo = work_orders::find(app, who, work_order_key.trim()).await?;
    if wo.incident_id == Some(inc.id) {
        return Ok(inc);
    }
    if !inc.is_open() {
        return Err(DomainError::Conflict(
            "the incident is resolved; work orders no longer attach to it".into(),
        ));
    }
    if let Some(other) = wo.incident_id {
        return Err(DomainError::Conflict(format!(
            "work order {} is attached to incident {other}",
            wo.code
        )));
    }
    let now = app.now();
    let event = attach_event(wo.id, inc.id, &who.actor(), now);
    let audits = [
        AuditEntry::new(
            "work_order",
            wo.id,
            "attach_incident",
            who,
            now,
            json!({ "incident_id": { "from": null, "to": inc.id } }),
        ),
        AuditEntry::new(
            "incident",
            inc.id,
            "attach",
            who,
            now,
            json!({ "work_order_id": wo.id }),
        ),
    ];
    if !app
        .store
        .incidents()
        .attach(inc.id, wo.id, wo.version, &event, &audits)
        .await?
    {
        return Err(DomainError::Conflict(
            "the work order changed meanwhile; try again".into(),
        ));
    }
    Ok(inc)
}

/// Confirms a proposed incident: it becomes active (409 when it is not
/// proposed). The stored incident.
pub async fn activate(app: &App, who: &Principal, id: Uuid) -> AppResult<Incident> {
    may_write(who)?;
    let current = find_to_change(app, who, id).await?;
    let now = app.now();
    let next = current.activated(now)?;
    let entry = AuditEntry::new(
        "incident",
        id,
        "activate",
        who,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    );
    if !app.store.incidents().update(&next, current.version, &entry).await? {
        return Err(DomainError::Conflict(
            "the incident changed meanwhile; try again".into(),
        ));
    }
    Ok(next)
}

/// What resolving an incident did.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The incident, resolved.
    pub incident: Incident,
    /// Every work order attached to it, oldest first.
    pub work_order_ids: Vec<Uuid>,
    /// The outage work orders resolved with it.
    pub resolved_work_order_ids: Vec<Uuid>,
    /// The customers to call back.
    pub callbacks: Vec<Callback>,
}

/// The work order resolved along with its incident, whatever open state it
/// was in (an open pause ends).
fn resolved_with(wo: &WorkOrder, now: DateTime<Utc>) -> WorkOrder {
    let mut next = wo.clone();
    next.status = Status::Resolved;
    next.held_from = None;
    next.resolved_at = Some(now);
    if let Some(open) = next.pauses.iter_mut().find(|p| p.1.is_none()) {
        open.1 = Some(now);
    }
    next.updated_at = now.max(wo.updated_at);
    next.version += 1;
    next
}

/// Resolves the incident: every attached open outage work order is
/// resolved with it, in one transaction (409 when the incident is resolved
/// already, or it or one of them changed meanwhile).
pub async fn resolve(app: &App, who: &Principal, id: Uuid) -> AppResult<Resolved> {
    may_write(who)?;
    let current = find_to_change(app, who, id).await?;
    let now = app.now();
    let next = current.resolved(now)?;
    let mut work_orders = Vec::new();
    let mut events = Vec::new();
    let mut audits = vec![AuditEntry::new(
        "incident",
        id,
        "resolve",
        who,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    )];
    for wo_id in app.store.incidents().work_order_ids(id).await? {
        let Some(wo) = app.store.work_orders().get(wo_id).await? else {
            continue;
        };
        if wo.category != Category::Outage || !wo.is_open() {
            continue;
        }
        let done = resolved_with(&wo, now);
        let mut ev = WorkOrderEvent::new(&done, "transition", &who.actor(), now);
        ev.action = Some(Action::Resolve);
        ev.from_status = Some(wo.status);
        ev.note = Some(format!("resolved with incident {id}"));
        ev.detail = json!({ "incident_id": id });
        events.push(ev);
        audits.push(AuditEntry::new(
            "work_order",
            wo.id,
            Action::Resolve.as_str(),
            who,
            now,
            diff(&wo.audit_view(), &done.audit_view()),
        ));
        work_orders.push((done, wo.version));
    }
    if !app
        .store
        .incidents()
        .resolve(&next, current.version, &work_orders, &events, &audits)
        .await?
    {
        return Err(DomainError::Conflict(
            "the incident or one of its work orders changed meanwhile; try again".into(),
        ));
    }
    let callbacks = app.store.incidents().callbacks(id).await?;
    crate::callbacks::after_incident(app, who, &next, &callbacks).await?;
    Ok(Resolved {
        work_order_ids: app.store.incidents().work_order_ids(id).await?,
        resolved_work_order_ids: work_orders.iter().map(|(w, _)| w.id).collect(),
        callbacks,
        incident: next,
    })
}
