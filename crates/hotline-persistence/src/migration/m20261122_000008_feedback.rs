//! Customer feedback on a work order once it is done: one row per work
//! order (feedback is given once).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("work_order_feedback")
            .col(pk_uuid("work_order_id"))
            .col(integer("score"))
            .col(text_null("comment"))
            .col(string_len("given_by", 200))
            .col(timestamp_with_time_zone("given_at"))
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["work_order_feedback"]).await
    }
}
