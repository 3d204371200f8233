//! Numbers of the work-order sequences (`CM-2026-000123`), handed out to
//! concurrent requests without making them queue on one row.
//!
//! A sequence is one row; taking a number locks it until the commit is on
//! disk. One statement per number made every work order in the service
//! wait its turn through one disk flush after another. Here the requests
//! that arrive while a number is being taken are answered together by the
//! next statement, which moves the row on by as many: `n` numbers for one
//! flush. Numbers are never duplicated (each statement's range is its own)
//! and never skipped by concurrency (each number of a range goes to one
//! waiting request); one is spent only when the work order it was taken
//! for then fails to be stored (see the README).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use tokio::sync::oneshot;

type Key = (String, i32);
type Waiter = oneshot::Sender<StoreResult<u32>>;
/// Per sequence, those waiting for a number. A sequence is here exactly
/// while a task is taking numbers for it.
type Waiting = Arc<Mutex<HashMap<Key, Vec<Waiter>>>>;

#[derive(Clone, Default)]
pub(crate) struct Numbering {
    sequences: Waiting,
}

impl std::fmt::Debug for Numbering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Numbering").finish_non_exhaustive()
    }
}

impl Numbering {
    /// The next number of `prefix`'s sequence for `year`.
    pub(crate) async fn next(&self, conn: &DatabaseConnection, prefix: &str, year: i32) -> StoreResult<u32> {
        let key = (prefix.to_string(), year);
        let (tx, rx) = oneshot::channel();
        let start = {
            let mut all = self.sequences.lock().unwrap_or_else(|p| p.into_inner());
            match all.get_mut(&key) {
                Some(queue) => {
                    queue.push(tx);
                    false
                }
                None => {
                    all.insert(key.clone(), vec![tx]);
                    true
                }
            }
        };
        if start {
            // A task of its own: a request that gives up (its client went
            // away) must not strand the others waiting on its statement.
            tokio::spawn(take(self.sequences.clone(), conn.clone(), key));
        }
        rx.await
            .map_err(|_| StoreError::Unavailable("the work-order numbering stopped".into()))?
    }
}

/// Answers whoever waits for `key`, a statement per group, until nobody does.
async fn take(sequences: Waiting, conn: DatabaseConnection, key: Key) {
    loop {
        let group = {
            let mut all = sequences.lock().unwrap_or_else(|p| p.into_inner());
            let Some(queue) = all.get_mut(&key) else { return };
            if queue.is_empty() {
                all.remove(&key);
                return;
            }
            std::mem::take(queue)
        };
        match advance(&conn, &key.0, key.1, group.len() as i64).await {
            Ok(last) => {
                let first = last - group.len() as i64 + 1;
                for (i, waiter) in group.into_iter().enumerate() {
                    let n = u32::try_from(first + i as i64)
                        .map_err(|_| StoreError::Other(format!("sequence {}-{} overflowed", key.0, key.1)));
                    let _ = waiter.send(n);
                }
            }
            Err(e) => {
                for waiter in group {
                    let _ = waiter.send(Err(crate::group_commit::same_error(&e)));
                }
            }
        }
    }
}

/// Moves the sequence on by `n` in one statement (its own transaction);
/// the last number taken.
async fn advance(conn: &DatabaseConnection, prefix: &str, year: i32, n: i64) -> StoreResult<i64> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO work_order_sequences (prefix, year, last) VALUES ($1, $2, $3) \
             ON CONFLICT (prefix, year) DO UPDATE SET last = work_order_sequences.last + EXCLUDED.last \
             RETURNING last"
        }
        _ => {
            "INSERT INTO work_order_sequences (prefix, year, last) VALUES (?, ?, ?) \
             ON CONFLICT (prefix, year) DO UPDATE SET last = work_order_sequences.last + excluded.last \
             RETURNING last"
        }
    };
    let values: Vec<Value> = vec![prefix.into(), year.into(), n.into()];
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(|e| StoreError::from(crate::errors::Error::from(e)))?
        .ok_or_else(|| StoreError::Other("the sequence answered nothing".into()))?;
    row.try_get::<i64>("", "last")
        .map_err(|e| StoreError::from(crate::errors::Error::from(e)))
}
