//! The event log that replaces the first outbox table: every event gets a
//! position that readers (the live stream, webhook fan-out) can resume
//! from without gaps.
//!
//! `seq` is assigned at insert. On PostgreSQL a transaction that inserted a
//! lower `seq` can commit after one with a higher `seq`, so each row also
//! records its writing transaction (`txid`); readers only take rows whose
//! transaction is older than every transaction still running and order by
//! `(txid, seq)`. SQLite has one writer at a time, so `txid` stays 0 there
//! and `seq` alone is in commit order.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::m20261122_000009_outbox::outbox_events;
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("events")
            .col(big_pk_auto("seq"))
            .col(big_integer("txid").default(0))
            .col(uuid_uniq("id"))
            .col(string_len("event_type", 64))
            .col(string_len_null("unit_code", 32))
            .col(string_len_null("team_code", 32))
            .col(string_len_null("agent", 100))
            .col(uuid("subject_id"))
            .col(text("payload"))
            .col(timestamp_with_time_zone("created_at"))
            .index("events_position_idx", &["txid", "seq"])
            .index("events_created_idx", &["created_at"])
            .create(m)
            .await?;
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE events ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint)",
            )
            .await?;
        }
        // Events already in the first outbox keep their order.
        db.execute_unprepared(
            "INSERT INTO events (txid, id, event_type, unit_code, team_code, subject_id, payload, created_at) \
             SELECT 0, id, event_type, unit_code, team_code, subject_id, payload, created_at \
             FROM outbox_events ORDER BY created_at, id",
        )
        .await?;
        drop_tables(m, &["outbox_events"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        outbox_events().create(m).await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO outbox_events (id, event_type, unit_code, team_code, subject_id, payload, created_at) \
                 SELECT id, event_type, unit_code, team_code, subject_id, payload, created_at FROM events",
            )
            .await?;
        drop_tables(m, &["events"]).await
    }
}
