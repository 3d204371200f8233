//! The audit index that finds a record's entries holds the kind of record
//! and its id alone. It held the instant and the entry's id too, so that
//! one record's entries came in order from it; a record has a handful of
//! entries, which are put in order once found. The list of all the
//! entries of a kind, newest first, still starts from the kind. 91 bytes
//! an entry on SQLite come to about 30, 68 on PostgreSQL to about 40.

use sea_orm_migration::prelude::*;

use super::indexes::remake_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake_index(m, "audit_entity_idx", "ON audit_log (entity, entity_id)").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake_index(m, "audit_entity_idx", "ON audit_log (entity, entity_id, at, id)").await
    }
}
