//! Webhook deliveries keep the `traceparent` of the request that caused
//! their event, so that each attempt continues that trace.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "webhook_deliveries", vec![string_len_null("traceparent", 64)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, "webhook_deliveries", &["traceparent"]).await
    }
}
