//! The audit trail.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::page::{Page, Position};

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn list(
        &self,
        entity: &str,
        entity_id: Option<Uuid>,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<AuditEntry>>;

    /// Every entry of the `entity` records `ids`, in no set order.
    async fn of_records(&self, entity: &str, ids: &[Uuid]) -> StoreResult<Vec<AuditEntry>>;
}
