//! Users and API keys may choose the language of their problems and CSV
//! exports (`en` or `vi`); none chosen: the request's `Accept-Language`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "users", vec![string_len_null("language", 8)]).await?;
        add_columns(m, "api_keys", vec![string_len_null("language", 8)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, "users", &["language"]).await?;
        drop_columns(m, "api_keys", &["language"]).await
    }
}
