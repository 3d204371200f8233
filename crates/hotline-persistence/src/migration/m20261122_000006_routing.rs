//! Routing rules: one row holding the whole ordered list as JSON and its
//! version (the list is replaced whole), and an index for the escalation
//! worker's claim.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::indexes::{drop_index, index};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("routing_rules")
            .col(string_len("id", 32).primary_key())
            .col(text("rules"))
            .col(timestamp_with_time_zone("updated_at"))
            .col(big_integer("version"))
            .create(m)
            .await?;
        m.create_index(index(
            "work_orders",
            "work_orders_status_escalate_idx",
            &["status", "escalate_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "work_orders", "work_orders_status_escalate_idx").await?;
        drop_tables(m, &["routing_rules"]).await
    }
}
