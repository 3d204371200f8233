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

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 4] = [
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
const FEEDBACK_GIVEN: (&str, &str, &[&str]) = ("work_order_feedback", "work_order_feedback_given_idx", &["given_at"]);

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No primary key: a unit or a dimension value may be null.
        m.create_table(
            Table::create()
                .table("call_day_stats")
                .col(big_integer("day"))
                .col(string_len_null("unit_code", 32))
                .col(string_len("dimension", 16))
                .col(string_len_null("value", 100))
                .col(big_integer("offered"))
                .col(big_integer("answered"))
                .col(big_integer("missed"))
                .col(big_integer("abandoned"))
                .col(big_integer("waits"))
                .col(big_integer("wait_sum"))
                .col(big_integer("talks"))
                .col(big_integer("talk_sum"))
                .col(text("answered_waits"))
                .col(text("unanswered_waits"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("call_day_summary")
                .col(integer("id").primary_key())
                .col(big_integer_null("through_day"))
                .col(timestamp_with_time_zone_null("watermark"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO call_day_summary (id) VALUES (1)")
            .await?;
        m.create_table(
            Table::create()
                .table("call_day_dirty")
                .col(big_integer("day").primary_key())
                .to_owned(),
        )
        .await?;
        for (table, name, cols) in INDEXES {
            m.create_index(index(table, name, cols)).await?;
        }
        let (table, name, _) = FEEDBACK_GIVEN;
        m.drop_index(Index::drop().name(name).table(table).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let (table, name, cols) = FEEDBACK_GIVEN;
        m.create_index(index(table, name, cols)).await?;
        for (table, name, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        for t in ["call_day_dirty", "call_day_summary", "call_day_stats"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
