//! Tells readers of the event log that events were written: in-process by a
//! counter and a wake-up, and across replicas on PostgreSQL by
//! `NOTIFY hotline_events`, which the writing transaction sends on commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend};
use tokio::sync::Notify;

use crate::Db;
use crate::errors::store_err;
use hotline_domain::ports::StoreResult;

/// The channel every replica listens on.
pub(crate) const CHANNEL: &str = "hotline_events";

#[derive(Debug, Default)]
pub(crate) struct EventSignal {
    generation: AtomicU64,
    wake: Notify,
}

impl EventSignal {
    pub(crate) fn raise(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.wake.notify_waiters();
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

/// Inside a writing transaction: on PostgreSQL, asks the database to tell
/// every listening replica when the transaction commits.
pub(crate) async fn notify_on_commit(txn: &impl ConnectionTrait) -> StoreResult<()> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("NOTIFY {CHANNEL}"))
            .await
            .map_err(store_err)?;
    }
    Ok(())
}

impl Db {
    /// Wakes this process's readers: call after committing events.
    pub(crate) fn events_written(&self) {
        self.signal.raise();
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
