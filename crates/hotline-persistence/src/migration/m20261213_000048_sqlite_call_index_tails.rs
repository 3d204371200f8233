//! On SQLite, the calls' list indexes no longer end in the call's id. A
//! list is ordered by start and then id (so that a page boundary between
//! two calls of the same instant is exact); SQLite keeps that order from
//! an index on the start alone, sorting only the calls of one instant
//! ("temp b-tree for right part of ORDER BY"), and every entry already
//! carries the row's own number. The id was 17 bytes of each entry of six
//! indexes: about 100 bytes a call.
//!
//! PostgreSQL keeps its indexes as they are. There a page's cursor, the
//! row comparison `(started_at, id) < (…, …)`, bounds the index scan only
//! when the index holds both columns: tried at ten million calls, without
//! the id it became a filter, so a page deep in a month would read the
//! month from its end. SQLite bounds the scan by the start either way.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use super::indexes::remake_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each index: its name and the columns before the start.
const INDEXES: [(&str, &str); 6] = [
    ("calls_started_idx", ""),
    ("calls_caller_idx", "caller_number, "),
    ("calls_category_idx", "category, "),
    ("calls_outcome_idx", "outcome, "),
    ("calls_agent_idx", "agent, "),
    ("calls_queue_idx", "queue, "),
];

/// Makes each index again, ending in `tail` after the start.
async fn remake(m: &SchemaManager<'_>, tail: &str) -> Result<(), DbErr> {
    if m.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    for (name, head) in INDEXES {
        remake_index(m, name, &format!("ON calls ({head}started_at{tail})")).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake(m, "").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake(m, ", id").await
    }
}
