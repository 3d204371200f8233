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
