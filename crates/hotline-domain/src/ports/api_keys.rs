//! API keys of integrations and PBXs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::user::ApiKey;

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    async fn create(&self, key: &ApiKey, secret_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn list(&self) -> StoreResult<Vec<ApiKey>>;
    /// Revokes a live key; false when there is no such live key.
    async fn revoke(&self, id: Uuid, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool>;
    async fn find_by_hash(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>>;
}
