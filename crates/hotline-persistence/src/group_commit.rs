//! Group commit on SQLite.
//!
//! SQLite commits one transaction at a time, each with its own fsync, so one
//! request per transaction caps writes at the disk's sync rate. Work queued
//! here shares a transaction instead: one writer task takes whatever is
//! queued (at most [`MAX_BATCH`]), runs each piece in a savepoint of its own,
//! commits once and only then answers. Nobody hears "stored" before the
//! commit that holds their rows is on disk, and nothing waits on a timer: a
//! batch is simply what queued up while the previous commit was syncing.
//!
//! A piece of work that fails is rolled back to its savepoint and answered
//! with its own error; its neighbours go on. If the commit fails, every
//! piece that succeeded gets that error: none of them was acknowledged.
//!
//! PostgreSQL does not use this: it already lets concurrent commits share a
//! WAL flush.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::errors::{DbResult, Error};
use crate::signal::EventSignal;

/// The most pieces of work one transaction takes. Enough to absorb a
/// burst at the pool's concurrency; small enough that a batch's
/// statements take a fraction of the fsync they share.
const MAX_BATCH: usize = 128;
/// Work waiting beyond this makes writers wait to queue (back-pressure).
const QUEUE: usize = 1024;

/// What a piece of work returns, until it is handed back to its caller.
type Output = Box<dyn Any + Send>;
/// The writes of one request, run inside the batch's transaction.
pub(crate) type Work<'t, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 't>>;
type ErasedWork = Box<dyn for<'t> FnOnce(&'t DatabaseTransaction) -> Work<'t, Output> + Send>;

struct Job {
    work: ErasedWork,
    reply: oneshot::Sender<StoreResult<Output>>,
}

/// The queue to the SQLite writer task.
#[derive(Clone)]
pub(crate) struct GroupCommitter {
    queue: mpsc::Sender<Job>,
}

impl std::fmt::Debug for GroupCommitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommitter")
            .field("queued", &(QUEUE - self.queue.capacity()))
            .finish()
    }
}

impl GroupCommitter {
    /// Starts the writer task on the current runtime. It ends once every
    /// handle is dropped and the queue is drained. `signal` is raised after
    /// each commit, for readers of the event log.
    pub(crate) fn start(conn: DatabaseConnection, signal: Arc<EventSignal>) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(writer(conn, jobs, signal));
        GroupCommitter { queue }
    }

    /// Runs `work` in the next shared transaction and returns its result
    /// once that transaction is committed.
    pub(crate) async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t DatabaseTransaction) -> Work<'t, T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        // The work runs on the writer's task: it keeps the caller's trace,
        // which the events it writes name.
        let trace = hotline_trace::current();
        let work: ErasedWork = Box::new(move |txn| {
            Box::pin(async move {
                let out = hotline_trace::scope(trace, work(txn)).await?;
                Ok(Box::new(out) as Output)
            })
        });
        self.queue.send(Job { work, reply }).await.map_err(|_| stopped())?;
        let out = answer.await.map_err(|_| stopped())??;
        out.downcast::<T>()
            .map(|b| *b)
            .map_err(|_| StoreError::Other("group commit: answer of another type".into()))
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the SQLite writer has stopped".into())
}

/// One error told to many callers.
pub(crate) fn same_error(e: &StoreError) -> StoreError {
    match e {
        StoreError::Unavailable(m) => StoreError::Unavailable(m.clone()),
        StoreError::Duplicate(m) => StoreError::Duplicate(m.clone()),
        StoreError::Other(m) => StoreError::Other(m.clone()),
    }
}

async fn writer(conn: DatabaseConnection, mut jobs: mpsc::Receiver<Job>, signal: Arc<EventSignal>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A task per batch: should a piece of work panic, its batch is rolled
        // back and its callers are told the database is unavailable, and the
        // writer goes on with the next batch.
        let (conn, batch, signal) = (conn.clone(), std::mem::take(&mut batch), signal.clone());
        if let Err(e) = tokio::spawn(async move { commit_batch(&conn, batch, &signal).await }).await {
            tracing::error!(error = %e, "group commit: a batch panicked and was rolled back");
        }
    }
}

/// A transaction that will write after reading. On SQLite it takes the
/// write lock at `BEGIN` (IMMEDIATE), waiting its turn under the busy
/// timeout; a deferred one that reads first fails at its first write with
/// SQLITE_BUSY_SNAPSHOT whenever another writer committed in between.
/// Plain `BEGIN` on PostgreSQL.
pub(crate) async fn begin_writing(conn: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    conn.begin_with_options(options).await
}

/// Runs one batch in one transaction and answers every job in it.
async fn commit_batch(conn: &DatabaseConnection, batch: Vec<Job>, signal: &EventSignal) {
    // The write lock is taken once, up front, for the whole batch.
    let txn = match begin_writing(conn).await {
        Ok(txn) => txn,
        Err(e) => return fail_all(batch.into_iter().map(|j| j.reply), &Error::from(e).into()),
    };
    let mut done: Vec<(oneshot::Sender<StoreResult<Output>>, Output)> = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    while let Some(job) = jobs.next() {
        // A job whose caller is gone (timed out, disconnected) is not run,
        // as its own transaction would have been rolled back.
        if job.reply.is_closed() {
            continue;
        }
        if let Err(e) = savepoint(&txn, "SAVEPOINT request").await {
            return abort(txn, done, jobs, &e.into()).await;
        }
        match (job.work)(&txn).await {
            Ok(out) => {
                if let Err(e) = savepoint(&txn, "RELEASE request").await {
                    let e = StoreError::from(e);
                    let _ = job.reply.send(Err(same_error(&e)));
                    return abort(txn, done, jobs, &e).await;
                }
                done.push((job.reply, out));
            }
            Err(failure) => {
                let _ = job.reply.send(Err(failure));
                // Fails only if SQLite already rolled the whole transaction
                // back (I/O error, disk full): then nothing of the batch holds.
                let undone = match savepoint(&txn, "ROLLBACK TO request").await {
                    Ok(()) => savepoint(&txn, "RELEASE request").await,
                    Err(e) => Err(e),
                };
                if let Err(e) = undone {
                    return abort(txn, done, jobs, &e.into()).await;
                }
            }
        }
    }
    match txn.commit().await {
        Ok(()) => {
            signal.raise();
            for (reply, out) in done {
                let _ = reply.send(Ok(out));
            }
        }
        Err(e) => fail_all(done.into_iter().map(|(reply, _)| reply), &Error::from(e).into()),
    }
}

async fn savepoint(txn: &DatabaseTransaction, sql: &str) -> DbResult<()> {
    Ok(txn.execute_unprepared(sql).await.map(|_| ())?)
}

/// The transaction is unusable: roll it back and tell everyone in the batch.
async fn abort(
    txn: DatabaseTransaction,
    done: Vec<(oneshot::Sender<StoreResult<Output>>, Output)>,
    rest: impl Iterator<Item = Job>,
    e: &StoreError,
) {
    tracing::error!(error = %e, "group commit: batch rolled back");
    let _ = txn.rollback().await;
    fail_all(done.into_iter().map(|(reply, _)| reply), e);
    fail_all(rest.map(|j| j.reply), e);
}

fn fail_all(replies: impl Iterator<Item = oneshot::Sender<StoreResult<Output>>>, e: &StoreError) {
    for reply in replies {
        let _ = reply.send(Err(same_error(e)));
    }
}
