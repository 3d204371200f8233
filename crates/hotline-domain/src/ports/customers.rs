//! Customers and their phones.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::customer::{Customer, CustomerFilter};
use crate::page::{Page, Position};
use crate::principal::Principal;

/// What one import batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the customer code is taken.
    async fn create(&self, customer: &Customer, audit: &AuditEntry) -> StoreResult<()>;
    async fn get(&self, id: Uuid) -> StoreResult<Option<Customer>>;
    async fn list(&self, filter: &CustomerFilter, after: Option<Position>, limit: u64) -> StoreResult<Page<Customer>>;
    async fn update(&self, customer: &Customer, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// Customers with this normalised number, in no particular order.
    async fn find_by_phone(&self, number: &str) -> StoreResult<Vec<Customer>>;
    /// Upserts a batch by customer code in one transaction: new codes are
    /// created, changed ones replaced (keeping id and creation time),
    /// unchanged ones left alone. Each change is audited as `actor`.
    async fn import(&self, batch: &[Customer], actor: &Principal, now: DateTime<Utc>) -> StoreResult<ImportCounts>;
}
