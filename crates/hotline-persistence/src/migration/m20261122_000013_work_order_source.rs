//! Where a work order came from (`call`, `direct`, `open311`) and the media
//! URL an Open311 report may carry. Work orders stored before this were
//! opened at the desk: from a call when their first history line names one,
//! directly otherwise.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::columns::{add_columns, drop_columns};
use super::indexes::{drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            "work_orders",
            vec![
                string_len("source", 16).default("direct").to_owned(),
                text_null("media_url"),
            ],
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE work_orders SET source = 'call' WHERE id IN \
                 (SELECT work_order_id FROM work_order_events \
                  WHERE kind = 'created' AND detail LIKE '%\"call_id\"%')",
            )
            .await?;
        m.create_index(index(
            "work_orders",
            "work_orders_source_idx",
            &["source", "created_at", "id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "work_orders", "work_orders_source_idx").await?;
        drop_columns(m, "work_orders", &["media_url", "source"]).await
    }
}
