//! A leaner call write, and indexes that stop growing with old calls:
//! - `calls_customer_idx` holds only the calls that have a customer. Every
//!   read of it asks for a customer's calls (`customer_code = ?`, or joined
//!   to the customers on it), which implies the index's `IS NOT NULL`; a
//!   call from a number with no customer wrote an entry no read could use.
//! - `calls_anonymised_idx` and `calls_notes_removed_idx` hold, by start,
//!   only the calls the retention sweeps have still to do (`… IS NULL`), as
//!   the sweeps ask for them. Calls already done leave them, where before
//!   each stayed with its instant.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An index: its name, and its definition before and after.
type Remade = (&'static str, &'static str, &'static str);

/// Each index remade.
const INDEXES: [Remade; 3] = [
    (
        "calls_customer_idx",
        "(customer_code, started_at)",
        "(customer_code, started_at) WHERE customer_code IS NOT NULL",
    ),
    (
        "calls_anonymised_idx",
        "(anonymised_at, started_at)",
        "(started_at) WHERE anonymised_at IS NULL",
    ),
    (
        "calls_notes_removed_idx",
        "(notes_removed_at, started_at)",
        "(started_at) WHERE notes_removed_at IS NULL",
    ),
];

/// Drops each index and makes it again as `pick` says, in one batch: on the
/// connection that dropped it, and under the same name.
async fn remake(m: &SchemaManager<'_>, pick: fn(&Remade) -> &'static str) -> Result<(), DbErr> {
    let sql: Vec<String> = INDEXES
        .iter()
        .map(|i| format!("DROP INDEX {name}; CREATE INDEX {name} ON calls {def}", name = i.0, def = pick(i)))
        .collect();
    m.get_connection().execute_unprepared(&sql.join("; ")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake(m, |i| i.2).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remake(m, |i| i.1).await
    }
}
