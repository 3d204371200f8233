//! Callbacks: tasks to call a customer back.

use async_trait::async_trait;
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::callback::{Callback, CallbackFilter, DuePosition};
use crate::event::OutboxEvent;
use crate::idempotency::IdempotencyRecord;

#[async_trait]
pub trait CallbackStore: Send + Sync {
    /// Stores a new callback with its audit entry and events (and the
    /// idempotency record, when given) in one transaction.
    async fn create(
        &self,
        callback: &Callback,
        audit: &AuditEntry,
        events: &[OutboxEvent],
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Callback>>;
    /// Stores `callback` if the stored version is still `expected_version`,
    /// with its audit entry and events; false (nothing written) otherwise.
    async fn update(
        &self,
        callback: &Callback,
        expected_version: i64,
        audit: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool>;
    /// Due first (then by id), after `after`, at most `limit` + 1 so the
    /// caller can tell whether more follow.
    async fn list(&self, filter: &CallbackFilter, after: Option<DuePosition>, limit: u64)
    -> StoreResult<Vec<Callback>>;
    /// How many match.
    async fn count(&self, filter: &CallbackFilter) -> StoreResult<u64>;
}
