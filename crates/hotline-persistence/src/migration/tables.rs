//! The shapes the migrations repeat: a table created with its indexes, the
//! columns every changeable record ends with, and tables dropped in order.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::indexes::index;

/// A table about to be created, and the indexes made on it right after.
pub struct NewTable {
    name: &'static str,
    create: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

impl NewTable {
    /// A table whose key the caller gives (a column's `primary_key`, or
    /// [`NewTable::primary_key`]).
    pub fn new(name: &'static str) -> NewTable {
        NewTable {
            name,
            create: Table::create().table(name).to_owned(),
            indexes: Vec::new(),
        }
    }

    /// A table of records identified by a UUID `id`.
    pub fn keyed(name: &'static str) -> NewTable {
        NewTable::new(name).col(pk_uuid("id"))
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn col(mut self, column: impl IntoColumnDef) -> NewTable {
        self.create.col(column);
        self
    }

    /// Columns of one type in a row, in the order named.
    pub fn cols(self, column: fn(&'static str) -> ColumnDef, names: &[&'static str]) -> NewTable {
        names.iter().fold(self, |table, name| table.col(column(name)))
    }

    /// The columns a record that changes ends with: when it was created and
    /// last changed, and its version (what its ETag says).
    pub fn versioned(self) -> NewTable {
        self.col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .col(big_integer("version"))
    }

    /// A primary key over several columns.
    pub fn primary_key(mut self, cols: &[&'static str]) -> NewTable {
        let mut key = Index::create();
        for c in cols {
            key.col(*c);
        }
        self.create.primary_key(&mut key);
        self
    }

    pub fn foreign_key(mut self, key: &mut ForeignKeyCreateStatement) -> NewTable {
        self.create.foreign_key(key);
        self
    }

    /// A plain index on `cols`, made once the table is.
    pub fn index(self, name: &'static str, cols: &[&'static str]) -> NewTable {
        self.indexes(&[(name, cols)])
    }

    /// Plain indexes, each a name and its columns.
    pub fn indexes(mut self, list: &[(&'static str, &[&'static str])]) -> NewTable {
        for (name, cols) in list {
            self.indexes.push(index(self.name, name, cols));
        }
        self
    }

    /// A unique index on `cols`.
    pub fn unique_index(mut self, name: &'static str, cols: &[&'static str]) -> NewTable {
        self.indexes.push(index(self.name, name, cols).unique().to_owned());
        self
    }

    /// Creates the table, then its indexes in the order they were given.
    pub async fn create(self, m: &SchemaManager<'_>) -> Result<(), DbErr> {
        m.create_table(self.create).await?;
        for i in self.indexes {
            m.create_index(i).await?;
        }
        Ok(())
    }
}

/// Drops `tables`, in the order given (those that others point at last).
pub async fn drop_tables(m: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for t in tables {
        m.drop_table(Table::drop().table(*t).to_owned()).await?;
    }
    Ok(())
}
