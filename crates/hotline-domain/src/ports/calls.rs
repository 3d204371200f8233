//! Calls logged by hand, by PBX events and by imports.

use async_trait::async_trait;
use uuid::Uuid;

use super::{Created, StoreResult};
use crate::audit::AuditEntry;
use crate::call::{Call, CallFilter};
use crate::call_topic::CallTopic;
use crate::idempotency::IdempotencyRecord;
use crate::page::{Page, Position};

#[async_trait]
pub trait CallStore: Send + Sync {
    /// Stores a new call with its topics (none for most) and audit entry.
    async fn create(
        &self,
        call: &Call,
        topics: &[CallTopic],
        audit: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Call>>;
    /// The calls with these ids, in one read (unknown ids are left out).
    async fn get_many(&self, ids: &[Uuid]) -> StoreResult<Vec<Call>>;
    /// Stores `call` only if the stored version is still `expected_version`;
    /// false when someone else changed it first.
    async fn update(&self, call: &Call, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    async fn list(
        &self,
        filter: &CallFilter,
        after: Option<Position>,
        limit: u64,
        with_total: bool,
    ) -> StoreResult<Page<Call>>;
}
