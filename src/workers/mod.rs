//! Background work that runs beside the API in every replica.

pub mod call_days;
pub mod deadlines;
pub mod escalation;
pub mod retention;
pub mod webhooks;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hotline_app::Clock;
use tokio::sync::watch;

/// Runs `tick(now)` (now on `clock`) every `period` (the first at once; a late tick delays
/// the next rather than bunching up) until `stop` turns true.
pub fn every<F, Fut>(
    name: &'static str,
    period: Duration,
    clock: Arc<dyn Clock>,
    mut stop: watch::Receiver<bool>,
    mut tick: F,
) -> tokio::task::JoinHandle<()>
where
    F: FnMut(DateTime<Utc>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => tick(clock.now()).await,
                _ = stop.changed() => break,
            }
            if *stop.borrow() {
                break;
            }
        }
        tracing::info!("{name} worker stopped");
    })
}
