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

/// 403 for an API key limited to a unit: managing users and keys would let
/// it make itself a wider key or an admin.
pub fn unlimited(who: &Principal) -> AppResult<()> {
    if who.kind == hotline_domain::principal::PrincipalKind::ApiKey && who.unit_code.is_some() {
        return Err(DomainError::Forbidden(
            "an API key limited to a unit may not manage users or API keys".into(),
        ));
    }
    Ok(())
}
