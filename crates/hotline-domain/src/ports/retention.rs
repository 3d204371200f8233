//! The retention worker's reads and writes: pruning what is kept for a
//! while only, and anonymising what figures still need, a small batch at
//! a time (short write transactions; on PostgreSQL the batch's rows are
//! taken `FOR UPDATE SKIP LOCKED`, so replicas share the work).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::anonymise::{Anonymised, Pruned, Pseudonymiser};

#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Deletes at most `limit` rows of `kind` older than `before` (webhook
    /// deliveries finished before it keep their row and lose their body);
    /// answers how many.
    async fn prune(&self, kind: Pruned, before: DateTime<Utc>, limit: u64) -> StoreResult<u64>;
    /// Anonymises at most `limit` records of `kind` from before `before`
    /// that are not yet (numbers become pseudonyms by `with`, texts go);
    /// answers how many.
    async fn anonymise(
        &self,
        kind: Anonymised,
        before: DateTime<Utc>,
        with: &Pseudonymiser,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<u64>;
    /// When the oldest call not yet anonymised started.
    async fn oldest_kept_call(&self) -> StoreResult<Option<DateTime<Utc>>>;
}
