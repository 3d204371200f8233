//! Background work that runs beside the API in every replica.

pub mod day_summaries;
pub mod deadlines;
pub mod escalation;
pub mod retention;
pub mod webhooks;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_app::workers::WorkerHealth;
use tokio::sync::watch;

/// The pause after a tick panicked, doubled after each further panic…
pub const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// …up to this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Runs `tick(now)` (now on the app's clock) every `period` (the first at
/// once; a late tick delays the next rather than bunching up) until `stop`
/// turns true. A tick that panics does not end the worker: it is logged,
/// counted and marks the worker unhealthy (readiness fails, naming it);
/// the next tick comes after a pause that doubles with each panic in a row
/// (from [`FIRST_BACKOFF`] to [`MAX_BACKOFF`]), and the first clean tick
/// makes it healthy again.
pub fn every<F, Fut>(
    name: &'static str,
    period: Duration,
    app: &App,
    mut stop: watch::Receiver<bool>,
    mut tick: F,
) -> tokio::task::JoinHandle<()>
where
    F: FnMut(DateTime<Utc>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let clock = app.clock.clone();
    let mut guard = Guard::new(name, app);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => {
                    if !guard.run(tick(clock.now()), &mut stop).await {
                        every.reset_immediately();
                    }
                }
                _ = stop.changed() => break,
            }
            if *stop.borrow() {
                break;
            }
        }
        tracing::info!("{name} worker stopped");
    })
}

/// Runs a worker's ticks so that a panic ends the tick, not the worker.
pub struct Guard {
    name: &'static str,
    health: Arc<WorkerHealth>,
    backoff: Duration,
}

impl Guard {
    pub fn new(name: &'static str, app: &App) -> Self {
        Self {
            name,
            health: app.workers.clone(),
            backoff: FIRST_BACKOFF,
        }
    }

    /// Runs one tick in a task of its own. True when it finished; false
    /// when it panicked: logged, counted, the worker marked unhealthy, and
    /// back only after the pause (cut short by `stop`), which doubles for
    /// the next panic in a row.
    pub async fn run<Fut>(&mut self, tick: Fut, stop: &mut watch::Receiver<bool>) -> bool
    where
        Fut: Future<Output = ()> + Send + 'static,
    {
        match tokio::spawn(tick).await {
            Ok(()) => {
                self.health.ran(self.name);
                self.backoff = FIRST_BACKOFF;
                true
            }
            Err(e) => {
                self.health.panicked(self.name);
                tracing::error!(worker = self.name, error = %e, pause_ms = self.backoff.as_millis() as u64,
                    "worker tick panicked; restarting it after a pause");
                tokio::select! {
                    () = tokio::time::sleep(self.backoff) => {},
                    _ = stop.changed() => {},
                }
                self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests;
