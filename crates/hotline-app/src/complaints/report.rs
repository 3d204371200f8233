//! The complaints report, within the caller's units.

use chrono::{DateTime, Utc};
use hotline_domain::complaint::REPEAT_WINDOW;
use hotline_domain::complaint::report::{CATEGORIES, ComplaintReport, assemble};
use hotline_domain::principal::Principal;
use hotline_domain::sla::local_date;

use crate::roles::require;
use crate::scope::visible_units;
use crate::{App, AppResult};

/// Complaints and compliments opened in [from, to) in the caller's units:
/// outcomes per category, bill complaints against 24 hours, voltage claims
/// and repeats, staff-conduct answers against the promise (supervisors and
/// admins only) and the recognition list.
pub async fn report(app: &App, who: &Principal, from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<ComplaintReport> {
    require(who, who.role.can_read_reports(), "read reports")?;
    let scope = visible_units(app, who).await?;
    let with_conduct = who.role.can_read_staff_complaints();
    let categories: Vec<_> = CATEGORIES
        .into_iter()
        .filter(|c| with_conduct || !c.is_restricted())
        .collect();
    let store = app.store.complaints();
    let items = store.complaints(&categories, from, to, scope.as_ref()).await?;
    let marks = store.voltage_marks(from - REPEAT_WINDOW, to, scope.as_ref()).await?;
    let now = app.now();
    Ok(assemble(&items, &marks, (from, to), with_conduct, now, local_date(now)))
}
