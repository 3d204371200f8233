//! Upkeep of the per-local-day call summary the call report reads for whole
//! past days: each tick marks the past days whose calls (or their
//! customers) changed since the last tick, recomputes them, and summarises
//! the days that have ended. A change to a past day's call is in the report
//! at once: until the next tick has recomputed its day, the report counts
//! that day from the calls.
//!
//! Safe with several replicas: every step holds the summary's state row
//! (`FOR UPDATE` on PostgreSQL), so replicas take turns, and a replica that
//! comes second finds nothing left to do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_domain::report::DaySummaryRun;
use tokio::sync::watch;

/// How often a replica brings the summary up to date: the longest a past
/// day with a changed call is counted from the calls instead of the summary.
pub const TICK: Duration = Duration::from_secs(30);

/// One tick at `now`. Errors are logged, never raised: the next tick tries
/// again (nothing is lost: a failed step leaves its days marked).
pub async fn summarise(app: &App, now: DateTime<Utc>) -> DaySummaryRun {
    match app.store.reports().summarise_call_days(now).await {
        Ok(run) => {
            if run.summarised > 0 {
                tracing::info!(
                    changed = run.changed,
                    summarised = run.summarised,
                    "call day summary updated"
                );
            }
            run
        }
        Err(e) => {
            tracing::warn!(error = %e, "call day summary: cannot update");
            DaySummaryRun::default()
        }
    }
}

/// Runs [`summarise`] every [`TICK`] (the first at once) until `stop` turns true.
pub fn spawn(app: App, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("call day summary", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            summarise(&app, now).await;
        }
    })
}
