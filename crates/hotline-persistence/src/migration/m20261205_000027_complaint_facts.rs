//! The facts of complaints and compliments: one row per work order, the
//! facts as JSON, and the transformer station a voltage complaint names
//! (folded, indexed) for finding repeated complaints.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new("complaint_facts")
            .col(pk_uuid("work_order_id"))
            .col(string_len("kind", 32))
            .col(text("facts"))
            .col(string_len_null("transformer_key", 200))
            .col(string_len("recorded_by", 200))
            .versioned()
            .index("complaint_facts_transformer_idx", &["transformer_key"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["complaint_facts"]).await
    }
}
