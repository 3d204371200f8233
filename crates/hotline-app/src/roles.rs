//! The role check every use case begins with, worded the same everywhere.

use hotline_domain::DomainError;
use hotline_domain::principal::Principal;

use crate::AppResult;

/// 403 "the ROLE role may not WHAT" unless `allowed` (the caller's role
/// grants it).
pub fn require(who: &Principal, allowed: bool, what: &str) -> AppResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden(format!("the {} role may not {what}", who.role)))
    }
}
