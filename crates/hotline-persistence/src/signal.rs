//! Tells readers of the event log that events were written: in-process by a
//! counter and a wake-up, and across replicas on PostgreSQL by
//! `NOTIFY hotline_events`, which one task per process sends after local
//! commits — at most every [`ANNOUNCE_EVERY`], never inside a writing
//! transaction. (PostgreSQL serialises the commits of notifying
//! transactions on one queue lock, so a `NOTIFY` in every write would make
//! concurrent requests commit one at a time.)

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::Db;

/// The channel every replica listens on.
pub(crate) const CHANNEL: &str = "hotline_events";

/// Writes within this long of an announcement share the next one: other
/// replicas hear of a burst of writes at most 50 times a second.
const ANNOUNCE_EVERY: Duration = Duration::from_millis(20);

#[derive(Debug, Default)]
pub(crate) struct EventSignal {
    generation: AtomicU64,
    wake: Notify,
    /// Holds a permit while local writes wait to be announced to other
    /// replicas (only read on PostgreSQL).
    unannounced: Notify,
}

impl EventSignal {
    /// Wakes this process's readers (events seen, here or from another
    /// replica).
    pub(crate) fn raise(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.wake.notify_waiters();
    }

    /// Events were committed by this process: wake its readers and have
    /// the other replicas told.
    pub(crate) fn written_here(&self) {
        self.raise();
        self.unannounced.notify_one();
    }

    /// Returns the generation once it differs from `seen`, or after `at_most`.
    pub(crate) async fn wait(&self, seen: u64, at_most: Duration) -> u64 {
        let woken = self.wake.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let now = self.generation.load(Ordering::Acquire);
        if now != seen {
            return now;
        }
        let _ = tokio::time::timeout(at_most, woken).await;
        self.generation.load(Ordering::Acquire)
    }
}

/// PostgreSQL: sends `NOTIFY` on its own (autocommit) statement after
/// local writes, one for all the writes of each [`ANNOUNCE_EVERY`]. Runs
/// until the runtime stops. A lost announcement only delays the other
/// replicas to their next poll.
pub(crate) fn spawn_announcer(pool: sqlx::PgPool, signal: Arc<EventSignal>) {
    tokio::spawn(async move {
        loop {
            signal.unannounced.notified().await;
            let notify = sqlx::query("SELECT pg_notify($1, '')").bind(CHANNEL);
            if let Err(e) = notify.execute(&pool).await {
                tracing::warn!(error = %e, "event announcer: NOTIFY failed");
            }
            tokio::time::sleep(ANNOUNCE_EVERY).await;
        }
    });
}

impl Db {
    /// Call after committing events: wakes this process's readers and, on
    /// PostgreSQL, has the other replicas told.
    pub(crate) fn events_written(&self) {
        self.signal.written_here();
    }

    /// On PostgreSQL, listens for other replicas' events and wakes this
    /// process's readers; reconnects after a lost connection. Nothing to do
    /// on SQLite, where every writer is in this process.
    pub fn spawn_event_listener(&self) -> Option<tokio::task::JoinHandle<()>> {
        if self.is_sqlite() {
            return None;
        }
        let pool = self.conn.get_postgres_connection_pool().clone();
        let signal: Arc<EventSignal> = self.signal.clone();
        Some(tokio::spawn(async move {
            loop {
                match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => {
                        if let Err(e) = listener.listen(CHANNEL).await {
                            tracing::warn!(error = %e, "event listener: cannot LISTEN");
                        } else {
                            // Anything written while we were away is read now.
                            signal.raise();
                            while listener.recv().await.is_ok() {
                                signal.raise();
                            }
                            tracing::warn!("event listener: connection lost, reconnecting");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "event listener: cannot connect"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }
}
