//! Service-level policies.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreResult;
use crate::sla::{SlaPolicy, SlaPolicyFilter};

/// Storage for SLA policies.
#[async_trait]
pub trait SlaPolicyStore: Send + Sync {
    /// Policies matching the filter, by category, unit, area kind and
    /// effective date.
    async fn list(&self, filter: &SlaPolicyFilter) -> StoreResult<Vec<SlaPolicy>>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<SlaPolicy>>;
    async fn create(&self, policy: &SlaPolicy, audit: &crate::audit::AuditEntry) -> StoreResult<()>;
    /// Stores `policy` only if the stored version is still
    /// `expected_version`; false when someone else changed it first.
    async fn update(
        &self,
        policy: &SlaPolicy,
        expected_version: i64,
        audit: &crate::audit::AuditEntry,
    ) -> StoreResult<bool>;
    /// False when there is no such policy.
    async fn delete(&self, id: Uuid, audit: &crate::audit::AuditEntry) -> StoreResult<bool>;
}
