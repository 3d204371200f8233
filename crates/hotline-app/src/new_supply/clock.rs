//! The clock of a new-supply request: it starts when the paperwork is
//! complete, and runs for the type's working days in the calendar of the
//! SLA policy in force (the policy's own resolution target does not apply).

use chrono::{DateTime, Utc};
use hotline_domain::calendar::Calendar;
use hotline_domain::call::Category;
use hotline_domain::new_supply::Application;
use hotline_domain::sla::DEFAULT_CALENDAR;
use hotline_domain::work_order::WorkOrder;

use crate::{App, AppResult};

/// The resolution deadline of `wo`: for a new-supply work order with an
/// application, the application's (None while documents are missing);
/// otherwise `otherwise`, what its SLA policy gives.
pub async fn resolution_due(
    app: &App,
    wo: &WorkOrder,
    calendar: &Calendar,
    now: DateTime<Utc>,
    otherwise: Option<DateTime<Utc>>,
) -> AppResult<Option<DateTime<Utc>>> {
    if wo.category != Category::NewSupply {
        return Ok(otherwise);
    }
    Ok(match app.store.new_supply().get(wo.id).await? {
        Some(a) => a.resolution_due(calendar, &wo.pauses, now),
        None => otherwise,
    })
}

/// The calendar the work order's deadlines count in: its SLA policy's, else
/// the `default` calendar, else Vietnam's.
pub(super) async fn calendar_of(app: &App, wo: &WorkOrder) -> AppResult<Calendar> {
    let policy = match wo.sla_policy_id {
        Some(id) => app.store.sla_policies().get(id).await?,
        None => None,
    };
    let calendars = app.store.calendars();
    for code in policy
        .iter()
        .map(|p| p.calendar_code.as_str())
        .chain([DEFAULT_CALENDAR])
    {
        if let Some(c) = calendars.get(code).await? {
            return Ok(c.calendar);
        }
    }
    Ok(Calendar::default_vietnam())
}

/// Sets the work order's resolution deadline from its application.
pub(super) async fn apply(app: &App, wo: &mut WorkOrder, a: &Application, now: DateTime<Utc>) -> AppResult<()> {
    let calendar = calendar_of(app, wo).await?;
    wo.resolution_due = a.resolution_due(&calendar, &wo.pauses, now);
    Ok(())
}
