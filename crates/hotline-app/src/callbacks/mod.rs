//! Callbacks: tasks to call a customer back. Agents and above open them by
//! hand; hotline opens them for abandoned and missed inbound calls (one per
//! number and local day, later calls merged in) and for the customers who
//! asked for one when an incident is resolved. An outbound call logged to
//! the number is an attempt; an answered one (or the customer getting
//! through on a later inbound call) closes it. Scoped to units like work
//! orders: a callback of a unit outside the caller's subtree is not there
//! for them.

mod follow;
mod open;
mod reads;
mod steps;

use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::callback::Callback;
use hotline_domain::event::{OutboxEvent, callback_changes};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::{App, AppResult, versions};

pub use follow::{after_incident, follow_call};
pub use open::{Opened, create};
pub use reads::{CallbackQuery, Counts, ServiceLevel, counts, get, list, service_level};
pub use steps::{attempt, patch};

/// 403 unless the caller's role reads callbacks (whoever reads calls).
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_calls(), "read callbacks")
}

/// 403 unless the caller's role works callbacks (agents and above).
pub fn may_write(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_log_calls(), "work callbacks")
}

/// The callback as the caller may see it: one of a unit outside their
/// subtree is not there for them (404).
async fn find(app: &App, who: &Principal, id: Uuid) -> AppResult<Callback> {
    let cb = app
        .store
        .callbacks()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("callback"))?;
    if sees_unit(app, who, cb.unit_code.as_deref()).await? {
        Ok(cb)
    } else {
        Err(DomainError::NotFound("callback"))
    }
}

/// The events a change tells, stamped `now`.
fn events(old: Option<&Callback>, new: &Callback) -> Vec<OutboxEvent> {
    callback_changes(old, new)
        .into_iter()
        .map(|t| OutboxEvent::callback(t, new, new.updated_at))
        .collect()
}

/// Stores a change over the version read, audited as `action` with its
/// events; 412 when someone else stored one first.
async fn save(app: &App, who: &Principal, action: &str, old: &Callback, new: &Callback) -> AppResult<()> {
    let entry = AuditEntry::new(
        "callback",
        new.id,
        action,
        who,
        new.updated_at,
        diff(&old.audit_view(), &new.audit_view()),
    );
    let stored = app
        .store
        .callbacks()
        .update(new, old.version, &entry, &events(Some(old), new))
        .await?;
    versions::stored(stored)
}
