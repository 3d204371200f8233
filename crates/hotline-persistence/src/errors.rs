//! Maps database errors onto the domain's storage errors.

use hotline_domain::StoreError;
use sea_orm::{DbErr, SqlErr};

pub(crate) fn store_err(e: DbErr) -> StoreError {
    if let Some(SqlErr::UniqueConstraintViolation(what)) = e.sql_err() {
        return StoreError::Duplicate(what);
    }
    match &e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StoreError::Unavailable(e.to_string()),
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(inner)) | DbErr::Query(sea_orm::RuntimeErr::SqlxError(inner))
            if is_connection_error(inner) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}

fn is_connection_error(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => true,
        Error::Database(db) => {
            // SQLite "database is locked" / PostgreSQL admin shutdown and
            // connection failures: transient, worth a retry.
            let code = db.code().unwrap_or_default();
            matches!(
                code.as_ref(),
                "5" | "6" | "57P01" | "57P02" | "57P03" | "08000" | "08003" | "08006"
            )
        }
        _ => false,
    }
}

/// Deadlocks and serialization failures (PostgreSQL) and a busy database
/// (SQLite): the transaction did nothing and may simply be run again.
pub(crate) fn is_retryable(e: &DbErr) -> bool {
    let (DbErr::Exec(sea_orm::RuntimeErr::SqlxError(inner)) | DbErr::Query(sea_orm::RuntimeErr::SqlxError(inner))) = e
    else {
        return false;
    };
    match inner.as_ref() {
        sea_orm::sqlx::Error::Database(db) => {
            matches!(db.code().unwrap_or_default().as_ref(), "40P01" | "40001" | "5" | "517")
        }
        _ => false,
    }
}
