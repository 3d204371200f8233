//! Planned-outage notices and the customers they tell.

use async_trait::async_trait;
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::event::OutboxEvent;
use crate::idempotency::IdempotencyRecord;
use crate::page::{Page, Position};
use crate::planned_outage::{PlannedOutage, PlannedOutageFilter, Recipient};

/// Each write commits with its audit entry and its events.
#[async_trait]
pub trait PlannedOutageStore: Send + Sync {
    /// Stores a new notice (and the first answer to its idempotency key).
    async fn create(
        &self,
        notice: &PlannedOutage,
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<PlannedOutage>>;
    /// Newest first (by creation), after `after`, at most `limit`.
    async fn list(
        &self,
        filter: &PlannedOutageFilter,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<PlannedOutage>>;
    /// Stores `notice` if the stored version is still `expected_version`,
    /// with its audit entry and events; false (nothing written) otherwise.
    async fn update(
        &self,
        notice: &PlannedOutage,
        expected_version: i64,
        audit: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool>;
    /// The directory's customers with one of `codes` or in one of `areas`
    /// (exact area codes), newest first, after `after`, at most `limit`.
    async fn recipients(
        &self,
        codes: &[String],
        areas: &[String],
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<Recipient>>;
    /// Which of `codes` the directory holds.
    async fn known_customers(&self, codes: &[String]) -> StoreResult<Vec<String>>;
}
