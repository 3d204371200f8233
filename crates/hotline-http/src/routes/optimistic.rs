//! The optimistic update behind every `If-Match` PATCH and PUT, written once:
//! the client's version is checked against what was read (412 when it read
//! another), the change is audited, and it is stored only over the version
//! read (412 when someone else stored a change in between). A missing
//! `If-Match` is the extractor's 428.

use chrono::{DateTime, Utc};
use hotline_domain::audit::{self, AuditEntry};
use hotline_domain::principal::Principal;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::IfMatch;

/// A resource that is changed optimistically: it has a version, and an audit
/// view that the change's record compares.
pub trait Versioned {
    fn version(&self) -> i64;
    fn audit_view(&self) -> Value;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> i64 {
                self.version
            }

            fn audit_view(&self) -> Value {
                <$t>::audit_view(self)
            }
        }
    )*};
}

versioned!(
    hotline_domain::sla::StoredCalendar,
    hotline_domain::sla::SlaPolicy,
    hotline_domain::webhook::Subscription
);

/// A change of `current`, begun once the client's `If-Match` matched it.
pub struct Change<'a, T> {
    current: &'a T,
    /// When the change is made.
    pub now: DateTime<Utc>,
}

impl<'a, T: Versioned> Change<'a, T> {
    /// Begins changing `current` at `now`: 412 when the client read
    /// another version.
    pub fn begin(if_match: &IfMatch, current: &'a T, now: DateTime<Utc>) -> ApiResult<Self> {
        if_match.check(current.version())?;
        Ok(Change { current, now })
    }

    /// The audit record of the update from `current` to `next`.
    pub fn entry(&self, entity: &str, id: Uuid, by: &Principal, next: &T) -> AuditEntry {
        let changes = audit::diff(&self.current.audit_view(), &next.audit_view());
        AuditEntry::new(entity, id, "update", by, self.now, changes)
    }
}

/// The store's answer to "update over the version read": 412 when it found
/// another version.
pub fn stored(updated: bool) -> ApiResult<()> {
    if updated {
        Ok(())
    } else {
        Err(ApiError::precondition_failed())
    }
}
