//! Calls refused because the caller's number is blocked are marked as such
//! (and counted apart in the per-day call summary), and a call keeps the
//! hang-up cause its PBX sent, whatever it was. Nothing stored before this
//! was marked blocked, so the summary's new count starts exact at zero.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            "calls",
            vec![
                boolean("blocked").default(false).to_owned(),
                string_len_null("hangup_cause", 100),
            ],
        )
        .await?;
        add_columns(m, "call_day_stats", vec![big_integer("blocked").default(0).to_owned()]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, "call_day_stats", &["blocked"]).await?;
        drop_columns(m, "calls", &["hangup_cause", "blocked"]).await
    }
}
