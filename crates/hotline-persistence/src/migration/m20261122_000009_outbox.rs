//! The transactional outbox, and the markers on work orders that make each
//! deadline event be raised once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("outbox_events")
                .col(pk_uuid("id"))
                .col(string_len("event_type", 64))
                .col(string_len_null("unit_code", 32))
                .col(string_len_null("team_code", 32))
                .col(uuid("subject_id"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outbox_events",
            "outbox_events_created_idx",
            &["created_at", "id"],
        ))
        .await?;
        // SQLite adds one column per ALTER TABLE.
        for col in ["deadline_risk_notified_at", "deadline_breach_notified_at"] {
            m.alter_table(
                Table::alter()
                    .table("work_orders")
                    .add_column(timestamp_with_time_zone_null(col))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["deadline_breach_notified_at", "deadline_risk_notified_at"] {
            m.alter_table(Table::alter().table("work_orders").drop_column(col).to_owned())
                .await?;
        }
        m.drop_table(Table::drop().table("outbox_events").to_owned()).await
    }
}
