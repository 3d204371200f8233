//! At most one open callback for unanswered calls (abandoned or missed) per
//! number and local day: two such calls from one number at the same moment
//! could each find none open and both open one. The second insert now
//! fails on this index and is merged into the first.
//!
//! Duplicates stored before this index are closed first: of each number's
//! open ones that day, the first opened stays open and the later ones are
//! cancelled (their calls remain on the calls' own records).

use sea_orm_migration::prelude::*;

use super::indexes::drop_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const AUTOMATIC: &str = "status = 'open' AND reason IN ('abandoned', 'missed')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE callbacks SET status = 'cancelled', closed_at = updated_at \
             WHERE {AUTOMATIC} AND EXISTS (SELECT 1 FROM callbacks o \
               WHERE o.number = callbacks.number AND o.day = callbacks.day \
               AND o.status = 'open' AND o.reason IN ('abandoned', 'missed') \
               AND (o.created_at < callbacks.created_at \
                    OR (o.created_at = callbacks.created_at AND o.id < callbacks.id)))"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX callbacks_open_unanswered_idx ON callbacks (number, day) WHERE {AUTOMATIC}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "callbacks", "callbacks_open_unanswered_idx").await
    }
}
