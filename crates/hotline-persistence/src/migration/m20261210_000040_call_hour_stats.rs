//! The calls summarised by the local hour, for the last days only: the
//! report reads today's (and a recent day's partial) whole past hours from
//! it instead of counting every call of today. The same columns, upkeep
//! state and dirty list as the per-day summary (migration 000014), keyed
//! by `hour` (YYYYMMDDHH); `from_hour` is the first hour still kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::indexes::{IndexDef, create_indexes, drop_indexes};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [IndexDef; 1] = [(
    "call_hour_stats",
    "call_hour_stats_hour_idx",
    &["dimension", "hour", "unit_code"],
)];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No primary key: a unit or a dimension value may be null.
        NewTable::new("call_hour_stats")
            .col(big_integer("hour"))
            .col(string_len_null("unit_code", 32))
            .col(string_len("dimension", 16))
            .col(string_len_null("value", 100))
            .cols(
                big_integer,
                &[
                    "offered",
                    "answered",
                    "missed",
                    "abandoned",
                    "blocked",
                    "waits",
                    "wait_sum",
                    "talks",
                    "talk_sum",
                ],
            )
            .cols(text, &["answered_waits", "unanswered_waits"])
            .create(m)
            .await?;
        NewTable::new("call_hour_summary")
            .col(integer("id").primary_key())
            .col(big_integer_null("from_hour"))
            .col(big_integer_null("through_hour"))
            .col(timestamp_with_time_zone_null("watermark"))
            .create(m)
            .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO call_hour_summary (id) VALUES (1)")
            .await?;
        NewTable::new("call_hour_dirty")
            .col(big_integer("hour").primary_key())
            .create(m)
            .await?;
        create_indexes(m, &INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, &INDEXES).await?;
        drop_tables(m, &["call_hour_dirty", "call_hour_summary", "call_hour_stats"]).await
    }
}
