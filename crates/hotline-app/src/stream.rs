//! The live stream's reads: what a caller's rights let through, the units
//! a unit filter stands for, and where the event log ends now.

use hotline_domain::event::{EventPosition, EventScope};
use hotline_domain::principal::Principal;

use crate::scope::{units_within, visible_units};
use crate::{App, AppResult};

/// The events `who`'s role and units let through.
pub async fn scope(app: &App, who: &Principal) -> AppResult<EventScope> {
    let within = visible_units(app, who).await?;
    Ok(EventScope::of(who, within))
}

/// The codes of the unit `code` and the units below it; None when there is
/// no such unit.
pub async fn unit_and_below(app: &App, code: &str) -> AppResult<Option<Vec<String>>> {
    match app.store.org().get_unit(code).await? {
        None => Ok(None),
        Some(unit) => Ok(Some(units_within(app, unit.path).await?)),
    }
}

/// The newest event's position in the log (None while it is empty): a
/// stream that does not resume starts here.
pub async fn head(app: &App) -> AppResult<Option<EventPosition>> {
    Ok(app.store.outbox().head().await?)
}
