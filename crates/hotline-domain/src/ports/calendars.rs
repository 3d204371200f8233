//! Working calendars.

use async_trait::async_trait;

use super::StoreResult;
use crate::sla::StoredCalendar;

/// Storage for working calendars.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Every calendar, by code.
    async fn list(&self) -> StoreResult<Vec<StoredCalendar>>;
    async fn get(&self, code: &str) -> StoreResult<Option<StoredCalendar>>;
    /// Fails with `StoreError::Duplicate` when the code is taken.
    async fn create(&self, calendar: &StoredCalendar, audit: &crate::audit::AuditEntry) -> StoreResult<()>;
    /// Stores `calendar` only if the stored version is still
    /// `expected_version`; false when someone else changed it first.
    async fn replace(
        &self,
        calendar: &StoredCalendar,
        expected_version: i64,
        audit: &crate::audit::AuditEntry,
    ) -> StoreResult<bool>;
}
