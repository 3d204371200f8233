//! The per-local-day work-order summary the work-order report reads for
//! whole past days, kept like the calls' one (migration 000014): per day,
//! the work order's unit and category, and dimension (none, team, area;
//! also summed over units, and over units and categories),
//! the counts, the feedback sum and the times to resolve as a histogram to
//! the second (so the median of any set of days is exact); the upkeep's
//! state (days summarised so far, the change watermark) and the past days
//! waiting to be recomputed. `work_order_day_moves` notes a past instant a
//! work order stopped counting at without its row showing it any more (a
//! resolution undone by a reopen, a cancelled one changed again), with when
//! that happened, so the report and the upkeep find that day changed.
//!
//! The backlog where a report's range starts counts the open work orders
//! opened before it per group: its index now carries the groups and the
//! scope's columns, so that count reads no work order's row (thousands of
//! them a report).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::indexes::{IndexDef, create_indexes, drop_indexes};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

const BACKLOG: [IndexDef; 1] = [(
    "work_orders",
    "work_orders_status_created_cover_idx",
    &["status", "created_at", "unit_code", "category", "team_code", "area_code"],
)];
/// Replaced by the covering one above.
const STATUS_CREATED: [IndexDef; 1] = [("work_orders", "work_orders_status_created_idx", &["status", "created_at"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No primary key: a unit, a category or a dimension value may be null.
        NewTable::new("work_order_day_stats")
            .col(big_integer("day"))
            .col(string_len_null("unit_code", 32))
            .col(string_len_null("category", 32))
            .col(string_len("dimension", 16))
            .col(string_len_null("value", 100))
            .cols(
                big_integer,
                &[
                    "opened",
                    "resolved",
                    "resolutions_due",
                    "resolutions_met",
                    "responses_due",
                    "responses_met",
                    "cancelled",
                    "feedbacks",
                    "feedback_sum",
                ],
            )
            .col(text("resolve_seconds"))
            .index("work_order_day_stats_day_idx", &["dimension", "day", "unit_code"])
            .create(m)
            .await?;
        NewTable::new("work_order_day_summary")
            .col(integer("id").primary_key())
            .col(big_integer_null("through_day"))
            .col(timestamp_with_time_zone_null("watermark"))
            .create(m)
            .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO work_order_day_summary (id) VALUES (1)")
            .await?;
        NewTable::new("work_order_day_dirty")
            .col(big_integer("day").primary_key())
            .create(m)
            .await?;
        NewTable::new("work_order_day_moves")
            .col(timestamp_with_time_zone("was"))
            .col(timestamp_with_time_zone("at"))
            .index("work_order_day_moves_at_idx", &["at"])
            .create(m)
            .await?;
        create_indexes(m, &BACKLOG).await?;
        drop_indexes(m, &STATUS_CREATED).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(m, &STATUS_CREATED).await?;
        drop_indexes(m, &BACKLOG).await?;
        drop_tables(
            m,
            &[
                "work_order_day_moves",
                "work_order_day_dirty",
                "work_order_day_summary",
                "work_order_day_stats",
            ],
        )
        .await
    }
}
