//! This crate's error: a database error or a domain storage error, so that
//! store code uses `?` on both; the stores hand out [`StoreError`]s.

use std::future::Future;

use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use sea_orm::{DbErr, SqlErr};

/// What store code fails with before it answers the domain.
#[derive(Debug)]
pub(crate) enum Error {
    Db(DbErr),
    Store(StoreError),
}

/// The result of store code inside this crate.
pub(crate) type DbResult<T> = Result<T, Error>;

impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        Error::Db(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e)
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => store_err(e),
            Error::Store(e) => e,
        }
    }
}

impl Error {
    /// Deadlocks, serialization failures and a busy database: see
    /// [`is_retryable`].
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(self, Error::Db(e) if is_retryable(e))
    }

    /// The constraint or column a uniqueness violation names.
    pub(crate) fn duplicate(&self) -> Option<String> {
        match self {
            Error::Db(e) => match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(what)) => Some(what),
                _ => None,
            },
            Error::Store(StoreError::Duplicate(what)) => Some(what.clone()),
            Error::Store(_) => None,
        }
    }
}

/// Runs store code and answers the domain: the body of a port's method.
pub(crate) async fn lift<T>(work: impl Future<Output = DbResult<T>>) -> StoreResult<T> {
    Ok(work.await?)
}

fn store_err(e: DbErr) -> StoreError {
    if let Some(SqlErr::UniqueConstraintViolation(what)) = e.sql_err() {
        return StoreError::Duplicate(what);
    }
    // A deadlock or a serialization failure undid the whole transaction:
    // the client may send the request again, as after a lost connection.
    if is_retryable(&e) {
        return StoreError::Unavailable(e.to_string());
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
fn is_retryable(e: &DbErr) -> bool {
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
