//! Who is calling, before the agent picks up: the screen-pop an agent's
//! softphone asks for on ring, and the contact look-up 3CX makes.

use hotline_domain::StoreError;
use hotline_domain::blocked::BlockedNumber;
use hotline_domain::call::{Call, CallFilter, CallerMatch};
use hotline_domain::call_topic::CallTopic;
use hotline_domain::callback::{Callback, CallbackFilter, CallbackStatus};
use hotline_domain::customer::Customer;
use hotline_domain::incident::{Incident, IncidentStatus};
use hotline_domain::org::UnitScope;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::planned_outage::{PlannedOutage, notice};
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{Status, WorkOrder, WorkOrderFilter};

use crate::callbacks;
use crate::clustering::{ancestry, covering_any};
use crate::planned_outages;
use crate::roles::require;
use crate::scope::visible_units;
use crate::work_orders::{self, Linked};
use crate::{App, AppResult};

/// How many of the number's calls the screen-pop shows.
const RECENT_CALLS: u64 = 5;
/// How many of the number's open callbacks it shows.
const OPEN_CALLBACKS: u64 = 10;
/// How many of each customer's work orders it shows, of each kind.
const CUSTOMER_WORK_ORDERS: u64 = 10;
/// How far back a finished work order still waits for the customer's word.
const FEEDBACK_WINDOW_DAYS: i64 = 30;

/// A customer the number belongs to.
#[derive(Debug, Clone)]
pub struct MatchedCustomer {
    pub customer: Customer,
    /// Found through the number the customer had before the 2018
    /// renumbering, not the current one.
    pub renumbered: bool,
}

/// What is known about a caller's number.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The number's entry on the blocked list.
    pub blocked: Option<BlockedNumber>,
    /// Exact matches first, then the renumbered ones, each by customer code.
    pub customers: Vec<MatchedCustomer>,
    /// The number's last calls, newest first, each with its topics.
    pub recent_calls: Vec<(Call, Vec<CallTopic>)>,
    /// The number's open callbacks the agent may see, soonest due first:
    /// whoever answers now can close them.
    pub open_callbacks: Vec<Callback>,
    /// The first active outage incident covering a customer's area (the
    /// area or one of its ancestors).
    pub active_incident: Option<Incident>,
    /// The customers' open work orders the agent may see, newest first,
    /// with their incident (for its restoration estimate).
    pub open_work_orders: Vec<(WorkOrder, Linked)>,
    /// Their work orders resolved or closed in the last 30 days that have no
    /// feedback yet: the agent can ask for it now.
    pub awaiting_feedback: Vec<WorkOrder>,
    /// Planned work announced or under way for the customers' areas or
    /// naming them, each with the matched customers who were sent it.
    pub planned_work: Vec<PlannedWork>,
}

/// A planned outage a caller may be calling about.
#[derive(Debug, Clone)]
pub struct PlannedWork {
    pub notice: PlannedOutage,
    /// The codes of the matched customers it was sent to.
    pub notified: Vec<String>,
}

/// 403 unless the caller's role may look up callers (whoever may read the
/// call log).
pub fn may_look_up(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_calls(), "look up callers")
}

/// The screen-pop for a (normalised) number: what the number is (its
/// customers, calls, callbacks, block) read at once, then what the
/// customers have (incident, work orders, planned work) read at once, with
/// the caller's units read once for all of it.
pub async fn screen_pop(app: &App, who: &Principal, number: &PhoneNumber) -> AppResult<Caller> {
    may_look_up(who)?;
    let n = number.as_str();
    let filter = CallFilter {
        caller: Some(CallerMatch::Number(n.to_string())),
        ..CallFilter::default()
    };
    let (customers, recent, blocked, scope) = tokio::try_join!(
        read(app.store.customers().find_by_phone(n)),
        read(app.store.calls().list(&filter, None, RECENT_CALLS, false)),
        read(app.store.blocked_numbers().find(n)),
        visible_units(app, who),
    )?;
    let mut customers: Vec<MatchedCustomer> = customers
        .into_iter()
        .map(|customer| {
            let renumbered = customer.phones.iter().any(|p| p.number.as_str() == n && p.renumbered);
            MatchedCustomer { customer, renumbered }
        })
        .collect();
    customers.sort_by_key(|m| (m.renumbered, m.customer.code.clone()));
    let areas = ancestries(app, &customers).await?;
    let ids: Vec<_> = recent.items.iter().map(|c| c.id).collect();
    let (active_incident, mut topics, open_callbacks, (open_work_orders, awaiting_feedback), planned_work) = tokio::try_join!(
        active_incident(app, &areas),
        read(app.store.call_topics().topics_of(&ids)),
        open_callbacks(app, who, n, scope.as_ref()),
        customer_work(app, who, &customers, scope.as_ref()),
        planned_work(app, who, &customers, &areas, scope.as_ref()),
    )?;
    let recent_calls = recent
        .items
        .into_iter()
        .map(|c| {
            let t = topics.remove(&c.id).unwrap_or_default();
            (c, t)
        })
        .collect();
    Ok(Caller {
        blocked,
        customers,
        recent_calls,
        open_callbacks,
        active_incident,
        open_work_orders,
        awaiting_feedback,
        planned_work,
    })
}

/// A store read as a use case's result, to be joined with others.
async fn read<T>(f: impl Future<Output = Result<T, StoreError>>) -> AppResult<T> {
    Ok(f.await?)
}

/// Each of the customers' areas (once, in the customers' order) with its
/// ancestry: the area and the areas above it.
async fn ancestries(app: &App, customers: &[MatchedCustomer]) -> AppResult<Vec<(String, Vec<String>)>> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for area in customers.iter().filter_map(|m| m.customer.area_code.as_deref()) {
        if !out.iter().any(|(a, _)| a == area) {
            out.push((area.to_string(), ancestry(app, area).await?));
        }
    }
    Ok(out)
}

/// The first active outage incident covering one of the areas.
async fn active_incident(app: &App, areas: &[(String, Vec<String>)]) -> AppResult<Option<Incident>> {
    for (_, codes) in areas {
        if let Some(found) = covering_any(app, codes, &[IncidentStatus::Active]).await? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The number's open callbacks, as far as the agent may read callbacks.
async fn open_callbacks(
    app: &App,
    who: &Principal,
    number: &str,
    scope: Option<&UnitScope>,
) -> AppResult<Vec<Callback>> {
    if callbacks::may_read(who).is_err() {
        return Ok(Vec::new());
    }
    let filter = CallbackFilter {
        number: Some(number.to_string()),
        statuses: vec![CallbackStatus::Open],
        units: scope.map(|s| (s.units.clone(), s.unplaced)),
        ..CallbackFilter::default()
    };
    let mut found = app.store.callbacks().list(&filter, None, OPEN_CALLBACKS).await?;
    found.truncate(OPEN_CALLBACKS as usize);
    Ok(found)
}

/// Announced or running planned work covering the customers (their area or
/// naming them), as far as the agent may read notices.
async fn planned_work(
    app: &App,
    who: &Principal,
    customers: &[MatchedCustomer],
    areas: &[(String, Vec<String>)],
    scope: Option<&UnitScope>,
) -> AppResult<Vec<PlannedWork>> {
    if !who.role.can_read_incidents() {
        return Ok(Vec::new());
    }
    let now = app.now();
    let mut found: Vec<PlannedWork> = Vec::new();
    for m in customers {
        let c = &m.customer;
        let ancestry = c
            .area_code
            .as_deref()
            .and_then(|code| areas.iter().find(|(a, _)| a == code))
            .map(|(_, codes)| codes.clone());
        let notices = planned_outages::affecting_within(app, ancestry, Some(&c.code), now).await?;
        for n in planned_outages::in_scope(notices, scope) {
            let told = notice::was_notified(&n, &c.code, c.created_at);
            let i = match found.iter().position(|w| w.notice.id == n.id) {
                Some(i) => i,
                None => {
                    found.push(PlannedWork {
                        notice: n,
                        notified: Vec::new(),
                    });
                    found.len() - 1
                }
            };
            if told {
                found[i].notified.push(c.code.to_string());
            }
        }
    }
    found.sort_by_key(|w| (w.notice.starts_at, w.notice.id));
    Ok(found)
}

/// The matched customers' open work orders and those waiting for feedback,
/// as far as the agent may see them (the work-order list's own rules).
async fn customer_work(
    app: &App,
    who: &Principal,
    customers: &[MatchedCustomer],
    scope: Option<&UnitScope>,
) -> AppResult<(Vec<(WorkOrder, Linked)>, Vec<WorkOrder>)> {
    let since = app.now() - chrono::TimeDelta::days(FEEDBACK_WINDOW_DAYS);
    let (mut open, mut awaiting) = (Vec::new(), Vec::new());
    for m in customers {
        let of = |statuses: Vec<Status>| WorkOrderFilter {
            statuses,
            customer_code: Some(m.customer.code.clone()),
            ..WorkOrderFilter::default()
        };
        let open_ones = Status::ALL.iter().copied().filter(|s| s.is_open()).collect();
        let done_ones = vec![Status::Resolved, Status::Closed];
        let (now_open, done) = tokio::try_join!(
            work_orders::list_within(app, who, of(open_ones), None, CUSTOMER_WORK_ORDERS, scope.cloned()),
            work_orders::list_within(app, who, of(done_ones), None, CUSTOMER_WORK_ORDERS, scope.cloned()),
        )?;
        open.extend(now_open.items);
        awaiting.extend(
            done.items
                .into_iter()
                .filter(|(wo, linked)| linked.feedback.is_none() && wo.resolved_at.is_some_and(|at| at >= since))
                .map(|(wo, _)| wo),
        );
    }
    Ok((open, awaiting))
}

/// A customer as 3CX's contact look-up shows them, with what the agent
/// should know before answering.
#[derive(Debug, Clone)]
pub struct Contact {
    pub customer: Customer,
    /// The active outage incident covering the customer's area.
    pub incident: Option<Incident>,
    /// Planned work announced or under way for the customer (their area or
    /// naming them); `notified` holds their code when they were sent it.
    pub planned_work: Vec<PlannedWork>,
}

/// The customers with a number written any way (3CX's contact look-up), by
/// code, each with the outage under way and the planned work for them;
/// none for a withheld, empty or unreadable number, never an error.
pub async fn contacts(app: &App, who: &Principal, raw: &str) -> AppResult<Vec<Contact>> {
    may_look_up(who)?;
    let mut customers = match PhoneNumber::parse(raw) {
        Ok(Some(n)) => app.store.customers().find_by_phone(n.as_str()).await?,
        Ok(None) | Err(_) => Vec::new(),
    };
    customers.sort_by(|a, b| a.code.cmp(&b.code).then(a.id.cmp(&b.id)));
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let matched: Vec<MatchedCustomer> = customers
        .into_iter()
        .map(|customer| MatchedCustomer {
            customer,
            renumbered: false,
        })
        .collect();
    let (areas, scope) = tokio::try_join!(ancestries(app, &matched), visible_units(app, who))?;
    let mut out = Vec::with_capacity(matched.len());
    for m in matched {
        let own: Vec<(String, Vec<String>)> = areas
            .iter()
            .filter(|(a, _)| m.customer.area_code.as_deref() == Some(a.as_str()))
            .cloned()
            .collect();
        let one = std::slice::from_ref(&m);
        let (incident, planned_work) = tokio::try_join!(
            active_incident(app, &own),
            planned_work(app, who, one, &own, scope.as_ref())
        )?;
        out.push(Contact {
            customer: m.customer,
            incident,
            planned_work,
        });
    }
    Ok(out)
}
