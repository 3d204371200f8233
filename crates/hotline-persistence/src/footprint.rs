//! How many bytes each table and index takes on disk, for the benchmark
//! that measures what one logged call costs in storage.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use crate::Db;

/// One table (its rows, and on PostgreSQL its TOAST) or one index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationSize {
    pub name: String,
    /// The table an index belongs to; None for a table.
    pub table: Option<String>,
    pub bytes: u64,
}

const SQLITE: &str = "SELECT s.name AS name, \
     CASE WHEN m.type = 'index' THEN m.tbl_name END AS tbl, \
     SUM(s.pgsize) AS bytes \
     FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name \
     GROUP BY s.name, m.type, m.tbl_name";

/// A partition is counted as its partitioned table, and a partition's
/// index as the partitioned index it belongs to.
const POSTGRES: &str = "SELECT COALESCE(p.relname, c.relname)::text AS name, \
     COALESCE(tp.relname, t.relname)::text AS tbl, \
     SUM(CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_table_size(c.oid) END)::bigint AS bytes \
     FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_inherits h ON h.inhrelid = c.oid \
     LEFT JOIN pg_class p ON p.oid = h.inhparent \
     LEFT JOIN pg_index x ON x.indexrelid = c.oid \
     LEFT JOIN pg_class t ON t.oid = x.indrelid \
     LEFT JOIN pg_inherits ht ON ht.inhrelid = t.oid \
     LEFT JOIN pg_class tp ON tp.oid = ht.inhparent \
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') \
     GROUP BY 1, 2";

impl Db {
    /// Every table and index with its size. On PostgreSQL the tables are
    /// vacuumed first, so that the free-space and visibility maps are
    /// counted as a long-running database has them; on SQLite sizes are
    /// whole pages (`dbstat`).
    pub async fn relation_sizes(&self) -> Result<Vec<RelationSize>, DbErr> {
        let backend = self.conn.get_database_backend();
        let sql = match backend {
            DbBackend::Sqlite => SQLITE,
            DbBackend::Postgres => {
                self.conn.execute_unprepared("VACUUM").await?;
                POSTGRES
            }
            other => return Err(DbErr::Custom(format!("sizes are not read on {other:?}"))),
        };
        let rows = self.conn.query_all_raw(Statement::from_string(backend, sql)).await?;
        rows.iter()
            .map(|r| {
                Ok(RelationSize {
                    name: r.try_get("", "name")?,
                    table: r.try_get("", "tbl")?,
                    bytes: r.try_get::<i64>("", "bytes")?.max(0) as u64,
                })
            })
            .collect()
    }
}
