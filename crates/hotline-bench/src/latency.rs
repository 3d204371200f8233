//! Latency corrected for coordinated omission, and exact percentiles.
//!
//! An open-loop request's latency runs from when it was MEANT to be sent,
//! not from when it went out: a request that waited for a free slot, or
//! for the generator to catch up, waited as a caller would have.

use std::time::Duration;

/// The latency of a request meant for `intended`, sent at `sent`, that took
/// `took` from sending to its answer (all but `took` measured from the
/// run's start). A request sent early (never, but clocks) counts from its
/// send.
pub fn corrected(intended: Duration, sent: Duration, took: Duration) -> Duration {
    sent.saturating_sub(intended) + took
}

/// The `p`-th quantile (0..=1) of `sorted`, by nearest rank: the smallest
/// latency with at least `p` of all latencies at or below it. Exact: one
/// of the measured values, no interpolation, no histogram buckets.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `p50 … max` of `latencies` (sorted here), in milliseconds, as printed.
pub fn summary(latencies: &mut [Duration]) -> String {
    latencies.sort_unstable();
    let l = &*latencies;
    format!(
        "p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        ms(percentile(l, 0.50)),
        ms(percentile(l, 0.90)),
        ms(percentile(l, 0.99)),
        ms(percentile(l, 0.999)),
        ms(l.last().copied().unwrap_or_default())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn percentiles_are_nearest_rank_values() {
        let l = millis(&(1..=1000).collect::<Vec<_>>());
        assert_eq!(percentile(&l, 0.50), Duration::from_millis(500));
        assert_eq!(percentile(&l, 0.90), Duration::from_millis(900));
        assert_eq!(percentile(&l, 0.99), Duration::from_millis(990));
        assert_eq!(percentile(&l, 0.999), Duration::from_millis(999));
        assert_eq!(percentile(&l, 1.0), Duration::from_millis(1000));
        assert_eq!(percentile(&l, 0.0), Duration::from_millis(1));
        assert_eq!(percentile(&millis(&[7]), 0.99), Duration::from_millis(7));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
        // 99 fast and one slow: p99 is still fast, p99.9 is the slow one.
        let mut l = millis(&[1; 99]);
        l.push(Duration::from_secs(2));
        assert_eq!(percentile(&l, 0.99), Duration::from_millis(1));
        assert_eq!(percentile(&l, 0.999), Duration::from_secs(2));
    }

    /// A server that stalls for a second while requests keep arriving at
    /// 100/s: measured from their actual sends, the queued requests look
    /// fast; measured from their intended sends they waited up to the
    /// whole stall, and p99 shows it.
    #[test]
    fn a_stall_shows_in_the_corrected_percentiles() {
        let service = Duration::from_millis(1);
        let stall = (Duration::from_millis(1000), Duration::from_millis(2000));
        let mut raw = Vec::new();
        let mut fixed = Vec::new();
        // One connection, in order: a request goes out when it is due and
        // the previous one has answered.
        let mut free_at = Duration::ZERO;
        for i in 0..1000u64 {
            let intended = Duration::from_millis(10 * i);
            let sent = intended.max(free_at);
            // A request sent during the stall is answered when it ends.
            let answered = if sent >= stall.0 && sent < stall.1 {
                stall.1 + service
            } else {
                sent + service
            };
            raw.push(answered - sent);
            fixed.push(corrected(intended, sent, answered - sent));
            free_at = answered;
        }
        raw.sort_unstable();
        fixed.sort_unstable();
        // Uncorrected, only the one request caught in the stall is slow.
        assert_eq!(percentile(&raw, 0.99), service);
        // Corrected, the ~100 requests due during the stall waited for it.
        assert!(
            percentile(&fixed, 0.99) >= Duration::from_millis(900),
            "{:?}",
            percentile(&fixed, 0.99)
        );
        assert!(
            percentile(&fixed, 0.90) >= Duration::from_millis(50),
            "{:?}",
            percentile(&fixed, 0.90)
        );
        assert_eq!(fixed.last(), Some(&(Duration::from_millis(1000) + service)));
    }

    #[test]
    fn late_sends_count_from_the_intended_time() {
        let c = corrected(
            Duration::from_millis(100),
            Duration::from_millis(350),
            Duration::from_millis(2),
        );
        assert_eq!(c, Duration::from_millis(252));
        let early = corrected(
            Duration::from_millis(100),
            Duration::from_millis(99),
            Duration::from_millis(2),
        );
        assert_eq!(early, Duration::from_millis(2));
    }
}
