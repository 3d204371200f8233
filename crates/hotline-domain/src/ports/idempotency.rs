//! Answers kept for replays of requests that carried an `Idempotency-Key`.

use async_trait::async_trait;

use super::StoreResult;
use crate::idempotency::IdempotencyRecord;

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    async fn find(&self, scope: &str, key: &str) -> StoreResult<Option<IdempotencyRecord>>;
}
