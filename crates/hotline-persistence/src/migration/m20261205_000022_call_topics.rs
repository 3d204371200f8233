//! The topics of a call, in order: what was asked and how it was handled
//! (with the article version read to the caller or the work order opened).
//! Calls stored before this have none; their `category` still says what
//! they were about.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("call_topics")
            .col(uuid("call_id"))
            .col(integer("position"))
            .col(string_len("category", 32))
            .col(text_null("asked"))
            .col(string_len_null("handling", 32))
            .col(uuid_null("article_id"))
            .col(integer_null("article_version"))
            .col(string_len_null("work_order_code", 64))
            .col(text_null("note"))
            .primary_key(&["call_id", "position"])
            .index("call_topics_article_idx", &["article_id", "article_version"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["call_topics"]).await
    }
}
