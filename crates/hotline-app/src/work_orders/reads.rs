//! Reading work orders: the queue as the caller may see it, one work
//! order's history, and what a view shows beside the record (its calls,
//! its incident, the customer's feedback).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use hotline_domain::DomainError;
use hotline_domain::call::Call;
use hotline_domain::incident::Incident;
use hotline_domain::org::UnitScope;
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
    /// A new-supply request's application.
    pub new_supply: Option<hotline_domain::new_supply::Application>,
}

/// What goes with a work order the caller already holds; `calls` when
/// already known (a page loads them at once, a new one has its call).
pub async fn linked(app: &App, wo: &WorkOrder, calls: Option<Vec<Uuid>>) -> AppResult<Linked> {
    let mut all = linked_all(app, std::slice::from_ref(wo), calls.is_none()).await?;
    let mut one = all.pop().unwrap_or_default();
    if let Some(known) = calls {
        one.calls = known;
    }
    Ok(one)
}

/// What goes with each of these work orders, in their order, read at once:
/// their calls (unless `with_calls` is false), each incident once, and the
/// feedback of the resolved ones.
async fn linked_all(app: &App, orders: &[WorkOrder], with_calls: bool) -> AppResult<Vec<Linked>> {
    let ids: Vec<Uuid> = if with_calls {
        orders.iter().map(|wo| wo.id).collect()
    } else {
        Vec::new()
    };
    // Feedback is only taken once a work order is resolved.
    let done: Vec<Uuid> = orders
        .iter()
        .filter(|wo| matches!(wo.status, Status::Resolved | Status::Closed))
        .map(|wo| wo.id)
        .collect();
    let store = app.store.work_orders();
    // New-supply requests show their application, read at once for a page.
    let supplies: Vec<Uuid> = orders
        .iter()
        .filter(|wo| wo.category == hotline_domain::call::Category::NewSupply)
        .map(|wo| wo.id)
        .collect();
    let (mut calls, mut feedback, mut new_supply) = tokio::try_join!(
        store.calls(&ids),
        store.feedbacks(&done),
        app.store.new_supply().many(&supplies)
    )?;
    let mut incidents: HashMap<Uuid, Option<Incident>> = HashMap::new();
    for id in orders.iter().filter_map(|wo| wo.incident_id) {
        if let Entry::Vacant(slot) = incidents.entry(id) {
            slot.insert(app.store.incidents().get(id).await?);
        }
    }
    Ok(orders
        .iter()
        .map(|wo| Linked {
            calls: calls.remove(&wo.id).unwrap_or_default(),
            incident: wo.incident_id.and_then(|id| incidents.get(&id).cloned().flatten()),
            feedback: feedback.remove(&wo.id),
            new_supply: new_supply.remove(&wo.id),
        })
        .collect())
}

/// The work-order queue, newest first, with what each view shows: the
/// `filter`'s criteria (its `only_team` and `within_units` are the
/// caller's, set here) narrowed to what the caller may see. A crew member
/// sees their team's work (nothing without a team); others need a role
/// that reads calls (403).
pub async fn list(
    app: &App,
    who: &Principal,
    filter: WorkOrderFilter,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<(WorkOrder, Linked)>> {
    let scope = visible_units(app, who).await?;
    list_within(app, who, filter, after, limit, scope).await
}

/// [`list`], for a caller whose units (`scope`, from
/// [`visible_units`]) are already known.
pub async fn list_within(
    app: &App,
    who: &Principal,
    mut filter: WorkOrderFilter,
    after: Option<Position>,
    limit: u64,
    scope: Option<UnitScope>,
) -> AppResult<Page<(WorkOrder, Linked)>> {
    let Some(only_team) = queue_reach(who)? else {
        return Ok(Page::empty());
    };
    filter.only_team = only_team;
    filter.within_units = scope;
    let page = app.store.work_orders().list(&filter, after, limit).await?;
    let visible: Vec<WorkOrder> = page.items.into_iter().filter(|wo| may_see(who, wo)).collect();
    let linked = linked_all(app, &visible, true).await?;
    Ok(Page {
        items: visible.into_iter().zip(linked).collect(),
        next: page.next,
        total: page.total,
    })
}

/// How far the caller's queue reaches: `Some(team)` for a field crew, which
/// sees its own team's work orders only; `Some(None)` for the roles that
/// read calls (their units' subtree); None for a crew with no team, which
/// sees none. Other roles may not read work orders (403).
pub fn queue_reach(who: &Principal) -> AppResult<Option<Option<String>>> {
    let field = who.role == Role::Field;
    if field && who.team_code.is_none() {
        return Ok(None);
    }
    require(who, field || who.role.can_read_calls(), "read work orders")?;
    Ok(Some(if field {
        who.team_code.as_ref().map(ToString::to_string)
    } else {
        None
    }))
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
