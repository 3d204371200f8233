//! The log of reads of personal data.

use async_trait::async_trait;

use super::StoreResult;
use crate::page::{Page, Position};
use crate::personal_read::{PersonalRead, ReadFilter, ReadLogState};

#[async_trait]
pub trait PersonalReadStore: Send + Sync {
    /// Takes reads for writing. The adapter may write them a moment later,
    /// in batches, off the caller's path: what is queued when the process
    /// dies is lost.
    async fn record(&self, reads: Vec<PersonalRead>) -> StoreResult<()>;
    /// What is queued, written and lost in this process.
    fn state(&self) -> ReadLogState;
    /// Waits until every read taken so far is written.
    async fn flush(&self) -> StoreResult<()>;
    /// A newest-first page of the reads `filter` admits, after `after`.
    async fn list(&self, filter: &ReadFilter, after: Option<Position>, limit: u64) -> StoreResult<Page<PersonalRead>>;
}
