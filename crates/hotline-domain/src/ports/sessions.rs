//! Sign-in state: refresh tokens and failed sign-ins.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::user::{RefreshToken, RotateOutcome};

#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    async fn insert(&self, token: &RefreshToken) -> StoreResult<()>;
    /// Marks `old_hash` used and stores `next` in its family, atomically.
    async fn rotate(&self, old_hash: &str, next: &RefreshToken, now: DateTime<Utc>) -> StoreResult<RotateOutcome>;
    async fn revoke(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool>;
}

/// Failed sign-ins, shared by every replica so throttling holds across them.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    async fn record_failure(&self, username: &str, address: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Failures since `since` for the user and for the address, with the
    /// oldest of each (to tell the client when to retry).
    async fn failures_since(&self, username: &str, address: &str, since: DateTime<Utc>) -> StoreResult<FailureCounts>;
    async fn clear(&self, username: &str) -> StoreResult<()>;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureCounts {
    pub user: u64,
    pub user_oldest: Option<DateTime<Utc>>,
    pub address: u64,
    pub address_oldest: Option<DateTime<Utc>>,
}
