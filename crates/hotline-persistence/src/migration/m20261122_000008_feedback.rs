//! Customer feedback on a work order once it is done: one row per work
//! order (feedback is given once).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("work_order_feedback")
                .col(pk_uuid("work_order_id"))
                .col(integer("score"))
                .col(text_null("comment"))
                .col(string_len("given_by", 200))
                .col(timestamp_with_time_zone("given_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("work_order_feedback").to_owned())
            .await
    }
}
