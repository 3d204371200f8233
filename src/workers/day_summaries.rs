//! Upkeep of the per-local-day summaries the call and work-order reports
//! read for whole past days, and of the calls' per-local-hour one for the
//! last days: each tick marks the past days (and hours) whose calls (or
//! their customers), work orders or feedback changed since the last tick,
//! recomputes them, and summarises the days (and hours) that have ended. A change to a
//! past day is in the report at once: until the next tick has recomputed
//! the day, the report counts it from the rows.
//!
//! Safe with several replicas: every step holds the summary's state row
//! (`FOR UPDATE` on PostgreSQL), so replicas take turns, and a replica that
//! comes second finds nothing left to do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_domain::report::DaySummaryRun;
use tokio::sync::watch;

/// How often a replica brings the summaries up to date: the longest a past
/// day with a changed row is counted from the rows instead of the summary.
pub const TICK: Duration = Duration::from_secs(30);

/// One tick at `now`. Errors are logged, never raised: the next tick tries
/// again (nothing is lost: a failed step leaves its days marked).
pub async fn summarise(app: &App, now: DateTime<Utc>) -> DaySummaryRun {
    match app.store.reports().summarise_days(now).await {
        Ok(run) => {
            if run.summarised > 0 {
                tracing::info!(
                    changed = run.changed,
                    summarised = run.summarised,
                    "day summaries updated"
                );
            }
            if run.slots_summarised > 0 {
                tracing::debug!(
                    changed = run.slots_changed,
                    summarised = run.slots_summarised,
                    "hour and five-minute summaries updated"
                );
            }
            run
        }
        Err(e) => {
            tracing::warn!(error = %e, "day summaries: cannot update");
            DaySummaryRun::default()
        }
    }
}

/// Runs [`summarise`] every [`TICK`] (the first at once) until `stop` turns true.
pub fn spawn(app: App, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("day summaries", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            summarise(&app, now).await;
        }
    })
}
