//! Calls refused because the caller's number is blocked are marked as such
//! (and counted apart in the per-day call summary), and a call keeps the
//! hang-up cause its PBX sent, whatever it was. Nothing stored before this
//! was marked blocked, so the summary's new count starts exact at zero.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table("calls")
                .add_column(boolean("blocked").default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("calls")
                .add_column(string_len_null("hangup_cause", 100))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("call_day_stats")
                .add_column(big_integer("blocked").default(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("call_day_stats").drop_column("blocked").to_owned())
            .await?;
        for col in ["hangup_cause", "blocked"] {
            m.alter_table(Table::alter().table("calls").drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
