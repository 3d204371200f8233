//! Routing rules: one row holding the whole ordered list as JSON and its
//! version (the list is replaced whole), and an index for the escalation
//! worker's claim.

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
                .table("routing_rules")
                .col(string_len("id", 32).primary_key())
                .col(text("rules"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "work_orders",
            "work_orders_status_escalate_idx",
            &["status", "escalate_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("work_orders_status_escalate_idx")
                .table("work_orders")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("routing_rules").to_owned()).await
    }
}
