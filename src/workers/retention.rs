//! The event log keeps events for `HOTLINE_EVENT_RETENTION_HOURS` (the
//! window in which a live-stream client can resume with `Last-Event-ID`);
//! older ones are deleted once an hour. Safe with several replicas: a
//! delete of rows already gone deletes nothing.

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

/// Runs [`prune`] every [`TICK`] until `stop` turns true.
pub fn spawn(app: App, keep: chrono::Duration, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("event retention", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            prune(&app, now, keep).await;
        }
    })
}
