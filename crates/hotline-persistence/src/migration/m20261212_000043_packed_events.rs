//! Events keep their data compressed: `events.packed` holds the payload's
//! JSON as zstd against a dictionary of the payloads' shapes (see
//! `crate::packed`), about 170 bytes where the text was 630. New events
//! write it and leave `payload` empty; events written before keep their
//! text and read as before until the log's retention drops them. Adding a
//! column that may be null rewrites nothing, on either database, however
//! long the log.
//!
//! The way down writes the text back into `payload` before the column
//! goes, so no event loses its data.

use sea_orm_migration::prelude::*;

use super::columns::{add_columns, drop_columns, unpack_into};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "events", vec![ColumnDef::new("packed").binary().null().to_owned()]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        unpack_into::<i64>(m, "events", "seq", "packed", "payload").await?;
        drop_columns(m, "events", &["packed"]).await
    }
}
