//! Token buckets in memory, one per caller: `burst` requests at once, then
//! `per_minute` a minute. Each replica keeps its own, so behind N replicas
//! a caller gets up to N times the rate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Past this many callers, buckets that have filled up again are dropped.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// What one request was told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// Requests left now (whole).
    pub remaining: u32,
    /// Seconds until the bucket is full again (whole, rounded up).
    pub reset_secs: u64,
    /// When refused: seconds until one request is allowed (at least 1).
    pub retry_after_secs: u64,
}

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    burst: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// None when `per_minute` is 0 (no limit). A burst of 0 is one.
    pub fn new(per_minute: u32, burst: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self {
            per_minute,
            burst: burst.max(1),
            buckets: Mutex::default(),
        })
    }

    pub fn burst(&self) -> u32 {
        self.burst
    }

    fn per_sec(&self) -> f64 {
        f64::from(self.per_minute) / 60.0
    }

    /// The seconds an empty bucket takes to fill: the policy's window.
    pub fn window_secs(&self) -> u64 {
        (f64::from(self.burst) / self.per_sec()).ceil() as u64
    }

    /// Takes one request from `caller`'s bucket at `now`.
    pub fn check(&self, caller: &str, now: Instant) -> Verdict {
        let (cap, rate) = (f64::from(self.burst), self.per_sec());
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > SWEEP_ABOVE {
            buckets.retain(|_, b| b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < cap);
        }
        let b = buckets
            .entry(caller.to_string())
            .or_insert(Bucket { tokens: cap, at: now });
        b.tokens = (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate).min(cap);
        b.at = now;
        let allowed = b.tokens >= 1.0;
        if allowed {
            b.tokens -= 1.0;
        }
        let secs = |x: f64| Duration::from_secs_f64(x.max(0.0) / rate).as_secs_f64().ceil() as u64;
        Verdict {
            allowed,
            remaining: b.tokens.floor() as u32,
            reset_secs: secs(cap - b.tokens),
            retry_after_secs: secs(1.0 - b.tokens).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let l = RateLimiter::new(60, 3).unwrap();
        let t0 = Instant::now();
        let seen: Vec<bool> = (0..4).map(|_| l.check("key:a", t0).allowed).collect();
        assert_eq!(seen, [true, true, true, false]);
        let refused = l.check("key:a", t0);
        assert_eq!(
            (refused.remaining, refused.retry_after_secs, refused.reset_secs),
            (0, 1, 3)
        );
        // Another caller has a bucket of its own.
        assert!(l.check("key:b", t0).allowed);
        // One a second comes back.
        let later = l.check("key:a", t0 + Duration::from_millis(1_001));
        assert!(later.allowed);
        assert!(!l.check("key:a", t0 + Duration::from_millis(1_002)).allowed);
        let full = l.check("key:a", t0 + Duration::from_secs(60));
        assert_eq!((full.allowed, full.remaining), (true, 2));
        assert_eq!(l.window_secs(), 3);
    }

    #[test]
    fn zero_is_no_limit() {
        assert!(RateLimiter::new(0, 10).is_none());
        assert_eq!(RateLimiter::new(10, 0).unwrap().burst(), 1);
    }
}
