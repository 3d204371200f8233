//! Reads of personal data, written off the request path: the screen-pop
//! must not wait for a commit. Reads are queued (bounded) and one task
//! writes whatever queued up in one multi-row insert. A full queue makes
//! readers wait to queue (back-pressure, never a dropped read); what is
//! queued when the process dies is lost (at most the reads of the last
//! moment, as the task writes as soon as it has something).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hotline_domain::StoreError;
use hotline_domain::personal_read::{PersonalRead, ReadLogState};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use tokio::sync::{mpsc, oneshot};

use crate::entities::personal_read::{ActiveModel, Entity};

/// Reads waiting beyond this make readers wait to queue.
const QUEUE: usize = 4096;
/// Rows in one insert, at most.
const MAX_BATCH: usize = 500;
/// Tries of one batch before it is given up (and logged).
const TRIES: u32 = 3;

enum Msg {
    Reads(Vec<PersonalRead>),
    Flush(oneshot::Sender<()>),
}

/// The queue to the writer task.
#[derive(Clone)]
pub(crate) struct ReadLog {
    queue: mpsc::Sender<Msg>,
    counts: Arc<Counts>,
}

/// Reads taken, written and lost by this process.
#[derive(Default)]
struct Counts {
    taken: AtomicU64,
    written: AtomicU64,
    lost: AtomicU64,
}

impl std::fmt::Debug for ReadLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadLog")
            .field("queued", &(QUEUE - self.queue.capacity()))
            .finish()
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the read log's writer has stopped".into())
}

impl ReadLog {
    /// Starts the writer task on the current runtime; it ends once every
    /// handle is dropped and the queue is drained.
    pub(crate) fn start(conn: DatabaseConnection) -> Self {
        let (queue, rx) = mpsc::channel(QUEUE);
        let counts = Arc::new(Counts::default());
        tokio::spawn(writer(conn, rx, counts.clone()));
        ReadLog { queue, counts }
    }

    pub(crate) fn state(&self) -> ReadLogState {
        let c = &self.counts;
        let (written, lost) = (c.written.load(Ordering::Relaxed), c.lost.load(Ordering::Relaxed));
        ReadLogState {
            queued: c.taken.load(Ordering::Relaxed).saturating_sub(written + lost),
            written,
            lost,
        }
    }

    pub(crate) async fn record(&self, reads: Vec<PersonalRead>) -> Result<(), StoreError> {
        if reads.is_empty() {
            return Ok(());
        }
        let n = reads.len() as u64;
        let taken = match self.queue.try_send(Msg::Reads(reads)) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(m)) => self.queue.send(m).await.map_err(|_| stopped()),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(stopped()),
        };
        if taken.is_ok() {
            self.counts.taken.fetch_add(n, Ordering::Relaxed);
        }
        taken
    }

    pub(crate) async fn flush(&self) -> Result<(), StoreError> {
        let (tx, rx) = oneshot::channel();
        self.queue.send(Msg::Flush(tx)).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())
    }
}

async fn writer(conn: DatabaseConnection, mut rx: mpsc::Receiver<Msg>, counts: Arc<Counts>) {
    let mut msgs = Vec::new();
    while rx.recv_many(&mut msgs, MAX_BATCH).await > 0 {
        let mut rows = Vec::new();
        let mut waiting = Vec::new();
        for m in msgs.drain(..) {
            match m {
                Msg::Reads(r) => rows.extend(r),
                Msg::Flush(done) => waiting.push(done),
            }
        }
        for chunk in rows.chunks(MAX_BATCH) {
            let count = if write(&conn, chunk).await {
                &counts.written
            } else {
                &counts.lost
            };
            count.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Whether the reads were written.
async fn write(conn: &DatabaseConnection, reads: &[PersonalRead]) -> bool {
    for attempt in 1..=TRIES {
        let rows = reads.iter().map(|r| ActiveModel {
            id: Set(r.id),
            at: Set(r.at),
            actor: Set(r.actor.clone()),
            actor_unit: Set(r.actor_unit.clone()),
            endpoint: Set(r.endpoint.clone()),
            customer_code: Set(r.customer_code.clone()),
            customer_unit: Set(r.customer_unit.clone()),
            number: Set(r.number.clone()),
            request_id: Set(r.request_id.clone()),
        });
        match Entity::insert_many(rows).exec_without_returning(conn).await {
            Ok(_) => return true,
            Err(e) if attempt < TRIES => {
                tracing::warn!(error = %e, attempt, "read log: writing failed, trying again");
                tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
            }
            Err(e) => tracing::error!(error = %e, lost = reads.len(), "read log: reads could not be written"),
        }
    }
    false
}
