//! The new-supply report, of the caller's units.

use chrono::{DateTime, Utc};
use hotline_domain::new_supply::report::{NewSupplyLine, tally};
use hotline_domain::principal::Principal;

use crate::{App, AppResult, reports, scope};

/// Per channel and type, the requests opened in `[from, to)` in the
/// caller's units: opened, energised, within the deadline, late, and still
/// open past the deadline now.
pub async fn report(
    app: &App,
    who: &Principal,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<NewSupplyLine>> {
    reports::may_read(who)?;
    let units = scope::visible_units(app, who).await?;
    let rows = app.store.new_supply().opened_between(from, to).await?;
    let seen: Vec<_> = rows
        .iter()
        .filter(|(_, wo)| units.as_ref().is_none_or(|u| u.admits(wo.unit_code.as_deref())))
        .map(|(a, wo)| (a, wo))
        .collect();
    Ok(tally(seen, app.now()))
}
