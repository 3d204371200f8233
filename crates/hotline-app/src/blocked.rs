//! Numbers the hotline refuses: supervisors and admins block and unblock
//! them; whoever may read calls may read the list (the PBXs are told to
//! reject an inbound call from one of them).

use hotline_domain::audit::AuditEntry;
use hotline_domain::blocked::BlockedNumber;
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};
use serde_json::json;
use uuid::Uuid;

use crate::roles::require;
use crate::{App, AppResult};

/// Blocks a number for a reason, audited as the caller's; the stored
/// entry. 422 for a bad number or a missing reason, 409 when it already
/// is blocked.
pub async fn block(app: &App, who: &Principal, number: &str, reason: &str) -> AppResult<BlockedNumber> {
    require(who, who.role.can_manage_blocked_numbers(), "block numbers")?;
    let now = app.now();
    let b = BlockedNumber::create(number, Some(reason), who.actor(), now)?;
    let entry = AuditEntry::new(
        "blocked_number",
        b.id,
        "create",
        who,
        now,
        json!({"number": b.number.as_str(), "reason": b.reason}),
    );
    match app.store.blocked_numbers().create(&b, &entry).await {
        Ok(()) => Ok(b),
        Err(StoreError::Duplicate(_)) => Err(DomainError::Conflict(format!("{} is already blocked", b.number))),
        Err(e) => Err(e.into()),
    }
}

/// Every blocked number, newest first.
pub async fn list(app: &App, who: &Principal) -> AppResult<Vec<BlockedNumber>> {
    require(who, who.role.can_read_calls(), "read the blocked numbers")?;
    Ok(app.store.blocked_numbers().list().await?)
}

/// Unblocks a number, audited; 404 when no entry has this id.
pub async fn unblock(app: &App, who: &Principal, id: Uuid) -> AppResult<()> {
    require(who, who.role.can_manage_blocked_numbers(), "unblock numbers")?;
    let entry = AuditEntry::new("blocked_number", id, "delete", who, app.now(), json!({}));
    if app.store.blocked_numbers().delete(id, &entry).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("blocked number"))
    }
}
