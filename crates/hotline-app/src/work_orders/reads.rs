//! Reading work orders: the queue as the caller may see it, one work
//! order's history, and what a view shows beside the record (its calls,
//! its incident, the customer's feedback).

use hotline_domain::DomainError;
use hotline_domain::call::Call;
use hotline_domain::incident::Incident;
use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::work_order::{Feedback, Status, WorkOrder, WorkOrderEvent, WorkOrderFilter};
use uuid::Uuid;

use super::{find, may_see};
use crate::roles::require;
use crate::scope::visible_units;
use crate::{App, AppResult};

/// What a work order's view shows beside the record itself.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// The calls linked to it.
    pub calls: Vec<Uuid>,
    /// The outage incident it is attached to.
    pub incident: Option<Incident>,
    /// The customer's feedback, once resolved.
    pub feedback: Option<Feedback>,
}

/// What goes with a work order the caller already holds; `calls` when
/// already known (a page loads them at once, a new one has its call).
pub async fn linked(app: &App, wo: &WorkOrder, calls: Option<Vec<Uuid>>) -> AppResult<Linked> {
    let calls = match calls {
        Some(c) => c,
        None => app
            .store
            .work_orders()
            .calls(&[wo.id])
            .await?
            .remove(&wo.id)
            .unwrap_or_default(),
    };
    let incident = match wo.incident_id {
        Some(id) => app.store.incidents().get(id).await?,
        None => None,
    };
    // Feedback is only taken once a work order is resolved.
    let feedback = if matches!(wo.status, Status::Resolved | Status::Closed) {
        app.store.work_orders().feedback(wo.id).await?
    } else {
        None
    };
    Ok(Linked {
        calls,
        incident,
        feedback,
    })
}

/// The work-order queue, newest first, with what each view shows: the
/// `filter`'s criteria (its `only_team` and `within_units` are the
/// caller's, set here) narrowed to what the caller may see. A crew member
/// sees their team's work (nothing without a team); others need a role
/// that reads calls (403).
pub async fn list(
    app: &App,
    who: &Principal,
    mut filter: WorkOrderFilter,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<(WorkOrder, Linked)>> {
    let field = who.role == Role::Field;
    if field && who.team_code.is_none() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
            total: None,
        });
    }
    require(who, field || who.role.can_read_calls(), "read work orders")?;
    filter.only_team = if field {
        who.team_code.as_ref().map(ToString::to_string)
    } else {
        None
    };
    filter.within_units = visible_units(app, who).await?;
    let page = app.store.work_orders().list(&filter, after, limit).await?;
    let visible: Vec<WorkOrder> = page.items.into_iter().filter(|wo| may_see(who, wo)).collect();
    let ids: Vec<Uuid> = visible.iter().map(|wo| wo.id).collect();
    let mut calls = app.store.work_orders().calls(&ids).await?;
    let mut items = Vec::with_capacity(visible.len());
    for wo in visible {
        let with = linked(app, &wo, Some(calls.remove(&wo.id).unwrap_or_default())).await?;
        items.push((wo, with));
    }
    Ok(Page {
        items,
        next: page.next,
        total: page.total,
    })
}

/// Everything that happened to a work order the caller may see, oldest
/// first (404 as `find`).
pub async fn history(app: &App, who: &Principal, key: &str) -> AppResult<Vec<WorkOrderEvent>> {
    let wo = find(app, who, key).await?;
    Ok(app.store.work_orders().history(wo.id).await?)
}

/// The call a work order is to be opened from, whoever asks (404 when
/// there is none); opening it checks the caller.
pub async fn source_call(app: &App, id: Uuid) -> AppResult<Call> {
    app.store.calls().get(id).await?.ok_or(DomainError::NotFound("call"))
}
