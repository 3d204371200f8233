//! Reading callbacks: one, lists and worklists (due first), the counts on
//! the wallboard, and the service level on abandoned calls.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::call::{CallFilter, Outcome};
use hotline_domain::callback::{
    Callback, CallbackFilter, CallbackStatus, CallingHours, DuePosition, Reason, local_day,
};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_read};
use crate::scope::visible_units;
use crate::{App, AppResult};

/// Callbacks read per batch when a report goes through a period.
const BATCH: u64 = 500;

/// Which callbacks a caller asks for (the unit scope is added here).
#[derive(Debug, Clone, Default)]
pub struct CallbackQuery {
    pub filter: CallbackFilter,
    pub after: Option<DuePosition>,
    pub limit: u64,
}

/// One callback (404 when there is none the caller may see).
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Callback> {
    may_read(who)?;
    find(app, who, id).await
}

/// Narrows a filter to the units the caller sees.
async fn scoped(app: &App, who: &Principal, mut filter: CallbackFilter) -> AppResult<CallbackFilter> {
    if let Some(scope) = visible_units(app, who).await? {
        filter.units = Some((scope.units, scope.unplaced));
    }
    Ok(filter)
}

/// A page of callbacks, due first, and where the next page starts.
pub async fn list(app: &App, who: &Principal, q: CallbackQuery) -> AppResult<(Vec<Callback>, Option<DuePosition>)> {
    may_read(who)?;
    let filter = scoped(app, who, q.filter).await?;
    let mut items = app.store.callbacks().list(&filter, q.after, q.limit).await?;
    let next = if items.len() as u64 > q.limit {
        items.truncate(q.limit as usize);
        items.last().map(|c| DuePosition {
            due_at: c.due_at,
            id: c.id,
        })
    } else {
        None
    };
    Ok((items, next))
}

/// Open callbacks, and those of them past due, that the caller sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: u64,
    pub overdue: u64,
}

/// The wallboard's callbacks at `now`.
pub async fn counts(app: &App, who: &Principal, now: DateTime<Utc>) -> AppResult<Counts> {
    may_read(who)?;
    let open = scoped(
        app,
        who,
        CallbackFilter {
            statuses: vec![CallbackStatus::Open],
            ..CallbackFilter::default()
        },
    )
    .await?;
    let overdue = CallbackFilter {
        due_before: Some(now),
        ..open.clone()
    };
    Ok(Counts {
        open: app.store.callbacks().count(&open).await?,
        overdue: app.store.callbacks().count(&overdue).await?,
    })
}

/// Abandoned calls in a period and how many of them were called back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevel {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub target_minutes: i64,
    /// The daily hours the target's minutes are counted in.
    pub calling_hours: CallingHours,
    /// Abandoned calls that started in the period (every number).
    pub abandoned_calls: u64,
    /// Of them, those with a callback the caller sees.
    pub with_callback: u64,
    /// Of those, the ones whose customer was reached (or got through).
    pub called_back: u64,
    /// Of those, reached within the target after the call.
    pub within_target: u64,
    /// Callbacks open now and past due.
    pub open: u64,
    pub overdue: u64,
}

/// The service level on abandoned calls in `[from, to)`: of the abandoned
/// calls, those called back within `HOTLINE_CALLBACK_TARGET_MINUTES` of
/// calling time (minutes inside `HOTLINE_CALLBACK_HOURS`)
/// (counted per call: two merged calls reached by one callback are two),
/// with the callbacks open and past due now.
pub async fn service_level(
    app: &App,
    who: &Principal,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<ServiceLevel> {
    may_read(who)?;
    let abandoned = CallFilter {
        from: Some(from),
        to: Some(to),
        outcome: Some(Outcome::Abandoned),
        ..CallFilter::default()
    };
    let abandoned_calls = app
        .store
        .calls()
        .list(&abandoned, None, 1, true)
        .await?
        .total
        .unwrap_or(0);
    let target = Duration::minutes(app.settings.callback_target_minutes);
    let hours = app.settings.callback_hours;
    // Calls merge within their local day: a callback holding a call of
    // the period is one of the period's local days.
    let filter = scoped(
        app,
        who,
        CallbackFilter {
            day_from: Some(local_day(from)),
            day_to: Some(local_day(to - Duration::microseconds(1))),
            ..CallbackFilter::default()
        },
    )
    .await?;
    let (mut with_callback, mut called_back, mut within_target) = (0, 0, 0);
    let mut after = None;
    loop {
        let batch = app.store.callbacks().list(&filter, after, BATCH).await?;
        for cb in batch
            .iter()
            .take(BATCH as usize)
            .filter(|c| c.reason == Reason::Abandoned)
        {
            for call in cb.calls.iter().filter(|c| !c.closing && c.at >= from && c.at < to) {
                with_callback += 1;
                if cb.status == CallbackStatus::Done {
                    called_back += 1;
                    if cb.closed_at.is_some_and(|t| hours.between(call.at, t) <= target) {
                        within_target += 1;
                    }
                }
            }
        }
        if batch.len() as u64 <= BATCH {
            break;
        }
        after = batch.get(BATCH as usize - 1).map(|c| DuePosition {
            due_at: c.due_at,
            id: c.id,
        });
    }
    let now = app.now();
    let counts = super::counts(app, who, now).await?;
    Ok(ServiceLevel {
        from,
        to,
        target_minutes: app.settings.callback_target_minutes,
        calling_hours: hours,
        abandoned_calls,
        with_callback,
        called_back,
        within_target,
        open: counts.open,
        overdue: counts.overdue,
    })
}
