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
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Events unpacked per statement on the way down.
const BATCH: usize = 1_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "events", vec![ColumnDef::new("packed").binary().null().to_owned()]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        loop {
            let rows = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT seq, packed FROM events WHERE packed IS NOT NULL ORDER BY seq LIMIT {BATCH}"),
                ))
                .await?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let seq: i64 = r.try_get("", "seq")?;
                let packed: Vec<u8> = r.try_get("", "packed")?;
                let text = crate::packed::unpack(&packed).map_err(|e| DbErr::Custom(format!("event {seq}: {e}")))?;
                let mut q = Query::update();
                q.table("events")
                    .value("payload", text)
                    .value("packed", Option::<Vec<u8>>::None)
                    .and_where(Expr::col("seq").eq(seq));
                db.execute_raw(backend.build(&q)).await?;
            }
        }
        drop_columns(m, "events", &["packed"]).await
    }
}
