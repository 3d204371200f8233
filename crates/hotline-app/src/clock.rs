//! Where the use cases get the time from: the system clock in the service,
//! a clock the test sets in tests (so that "today", local midnight and
//! deadlines do not depend on when the suite runs).

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use hotline_domain::time;

pub trait Clock: Send + Sync + 'static {
    /// Now, at the precision every database keeps (microseconds).
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        time::now()
    }
}

/// A clock that stands still until it is set or advanced.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        Self(Mutex::new(time::truncate(t)))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = time::truncate(t);
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-12-31T16:59:59.9999999Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = FixedClock::at(start);
        assert_eq!(
            clock.now().timestamp_subsec_nanos() % 1000,
            0,
            "microseconds, as stored"
        );
        let first = clock.now();
        assert_eq!(clock.now(), first);
        clock.advance(Duration::seconds(1));
        assert_eq!(clock.now() - first, Duration::seconds(1));
    }
}
