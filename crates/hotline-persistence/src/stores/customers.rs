//! Placeholder: the customer directory store is being written.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{CustomerStore, ImportCounts, StoreResult};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use crate::Db;

fn pending() -> StoreError {
    StoreError::Other("customer store not written yet".into())
}

#[async_trait]
impl CustomerStore for Db {
    async fn create(&self, _: &Customer, _: &AuditEntry) -> StoreResult<()> {
        Err(pending())
    }
    async fn get(&self, _: Uuid) -> StoreResult<Option<Customer>> {
        Err(pending())
    }
    async fn list(&self, _: &CustomerFilter, _: Option<Position>, _: u64) -> StoreResult<Page<Customer>> {
        Err(pending())
    }
    async fn update(&self, _: &Customer, _: i64, _: &AuditEntry) -> StoreResult<bool> {
        Err(pending())
    }
    async fn find_by_phone(&self, _: &str) -> StoreResult<Vec<Customer>> {
        Ok(Vec::new())
    }
    async fn import(&self, _: &[Customer], _: &Principal, _: DateTime<Utc>) -> StoreResult<ImportCounts> {
        Err(pending())
    }
}
