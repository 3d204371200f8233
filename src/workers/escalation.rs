//! The escalation worker: a work order its team has not acknowledged by
//! `escalate_at` moves on to its routing rule's next target, or to the
//! dispatcher queue when none is left.
//!
//! Safe with several replicas on one database: each tick claims the due
//! work orders (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and pushes their
//! `escalate_at` a lease ahead, so another replica does not take them; the
//! update that escalates one is guarded by its version, so it happens once
//! even if a lease ran out meanwhile.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_app::routing::{Escalated, escalate};
use tokio::sync::watch;

/// How often a replica looks for due work orders.
pub const TICK: Duration = Duration::from_secs(5);
/// Work orders claimed per tick.
pub const BATCH: u64 = 50;
/// How long a claim keeps others away (a crashed replica's claims come
/// back after it).
pub const LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// One tick: claims the work orders due at `now` and escalates each;
/// answers how many were moved (reassigned or sent to the dispatcher
/// queue). Errors are logged, never raised: the next tick tries again.
pub async fn escalate_due(app: &App, now: DateTime<Utc>) -> usize {
    let claimed = match app.store.work_orders().claim_escalations(now, now + LEASE, BATCH).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "escalation: cannot claim due work orders");
            return 0;
        }
    };
    let mut moved = 0;
    for wo in &claimed {
        match escalate(app.store.as_ref(), wo, now).await {
            Ok(Escalated::Reassigned(team)) => {
                moved += 1;
                tracing::info!(work_order = %wo.code, from = ?wo.team_code, to = %team, "escalated to the next team");
            }
            Ok(Escalated::ToDispatcher) => {
                moved += 1;
                tracing::info!(work_order = %wo.code, from = ?wo.team_code, "escalated to the dispatcher queue");
            }
            Ok(Escalated::Skipped) => {}
            Err(e) => tracing::warn!(work_order = %wo.code, error = ?e, "escalation failed; retried after the lease"),
        }
    }
    moved
}

/// Runs [`escalate_due`] every [`TICK`] until `stop` turns true.
pub fn spawn(app: App, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    super::every("escalation", TICK, &app.clone(), stop, move |now| {
        let app = app.clone();
        async move {
            escalate_due(&app, now).await;
        }
    })
}
