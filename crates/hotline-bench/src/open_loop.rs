//! Open-loop load: requests go out on a schedule whatever the server
//! answers, each as its own task (at most `MAX_IN_FLIGHT` at once), so a
//! slow server gathers a queue instead of slowing the callers down.
//! Latency counts from each request's intended send time (see
//! `latency`), and a request that could not start on time is counted late.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use crate::client::Answer;
use crate::latency::{self, corrected, ms};
use crate::schedule::Schedule;

/// Requests (or call sequences) in flight at most.
pub const MAX_IN_FLIGHT: usize = 4096;

/// A start this much after its intended time is late: tokio's timer wakes
/// on whole milliseconds, so up to a tick behind is on time.
pub const LATE_AFTER: Duration = Duration::from_millis(2);

/// One request's outcome.
#[derive(Debug, Clone)]
pub struct Event {
    /// When its arrival was meant to be sent, after the start.
    pub intended: Duration,
    /// None for a transport error.
    pub latency: Option<Duration>,
    pub status: String,
}

#[derive(Debug, Default)]
pub struct OpenStats {
    pub events: Vec<Event>,
    /// Arrivals (requests, or call sequences) sent.
    pub arrivals: u64,
    /// Arrivals that started more than `LATE_AFTER` after their time.
    pub late: u64,
    /// Of those, the ones that found all `MAX_IN_FLIGHT` slots taken.
    pub no_slot: u64,
    pub worst_start: Duration,
    /// From the start to the last answer.
    pub elapsed: Duration,
    pub offered: f64,
}

impl OpenStats {
    pub fn statuses(&self) -> BTreeMap<&str, u64> {
        let mut out = BTreeMap::new();
        for e in &self.events {
            *out.entry(e.status.as_str()).or_default() += 1;
        }
        out
    }

    pub fn latencies(&self) -> Vec<Duration> {
        self.events.iter().filter_map(|e| e.latency).collect()
    }

    pub fn print(&self, title: &str) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        println!("== {title}");
        println!(
            "offered {:.0}/s; sent {} in {:.1} s = {:.0}/s achieved; {} requests = {:.0} req/s",
            self.offered,
            self.arrivals,
            secs,
            self.arrivals as f64 / secs,
            self.events.len(),
            self.events.len() as f64 / secs
        );
        println!(
            "latency ms from the intended send: {}",
            latency::summary(&mut self.latencies())
        );
        println!(
            "late to start (> {} ms): {} of {} (no free slot: {}), worst start {:.1} ms late",
            LATE_AFTER.as_millis(),
            self.late,
            self.arrivals,
            self.no_slot,
            ms(self.worst_start)
        );
        let statuses: Vec<String> = self.statuses().iter().map(|(k, v)| format!("{k} × {v}")).collect();
        println!("status: {}", statuses.join(", "));
    }
}

struct Done {
    intended: Duration,
    lag: Duration,
    no_slot: bool,
    answers: Vec<Result<(String, Duration), String>>,
}

/// Sends arrival `i` of `schedule` as `step(i)` at its intended time. A
/// step may make several requests in turn (a call's CTI events): the first
/// counts from the intended time, each next one from when the one before
/// answered, which is when it was meant to go.
pub async fn drive<F, Fut>(schedule: Schedule, step: F) -> OpenStats
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Vec<Result<Answer, String>>> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let (tx, mut rx) = mpsc::unbounded_channel::<Done>();
    let t0 = Instant::now();
    let mut i = 0;
    while let Some(at) = schedule.at(i) {
        let due = t0 + at;
        tokio::time::sleep_until(due.into()).await;
        let (permit, no_slot) = match slots.clone().try_acquire_owned() {
            Ok(p) => (p, false),
            Err(_) => match slots.clone().acquire_owned().await {
                Ok(p) => (p, true),
                Err(_) => break,
            },
        };
        let step = step.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            let lag = Instant::now().saturating_duration_since(due);
            let answers = step(i)
                .await
                .into_iter()
                .map(|a| a.map(|a| (a.status.as_u16().to_string(), a.took)))
                .collect();
            drop(permit);
            let _ = tx.send(Done {
                intended: at,
                lag,
                no_slot,
                answers,
            });
        });
        i += 1;
    }
    drop(tx);
    let mut stats = OpenStats {
        offered: schedule.count() as f64 / schedule.length.as_secs_f64().max(1e-9),
        ..OpenStats::default()
    };
    while let Some(done) = rx.recv().await {
        stats.arrivals += 1;
        if done.lag > LATE_AFTER {
            stats.late += 1;
        }
        stats.no_slot += u64::from(done.no_slot);
        stats.worst_start = stats.worst_start.max(done.lag);
        for (k, answer) in done.answers.into_iter().enumerate() {
            stats.events.push(match answer {
                Ok((status, took)) => Event {
                    intended: done.intended,
                    // Only the first request of a step waited for its start.
                    latency: Some(if k == 0 {
                        corrected(done.intended, done.intended + done.lag, took)
                    } else {
                        took
                    }),
                    status,
                },
                Err(_) => Event {
                    intended: done.intended,
                    latency: None,
                    status: "transport error".into(),
                },
            });
        }
    }
    stats.elapsed = t0.elapsed();
    stats
}
