//! The upkeep of a database's partitions: tables split by month get the
//! months to come before rows arrive for them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

#[async_trait]
pub trait PartitionStore: Send + Sync {
    /// Makes the partitions of the current month and the next few, and
    /// gives a month whose rows fell into a catch-all partition its own;
    /// answers how many partitions were made (none where the database has
    /// no partitions).
    async fn keep_partitions(&self, now: DateTime<Utc>) -> StoreResult<u32>;
}
