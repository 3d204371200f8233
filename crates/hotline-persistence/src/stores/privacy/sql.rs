//! Small SQL pieces the batches share across both backends.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Statement, TransactionTrait, Value,
};

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

/// Opens one batch: a transaction holding the write lock (SQLite), and the
/// oldest `limit` rows of `q` whose `marker` column is still NULL and whose
/// `at` is before `before`, oldest first; on PostgreSQL taken
/// `FOR UPDATE SKIP LOCKED`, so two replicas take different rows.
pub async fn oldest<E: EntityTrait>(
    conn: &DatabaseConnection,
    q: Select<E>,
    marker: &'static str,
    at: E::Column,
    before: DateTime<Utc>,
    limit: u64,
) -> DbResult<(DatabaseTransaction, Vec<E::Model>)> {
    let txn = conn.begin().await?;
    write_lock(&txn).await?;
    let mut q = q
        .filter(not_yet(marker))
        .filter(at.lt(before))
        .order_by_asc(at)
        .limit(limit);
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(&txn).await?;
    Ok((txn, rows))
}
