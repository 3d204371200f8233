//! The transactional outbox, and the markers on work orders that make each
//! deadline event be raised once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The first outbox table (the event log replaced it; undoing that makes it
/// again).
pub(super) fn outbox_events() -> NewTable {
    NewTable::keyed("outbox_events")
        .col(string_len("event_type", 64))
        .col(string_len_null("unit_code", 32))
        .col(string_len_null("team_code", 32))
        .col(uuid("subject_id"))
        .col(text("payload"))
        .col(timestamp_with_time_zone("created_at"))
        .index("outbox_events_created_idx", &["created_at", "id"])
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        outbox_events().create(m).await?;
        add_columns(
            m,
            "work_orders",
            vec![
                timestamp_with_time_zone_null("deadline_risk_notified_at"),
                timestamp_with_time_zone_null("deadline_breach_notified_at"),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            "work_orders",
            &["deadline_breach_notified_at", "deadline_risk_notified_at"],
        )
        .await?;
        drop_tables(m, &["outbox_events"]).await
    }
}
