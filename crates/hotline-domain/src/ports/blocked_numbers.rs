//! Numbers refused at the door.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::blocked::BlockedNumber;

#[async_trait]
pub trait BlockedNumberStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the number is already blocked.
    async fn create(&self, blocked: &BlockedNumber, audit: &AuditEntry) -> StoreResult<()>;
    async fn list(&self) -> StoreResult<Vec<BlockedNumber>>;
    async fn find(&self, number: &str) -> StoreResult<Option<BlockedNumber>>;
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> StoreResult<bool>;
}
