//! The monthly account of planned outages per unit.

use chrono::{DateTime, Utc};
use hotline_domain::planned_outage::PlannedOutageFilter;
use hotline_domain::planned_outage::report::{MonthRow, monthly};
use hotline_domain::principal::Principal;

use crate::roles::require;
use crate::scope::visible_units;
use crate::{App, AppResult};

/// Notices counted in one report, at most.
const MAX_NOTICES: usize = 100_000;
const BATCH: u64 = 200;

/// Per unit (of the caller's subtree) and month, the notices whose window
/// starts in [from, to): published, on time, late with their reasons,
/// cancelled, postponed.
pub async fn report(app: &App, who: &Principal, from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<Vec<MonthRow>> {
    require(who, who.role.can_read_reports(), "read reports")?;
    let scope = visible_units(app, who).await?;
    let outages = app.store.work_orders().outage_reports(from, to, scope.as_ref()).await?;
    let filter = PlannedOutageFilter {
        units: scope.map(|s| s.units),
        to: Some(to),
        // Windows ending after `from`: every one starting in the range.
        from: Some(from),
        ..PlannedOutageFilter::default()
    };
    let mut notices = Vec::new();
    let mut after = None;
    loop {
        let page = app.store.planned_outages().list(&filter, after, BATCH).await?;
        notices.extend(
            page.items
                .into_iter()
                .filter(|n| n.starts_at >= from && n.starts_at < to),
        );
        match page.next {
            Some(p) if notices.len() < MAX_NOTICES => after = Some(p),
            _ => break,
        }
    }
    Ok(monthly(&notices, &outages))
}
