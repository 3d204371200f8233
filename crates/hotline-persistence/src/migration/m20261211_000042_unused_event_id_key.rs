//! A leaner event write on PostgreSQL: nothing looks an event up by its
//! `id`. The stream and the webhook fan-out read by position `(txid, seq)`,
//! and a delivery copies the id. The ids are time-ordered UUIDs made for
//! each event, so the unique index `events_id_key` (`id`, with the month
//! of a partitioned log) was an entry written with every event and never
//! read: 43 bytes an event. On SQLite the same constraint is part of the
//! table's definition and would need the whole log copied to drop; it
//! stays there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // A constraint on the log as first made, a unique index once the
        // log is partitioned (the partitions' migration makes it again so).
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE events DROP CONSTRAINT IF EXISTS events_id_key; \
                 DROP INDEX IF EXISTS events_id_key",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // A partitioned log's unique keys hold its partition column.
        let partitioned = crate::partitions::is_partitioned(m.get_connection(), "events").await?;
        let columns = if partitioned { "id, created_at" } else { "id" };
        m.get_connection()
            .execute_unprepared(&format!("CREATE UNIQUE INDEX events_id_key ON events ({columns})"))
            .await?;
        Ok(())
    }
}
