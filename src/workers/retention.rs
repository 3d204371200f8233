//! The event log keeps events for `HOTLINE_EVENT_RETENTION_HOURS` (the
//! window in which a live-stream client can resume with `Last-Event-ID`);
//! older ones are deleted once an hour (on PostgreSQL, a month wholly
//! past goes as one partition, the rest row by row). Safe with several
//! replicas: a delete of rows already gone deletes nothing.
//!
//! The same tick makes the monthly partitions of the months to come on
//! PostgreSQL (see `hotline_persistence::partitions`), and runs the
//! personal-data pass
//! ([`hotline_app::privacy::retention::run`]): idempotency records, webhook
//! delivery bodies, dead refresh tokens, stale sign-in failures and old
//! audit entries pruned, old calls, notes and callbacks anonymised, each in
//! batches of short transactions (on PostgreSQL `SKIP LOCKED`, so replicas
//! share the work instead of waiting on each other).

use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use tokio::sync::watch;

/// How often a replica prunes the log.
pub const TICK: Duration = Duration::from_secs(3600);

/// One tick: deletes events older than `keep` before `now`; answers how many.
pub async fn prune(app: &App, now: DateTime<Utc>, keep: chrono::Duration) -> u64 {
    match app.store.outbox().prune(now - keep).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(deleted = n, "event log pruned");
            }
            n
        }
        Err(e) => {
            tracing::warn!(error = %e, "retention: cannot prune the event log");
            0
        }
    }
}

/// Partitions for the months to come; answers how many were made.
pub async fn partitions(app: &App, now: DateTime<Utc>) -> u32 {
    match app.store.partitions().keep_partitions(now).await {
        Ok(made) => {
            if made > 0 {
                tracing::info!(made, "monthly partitions made");
            }
            made
        }
        Err(e) => {
            tracing::warn!(error = %e, "retention: cannot make the partitions of the months to come");
            0
        }
    }
}

/// One personal-data pass; what it did is logged and counted in `/metrics`.
pub async fn personal_data(app: &App) {
    match hotline_app::privacy::retention::run(app).await {
        Ok(pass) => {
            let pruned: u64 = pass.pruned.iter().map(|(_, n)| n).sum();
            let anonymised: u64 = pass.anonymised.iter().map(|(_, n)| n).sum();
            if pruned + anonymised > 0 {
                tracing::info!(pruned, anonymised, "personal data past retention handled");
            }
        }
        Err(e) => tracing::warn!(error = %e, "retention: the personal-data pass failed"),
    }
}

/// Runs [`partitions`], [`prune`] and [`personal_data`] every [`TICK`] until `stop` turns true.
pub fn spawn(app: App, keep: chrono::Duration, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("event retention", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            partitions(&app, now).await;
            prune(&app, now, keep).await;
            personal_data(&app).await;
        }
    })
}
