//! Working a callback: recording attempts, changing its owner or due time,
//! cancelling it. Each over the version the caller read (If-Match).

use hotline_domain::callback::{AttemptOutcome, Callback, CallbackPatch};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_write, save};
use crate::{App, AppResult, versions};

/// Records an attempt by the caller: `reached` makes it done; the last
/// allowed failure (or a wrong number) gives it up. 409 once it is closed.
pub async fn attempt(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    outcome: AttemptOutcome,
    note: Option<String>,
) -> AppResult<Callback> {
    may_write(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let input = hotline_domain::callback::AttemptInput {
        outcome,
        by: who.actor(),
        at: now,
        call_id: None,
        note,
    };
    let next = current.attempted(input, now)?;
    save(app, who, "attempt", &current, &next).await?;
    Ok(next)
}

/// Changes the owner (agent or queue), due time or note, or cancels it.
pub async fn patch(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    change: CallbackPatch,
) -> AppResult<Callback> {
    may_write(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let action = if change.cancel { "cancel" } else { "update" };
    let next = current.patched(change, app.now())?;
    save(app, who, action, &current, &next).await?;
    Ok(next)
}
