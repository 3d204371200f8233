//! [`PartitionStore`] over [`crate::partitions`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::ports::{PartitionStore, StoreResult};

use crate::Db;
use crate::errors::lift;

#[async_trait]
impl PartitionStore for Db {
    async fn keep_partitions(&self, now: DateTime<Utc>) -> StoreResult<u32> {
        lift(async move { Ok(crate::partitions::keep(&self.conn, now).await?) }).await
    }
}
