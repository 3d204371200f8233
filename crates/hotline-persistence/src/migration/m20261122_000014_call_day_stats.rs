//! The per-local-day call summary the call report reads for whole past days:
//! counts, sums and wait histograms per day, customer's unit and dimension
//! (see `hotline_domain::report::days`); the upkeep's state (days summarised
//! so far, the change watermark) and the past days waiting to be recomputed.
//! Calls and customers are indexed by their last change, so the upkeep finds
//! what changed without a scan. And the work-order report's feedback count
//! reads its index alone (the score and work order with the time given).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::indexes::{IndexDef, create_indexes, drop_indexes};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [IndexDef; 4] = [
    (
        "call_day_stats",
        "call_day_stats_day_idx",
        &["dimension", "day", "unit_code"],
    ),
    ("calls", "calls_updated_idx", &["updated_at", "started_at"]),
    ("customers", "customers_updated_idx", &["updated_at", "code"]),
    (
        "work_order_feedback",
        "work_order_feedback_given_cover_idx",
        &["given_at", "work_order_id", "score"],
    ),
];
/// Replaced by the covering one above.
const FEEDBACK_GIVEN: [IndexDef; 1] = [("work_order_feedback", "work_order_feedback_given_idx", &["given_at"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No primary key: a unit or a dimension value may be null.
        NewTable::new("call_day_stats")
            .col(big_integer("day"))
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
                    "waits",
                    "wait_sum",
                    "talks",
                    "talk_sum",
                ],
            )
            .cols(text, &["answered_waits", "unanswered_waits"])
            .create(m)
            .await?;
        NewTable::new("call_day_summary")
            .col(integer("id").primary_key())
            .col(big_integer_null("through_day"))
            .col(timestamp_with_time_zone_null("watermark"))
            .create(m)
            .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO call_day_summary (id) VALUES (1)")
            .await?;
        NewTable::new("call_day_dirty")
            .col(big_integer("day").primary_key())
            .create(m)
            .await?;
        create_indexes(m, &INDEXES).await?;
        drop_indexes(m, &FEEDBACK_GIVEN).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(m, &FEEDBACK_GIVEN).await?;
        drop_indexes(m, &INDEXES).await?;
        drop_tables(m, &["call_day_dirty", "call_day_summary", "call_day_stats"]).await
    }
}
