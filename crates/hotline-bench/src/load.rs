//! Drives many concurrent connections for a while and summarises what
//! came back.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::client::Answer;

#[derive(Default)]
pub struct Stats {
    pub latencies: Vec<Duration>,
    pub statuses: BTreeMap<String, u64>,
    pub elapsed: Duration,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
    }

    pub fn record(&mut self, answer: &Result<Answer, String>) {
        match answer {
            Ok(a) => {
                self.latencies.push(a.took);
                *self.statuses.entry(a.status.as_u16().to_string()).or_default() += 1;
            }
            Err(_) => *self.statuses.entry("transport error".into()).or_default() += 1,
        }
    }

    fn percentile(sorted: &[Duration], p: f64) -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[i].as_secs_f64() * 1000.0
    }

    pub fn requests(&self) -> u64 {
        self.statuses.values().sum()
    }

    /// Successful (2xx) requests per second.
    pub fn succeeded_per_second(&self) -> f64 {
        let ok: u64 = self
            .statuses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .map(|(_, n)| n)
            .sum();
        ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn print(&mut self, title: &str) {
        self.latencies.sort_unstable();
        let l = &self.latencies;
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        println!("== {title}");
        println!(
            "requests: {} in {:.1} s = {:.0} req/s",
            self.requests(),
            secs,
            self.requests() as f64 / secs
        );
        println!(
            "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
            Self::percentile(l, 0.50),
            Self::percentile(l, 0.90),
            Self::percentile(l, 0.99),
            l.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
        let statuses: Vec<String> = self.statuses.iter().map(|(k, v)| format!("{k} × {v}")).collect();
        println!("status: {}", statuses.join(", "));
    }
}

/// Runs `connections` workers until `duration` is up. Worker `w` starts
/// after `w * ramp / connections`, so the load climbs to its peak over
/// `ramp` and then holds. Each call of `step(worker, n)` makes one or more
/// requests and records them.
pub async fn drive<F, Fut>(connections: usize, duration: Duration, ramp: Duration, step: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Vec<Result<Answer, String>>> + Send,
{
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connections);
    for w in 0..connections {
        let step = step.clone();
        let delay = ramp.mul_f64(w as f64 / connections as f64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let mut stats = Stats::default();
            let mut n = 0;
            while Instant::now() < deadline {
                for answer in step(w, n).await {
                    stats.record(&answer);
                }
                n += 1;
            }
            stats
        }));
    }
    let mut total = Stats::default();
    for t in tasks {
        if let Ok(s) = t.await {
            total.merge(s);
        }
    }
    total.elapsed = started.elapsed();
    total
}
