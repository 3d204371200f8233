//! Which service-level policy is in force for a request, and the deadlines
//! it gives: what a work order is held to, and what the preview shows.

use chrono::{DateTime, Utc};
use hotline_domain::calendar::Calendar;
use hotline_domain::call::Category;
use hotline_domain::org::tree;
use hotline_domain::sla::{Applied, AreaKind, DEFAULT_CALENDAR, SlaPolicyFilter, deadlines, local_date, select};

use crate::{App, AppResult};

/// The unit `code`, then its parents up to the root (just the code when
/// there is no such unit; empty without a unit).
pub async fn unit_ancestry(app: &App, code: Option<&str>) -> AppResult<Vec<String>> {
    let Some(code) = code else { return Ok(Vec::new()) };
    Ok(match app.store.org().get_unit(code).await? {
        Some(unit) => tree::ancestry(&unit.path),
        None => vec![code.to_string()],
    })
}

/// The policy for a request of `category` received at `received_at` in the
/// unit `unit_code` (the closest unit's policy wins, then its parents'), in
/// an area of `area_kind`, and the deadlines it gives, counted in the
/// policy's calendar. None when no policy applies.
///
/// A policy naming a calendar that no longer exists is counted in the
/// `default` calendar, and failing that in [`Calendar::default_vietnam`]:
/// a request always gets a deadline.
pub async fn in_force(
    app: &App,
    category: Category,
    unit_code: Option<&str>,
    area_kind: Option<AreaKind>,
    received_at: DateTime<Utc>,
) -> AppResult<Option<Applied>> {
    let units = unit_ancestry(app, unit_code).await?;
    let filter = SlaPolicyFilter {
        category: Some(category),
        unit_code: None,
    };
    let candidates = app.store.sla_policies().list(&filter).await?;
    let Some(policy) = select(&candidates, category, &units, area_kind, local_date(received_at)) else {
        return Ok(None);
    };
    let calendars = app.store.calendars();
    let calendar = match calendars.get(&policy.calendar_code).await? {
        Some(c) => c.calendar,
        None => match calendars.get(DEFAULT_CALENDAR).await? {
            Some(c) => c.calendar,
            None => Calendar::default_vietnam(),
        },
    };
    Ok(Some(Applied {
        deadlines: deadlines(policy, &calendar, received_at),
        policy: policy.clone(),
    }))
}
