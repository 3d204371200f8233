//! Optimistic changes: the caller says which version it read, and a change
//! is stored only over that version.

use hotline_domain::DomainError;

use crate::AppResult;

/// 412 unless the caller read `current` (`expected` None: any version).
pub fn check(expected: Option<i64>, current: i64) -> AppResult<()> {
    match expected {
        Some(v) if v != current => Err(DomainError::PreconditionFailed),
        _ => Ok(()),
    }
}

/// The store's answer to "update over the version read": 412 when it found
/// another version.
pub fn stored(updated: bool) -> AppResult<()> {
    if updated {
        Ok(())
    } else {
        Err(DomainError::PreconditionFailed)
    }
}
