//! The deadline worker: an open work order close to breaching its
//! resolution deadline raises `work_order.deadline_at_risk` for its unit's
//! supervisors, and one past it `work_order.deadline_breached`, each once,
//! through the transactional outbox.
//!
//! Safe with several replicas on one database: each tick claims the work
//! orders (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and writes their events
//! and the markers that keep them from being raised again in one
//! transaction.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use tokio::sync::watch;

/// How often a replica looks for deadlines at risk or breached.
pub const TICK: Duration = Duration::from_secs(5);
/// Work orders claimed per tick, of each kind.
pub const BATCH: u64 = 100;
/// "Close to breaching" unless `HOTLINE_DEADLINE_RISK_MINUTES` says otherwise.
pub const DEFAULT_RISK_WITHIN: chrono::Duration = chrono::Duration::minutes(30);

/// One tick with the default window: see [`raise_due_within`].
pub async fn raise_due(app: &App, now: DateTime<Utc>) -> (usize, usize) {
    raise_due_within(app, now, DEFAULT_RISK_WITHIN).await
}

/// One tick: raises the events due at `now`; answers how many work orders
/// were reported at risk and how many breached. Errors are logged, never
/// raised: the next tick tries again.
pub async fn raise_due_within(app: &App, now: DateTime<Utc>, risk_within: chrono::Duration) -> (usize, usize) {
    match app.store.outbox().raise_deadline_events(now, risk_within, BATCH).await {
        Ok((at_risk, breached)) => {
            if at_risk + breached > 0 {
                tracing::info!(at_risk, breached, "deadline events raised");
            }
            (at_risk, breached)
        }
        Err(e) => {
            tracing::warn!(error = %e, "deadlines: cannot raise deadline events");
            (0, 0)
        }
    }
}

/// Runs [`raise_due_within`] every [`TICK`] until `stop` turns true.
pub fn spawn(app: App, risk_within: chrono::Duration, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("deadline", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            raise_due_within(&app, now, risk_within).await;
        }
    })
}
