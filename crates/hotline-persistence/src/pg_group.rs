//! Group commit on PostgreSQL.
//!
//! PostgreSQL lets concurrent commits share a WAL flush, but each request
//! still costs the database a statement to parse, plan and execute, a
//! transaction and a commit record, and the server a round trip. New
//! records queued here share all of those: a writer task takes whatever
//! is queued (at most [`MAX_BATCH`]) and writes it as one statement, a
//! table's rows in one multi-row insert (see `Inserts::merged`), claims of
//! `Idempotency-Key`s included. Each request is answered only after that
//! statement has committed, so nobody hears "stored" before their rows
//! are.
//!
//! Nothing waits on a timer: [`IN_FLIGHT`] statements run at once, and a
//! batch is what queued while they ran. A lone request is written as soon
//! as it arrives, alone, as it would be without the queue.
//!
//! One statement stands or falls whole. When it fails (a key claimed by
//! another request, a row the database refuses, a lost connection), every
//! request of the batch is written again on its own, as without the
//! queue, and gets its own answer: the neighbours of a bad request are
//! stored, and a taken key answers with its holder.

use std::sync::Arc;

use hotline_domain::StoreError;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::{Created, StoreResult};
use sea_orm::DatabaseConnection;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::inserts::Inserts;
use crate::signal::EventSignal;
use crate::stores::idempotency::{self, write_claimed};

/// The most requests one statement takes: a work order with its history
/// and events binds about a hundred parameters, and a statement may bind
/// at most 65,535.
const MAX_BATCH: usize = 64;
/// Statements written at once; each holds a pooled connection while it
/// runs, and the pool serves reads too. At 64 connections on two cores,
/// eight gave 10–15% less than four, and two the same as four.
const IN_FLIGHT: usize = 4;
/// Requests waiting beyond this make writers wait to queue (back-pressure).
const QUEUE: usize = 1024;

struct Job {
    rows: Inserts,
    idem: Option<IdempotencyRecord>,
    reply: oneshot::Sender<StoreResult<Created<()>>>,
}

/// The queue to the PostgreSQL writer task.
#[derive(Clone)]
pub(crate) struct PgGroup {
    queue: mpsc::Sender<Job>,
}

impl std::fmt::Debug for PgGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgGroup")
            .field("queued", &(QUEUE - self.queue.capacity()))
            .finish()
    }
}

impl PgGroup {
    /// Starts the writer task on the current runtime. It ends once every
    /// handle is dropped and the queue is drained.
    pub(crate) fn start(conn: DatabaseConnection, signal: Arc<EventSignal>) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(writer(conn, jobs, signal));
        PgGroup { queue }
    }

    /// Writes `rows` with the claim of `idem`'s key in the next shared
    /// statement; see `idempotency::create_claimed`.
    pub(crate) async fn create(&self, rows: Inserts, idem: Option<&IdempotencyRecord>) -> StoreResult<Created<()>> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            rows,
            idem: idem.cloned(),
            reply,
        };
        self.queue.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the PostgreSQL writer has stopped".into())
}

async fn writer(conn: DatabaseConnection, mut jobs: mpsc::Receiver<Job>, signal: Arc<EventSignal>) {
    let turns = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        let Ok(turn) = turns.clone().acquire_owned().await else {
            return;
        };
        if jobs.recv_many(&mut batch, MAX_BATCH).await == 0 {
            return;
        }
        let (conn, batch, signal) = (conn.clone(), std::mem::take(&mut batch), signal.clone());
        // Should a batch panic, its callers are told the writer stopped
        // (their answers are dropped) and the next batch goes on.
        tokio::spawn(async move {
            write_batch(&conn, &signal, batch).await;
            drop(turn);
        });
    }
}

async fn write_batch(conn: &DatabaseConnection, signal: &EventSignal, batch: Vec<Job>) {
    // A request whose caller is gone (timed out, disconnected) is not
    // written, as its own statement would not have been sent.
    let batch: Vec<Job> = batch.into_iter().filter(|j| !j.reply.is_closed()).collect();
    if batch.len() > 1 {
        let mut claims = Inserts::new();
        claims.push(batch.iter().filter_map(|j| j.idem.as_ref()).map(idempotency::row));
        let all = Inserts::merged(batch.iter().map(|j| &j.rows).chain([&claims]));
        match all.write_once(conn).await {
            Ok(()) => {
                signal.written_here();
                for job in batch {
                    let _ = job.reply.send(Ok(Created::Stored(())));
                }
                return;
            }
            Err(e) => {
                tracing::debug!(error = %e, requests = batch.len(), "group commit: batch failed, writing each alone")
            }
        }
    }
    for job in batch {
        let out = write_claimed(conn, signal, job.rows, job.idem.as_ref()).await;
        let _ = job.reply.send(out);
    }
}
