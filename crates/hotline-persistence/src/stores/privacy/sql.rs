//! Small SQL pieces the batches share across both backends.

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};

use crate::errors::DbResult;

/// Rows whose `column` (a column the entity does not map) is still NULL.
pub fn not_yet(column: &'static str) -> Expr {
    Expr::col(Alias::new(column)).is_null()
}

/// The `n`-th (from 1) bind placeholder.
pub fn ph(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".into(),
    }
}

/// On SQLite, takes the write lock before the batch reads, so that no
/// other writer commits between its read and its writes (the read would
/// be stale and the write refused). PostgreSQL locks the rows it reads.
pub async fn write_lock(txn: &DatabaseTransaction) -> DbResult<()> {
    if txn.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE calls SET version = version WHERE 1 = 0")
            .await?;
    }
    Ok(())
}

/// Runs `sql` with `values`; answers the rows it changed.
pub async fn exec(conn: &impl ConnectionTrait, sql: String, values: Vec<Value>) -> DbResult<u64> {
    let backend = conn.get_database_backend();
    Ok(conn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .rows_affected())
}
