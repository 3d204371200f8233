//! Articles of approved answers and every version of each (a version is
//! never overwritten by an edit: an edit is the next version). The folded
//! search text is stored with each version so that a diacritic-free search
//! is a LIKE on one column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("articles")
            .col(string_len_null("unit_code", 32))
            .col(integer("latest"))
            .col(string_len("created_by", 200))
            .versioned()
            .index("articles_unit_idx", &["unit_code"])
            .create(m)
            .await?;
        NewTable::new("article_versions")
            .col(uuid("article_id"))
            .col(integer("number"))
            .col(string_len("title", 800))
            .col(text("body"))
            .col(string_len("category", 32))
            .col(text("keywords"))
            .col(text("search_text"))
            .col(timestamp_with_time_zone("effective_from"))
            .col(timestamp_with_time_zone_null("effective_to"))
            .col(string_len("status", 16))
            .col(string_len("author", 200))
            .col(string_len_null("approved_by", 200))
            .col(timestamp_with_time_zone_null("approved_at"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .primary_key(&["article_id", "number"])
            .index("article_versions_status_idx", &["status", "effective_from"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["article_versions", "articles"]).await
    }
}
