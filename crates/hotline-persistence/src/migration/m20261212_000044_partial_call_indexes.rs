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

use super::indexes::remake_index;

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

/// Makes each index again as `pick` says.
async fn remake(m: &SchemaManager<'_>, pick: fn(&Remade) -> &'static str) -> Result<(), DbErr> {
    for index in &INDEXES {
        remake_index(m, index.0, &format!("ON calls {}", pick(index))).await?;
    }
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
