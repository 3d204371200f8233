//! A call's note is kept compressed: `calls.notes_packed` holds it as zstd
//! against a dictionary of the words and phrases agents write (see
//! `crate::packed`), about 60 % of the text's bytes. New and updated calls
//! write it and leave `notes` empty, unless the note is too short to gain
//! (a few words stay text); calls written before keep their text and read
//! as before. The search reads its own folded copy, as before. Adding a
//! column that may be null rewrites nothing, on either database.
//!
//! The way down writes each note back as text before the column goes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

use super::columns::{add_columns, drop_columns, unpack_into};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "calls", vec![ColumnDef::new("notes_packed").binary().null().to_owned()]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        unpack_into::<Uuid>(m, "calls", "id", "notes_packed", "notes").await?;
        drop_columns(m, "calls", &["notes_packed"]).await
    }
}
