//! PostgreSQL: `calls` and `events` become tables partitioned by local
//! month (see `crate::partitions`), with their rows, indexes and sequences.
//! A partitioned table's keys must hold the partition column: the key of
//! `calls` becomes `(id, started_at)` and that of `events`
//! `(seq, created_at)`, and the unique event id `(id, created_at)`. Ids
//! are made by the service (UUID v7) or by the database's sequence, so
//! they stay one per row. SQLite: nothing changes.

use chrono::Utc;
use sea_orm_migration::prelude::*;

use crate::partitions::{self, ALL};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let now = Utc::now();
        for t in ALL {
            partitions::partition(db, t, now).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for t in ALL {
            partitions::unpartition(db, t).await?;
        }
        Ok(())
    }
}
