//! A leaner call write: only calls that count towards another call's
//! contact (a PBX's transferred or diverted legs) have a `contact_id`; a
//! call logged through the API has none. The index behind "the legs of
//! this contact" now holds only the calls that have one, so a call
//! without one writes no entry to it. Both backends use it for
//! `contact_id = ?`, which implies the index's `IS NOT NULL`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One batch, so that the index is made again under the same name on
        // the connection that dropped it.
        m.get_connection()
            .execute_unprepared(
                "DROP INDEX calls_contact_idx; \
                 CREATE INDEX calls_contact_idx ON calls (contact_id) WHERE contact_id IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX calls_contact_idx; CREATE INDEX calls_contact_idx ON calls (contact_id)")
            .await?;
        Ok(())
    }
}
