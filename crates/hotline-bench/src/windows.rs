//! An open-loop run cut into windows of its intended send times: the rate
//! arrivals were due at, and the p99 latency of the requests due then.

use std::time::Duration;

use crate::latency::percentile;
use crate::open_loop::Event;
use crate::schedule::Schedule;

#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub start: Duration,
    pub end: Duration,
    /// Arrivals due in the window, a second.
    pub rate: f64,
    pub requests: usize,
    /// Requests due in the window that got no answer or a 5xx.
    pub failed: usize,
    pub p99: Duration,
}

pub fn windows(schedule: &Schedule, events: &[Event], width: Duration) -> Vec<Window> {
    let n = schedule.length.as_secs_f64() / width.as_secs_f64();
    let count = (n.ceil() as usize).max(1);
    let mut due = vec![0u64; count];
    let mut i = 0;
    while let Some(at) = schedule.at(i) {
        due[index(at, width, count)] += 1;
        i += 1;
    }
    let mut latencies = vec![Vec::new(); count];
    let mut failed = vec![0; count];
    for e in events {
        let w = index(e.intended, width, count);
        match e.latency {
            Some(l) => latencies[w].push(l),
            None => failed[w] += 1,
        }
        if e.status.starts_with('5') {
            failed[w] += 1;
        }
    }
    (0..count)
        .map(|w| {
            let start = width * w as u32;
            let end = (start + width).min(schedule.length);
            let mut l = std::mem::take(&mut latencies[w]);
            l.sort_unstable();
            Window {
                start,
                end,
                rate: due[w] as f64 / (end - start).as_secs_f64().max(1e-9),
                requests: l.len() + failed[w],
                failed: failed[w],
                p99: percentile(&l, 0.99),
            }
        })
        .collect()
}

fn index(at: Duration, width: Duration, count: usize) -> usize {
    ((at.as_secs_f64() / width.as_secs_f64()) as usize).min(count - 1)
}

/// The arrival rate of the first window whose p99 is over `limit`.
pub fn first_crossing(windows: &[Window], limit: Duration) -> Option<f64> {
    windows.iter().find(|w| w.p99 > limit).map(|w| w.rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(intended_ms: u64, latency_ms: u64) -> Event {
        Event {
            intended: Duration::from_millis(intended_ms),
            latency: Some(Duration::from_millis(latency_ms)),
            status: "200".into(),
        }
    }

    #[test]
    fn windows_hold_the_rate_due_and_their_own_p99() {
        // 10 → 30 a second over 10 s: 200 arrivals, 50 in the first half.
        let s = Schedule::ramp(10.0, 30.0, Duration::from_secs(10));
        let mut events: Vec<Event> = (0..s.count())
            .map(|i| event(s.at(i).unwrap().as_millis() as u64, 5))
            .collect();
        // The second half slows down.
        for e in events.iter_mut().filter(|e| e.intended >= Duration::from_secs(5)) {
            e.latency = Some(Duration::from_millis(250));
        }
        let w = windows(&s, &events, Duration::from_secs(5));
        assert_eq!(w.len(), 2);
        assert!((w[0].rate - 15.0).abs() < 0.3, "{:?}", w[0]);
        assert!((w[1].rate - 25.0).abs() < 0.3, "{:?}", w[1]);
        assert_eq!(w[0].p99, Duration::from_millis(5));
        assert_eq!(w[1].p99, Duration::from_millis(250));
        assert_eq!(w[0].requests + w[1].requests, 200);
        assert_eq!(first_crossing(&w, Duration::from_millis(100)), Some(w[1].rate));
        assert_eq!(first_crossing(&w, Duration::from_millis(300)), None);
    }
}
