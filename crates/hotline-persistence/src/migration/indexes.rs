//! Indexes made or dropped apart from creating a table: each a table, a
//! name (so that it can be dropped later) and its columns.

use sea_orm_migration::prelude::*;

/// An index's table, name and columns.
pub type IndexDef = (&'static str, &'static str, &'static [&'static str]);

/// A plain index on `cols`, named so that it can be dropped later.
pub fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

pub async fn create_indexes(m: &SchemaManager<'_>, list: &[IndexDef]) -> Result<(), DbErr> {
    for (table, name, cols) in list {
        m.create_index(index(table, name, cols)).await?;
    }
    Ok(())
}

pub async fn drop_indexes(m: &SchemaManager<'_>, list: &[IndexDef]) -> Result<(), DbErr> {
    for (table, name, _) in list {
        drop_index(m, table, name).await?;
    }
    Ok(())
}

pub async fn drop_index(m: &SchemaManager<'_>, table: &'static str, name: &'static str) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name(name).table(table).to_owned()).await
}

/// Drops the index `name` and makes it again, under the same name, as
/// `definition` says (`ON table (…)`, with any `WHERE`): in one batch, so
/// on the connection that dropped it.
pub async fn remake_index(m: &SchemaManager<'_>, name: &str, definition: &str) -> Result<(), DbErr> {
    m.get_connection()
        .execute_unprepared(&format!("DROP INDEX {name}; CREATE INDEX {name} {definition}"))
        .await?;
    Ok(())
}
