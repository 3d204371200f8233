//! Columns added to or dropped from a table that is already there.

use sea_orm_migration::prelude::*;

/// Adds `columns` to `table`, one `ALTER TABLE` each (all SQLite takes).
pub async fn add_columns(m: &SchemaManager<'_>, table: &'static str, columns: Vec<ColumnDef>) -> Result<(), DbErr> {
    for mut column in columns {
        m.alter_table(Table::alter().table(table).add_column(&mut column).to_owned())
            .await?;
    }
    Ok(())
}

/// Drops `columns` from `table`, one `ALTER TABLE` each.
pub async fn drop_columns(m: &SchemaManager<'_>, table: &'static str, columns: &[&'static str]) -> Result<(), DbErr> {
    for column in columns {
        m.alter_table(Table::alter().table(table).drop_column(*column).to_owned())
            .await?;
    }
    Ok(())
}

/// Rows unpacked per statement by [`unpack_into`].
const UNPACK_BATCH: usize = 1_000;

/// Writes every compressed text of `table`'s column `packed` back into its
/// column `text` as text, row by row (keyed by `key`, of type `K`), and
/// empties `packed`: a way down that keeps every text before the
/// compressed column goes.
pub async fn unpack_into<K>(
    m: &SchemaManager<'_>,
    table: &'static str,
    key: &'static str,
    packed: &'static str,
    text: &'static str,
) -> Result<(), DbErr>
where
    K: sea_orm_migration::sea_orm::TryGetable + Into<sea_orm_migration::sea_orm::Value> + std::fmt::Debug + Clone,
{
    use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
    let db = m.get_connection();
    let backend = m.get_database_backend();
    loop {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT {key}, {packed} FROM {table} WHERE {packed} IS NOT NULL ORDER BY {key} LIMIT {UNPACK_BATCH}"
                ),
            ))
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        for r in rows {
            let k: K = r.try_get("", key)?;
            let bytes: Vec<u8> = r.try_get("", packed)?;
            let unpacked = crate::packed::unpack(&bytes).map_err(|e| DbErr::Custom(format!("{table} {k:?}: {e}")))?;
            let mut q = Query::update();
            q.table(table)
                .value(text, unpacked)
                .value(packed, Option::<Vec<u8>>::None)
                .and_where(Expr::col(key).eq(k));
            db.execute_raw(backend.build(&q)).await?;
        }
    }
}
