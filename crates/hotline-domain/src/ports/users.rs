//! User accounts.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::page::{Page, Position};
use crate::user::{User, UserCredentials};

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the username is taken.
    async fn create(&self, user: &User, password_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<User>>;
    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>>;
    async fn list(&self, after: Option<Position>, limit: u64) -> StoreResult<Page<User>>;
    async fn update(&self, user: &User, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    async fn count(&self) -> StoreResult<u64>;
}
