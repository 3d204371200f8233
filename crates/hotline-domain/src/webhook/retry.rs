//! When a delivery is tried again. Like Standard Webhooks senders, any
//! answer but 2xx (and any timeout or connection error) is a failure worth
//! retrying; after the last delay the delivery is given up as failed.

use chrono::{DateTime, Duration, Utc};

/// The waits between attempts, with ±`jitter` spread so that many failed
/// deliveries do not all come back at the same instant.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrySchedule {
    /// The wait after the 1st, 2nd, … failed attempt.
    pub delays: Vec<Duration>,
    /// Fraction of each delay to spread by (0.2: ±20 %).
    pub jitter: f64,
}

impl Default for RetrySchedule {
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about
    /// 27 hours, so a receiver down for a day still gets everything.
    fn default() -> Self {
        Self {
            delays: vec![
                Duration::seconds(5),
                Duration::minutes(5),
                Duration::minutes(30),
                Duration::hours(2),
                Duration::hours(5),
                Duration::hours(10),
                Duration::hours(10),
            ],
            jitter: 0.2,
        }
    }
}

/// What one attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    /// Failed; tried again at this instant.
    RetryAt(DateTime<Utc>),
    /// Failed, and the schedule is used up.
    GaveUp,
}

/// Whether an HTTP status means the receiver took the message.
pub fn accepted(status: u16) -> bool {
    (200..300).contains(&status)
}

impl RetrySchedule {
    /// After the `attempts`-th attempt of a run failed at `at`: when to try
    /// again, or give up. `spread` in [-1, 1] picks where in the jitter band
    /// the retry lands (the caller draws it at random).
    pub fn after_failure(&self, attempts: u32, at: DateTime<Utc>, spread: f64) -> AttemptOutcome {
        let Some(delay) = attempts.checked_sub(1).and_then(|i| self.delays.get(i as usize)) else {
            return AttemptOutcome::GaveUp;
        };
        let factor = 1.0 + self.jitter * spread.clamp(-1.0, 1.0);
        let millis = (delay.num_milliseconds() as f64 * factor).round() as i64;
        AttemptOutcome::RetryAt(at + Duration::milliseconds(millis.max(0)))
    }

    /// How long a run lasts at most, without jitter.
    pub fn span(&self) -> Duration {
        self.delays.iter().fold(Duration::zero(), |a, d| a + *d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_lasts_more_than_a_day() {
        let s = RetrySchedule::default();
        assert!(s.span() > Duration::hours(24));
        assert_eq!(s.delays.len() + 1, 8, "eight attempts in all");
    }

    #[test]
    fn retries_follow_the_delays_with_bounded_jitter_then_give_up() {
        let s = RetrySchedule::default();
        let t = DateTime::from_timestamp(1_763_800_000, 0).unwrap();
        assert_eq!(
            s.after_failure(1, t, 0.0),
            AttemptOutcome::RetryAt(t + Duration::seconds(5))
        );
        assert_eq!(
            s.after_failure(2, t, 1.0),
            AttemptOutcome::RetryAt(t + Duration::minutes(6))
        );
        assert_eq!(
            s.after_failure(3, t, -1.0),
            AttemptOutcome::RetryAt(t + Duration::minutes(24))
        );
        assert_eq!(
            s.after_failure(7, t, 5.0),
            AttemptOutcome::RetryAt(t + Duration::hours(12))
        );
        assert_eq!(s.after_failure(8, t, 0.0), AttemptOutcome::GaveUp);
        assert_eq!(s.after_failure(0, t, 0.0), AttemptOutcome::GaveUp);
    }

    #[test]
    fn only_2xx_is_accepted() {
        assert!(accepted(200) && accepted(204));
        for s in [199, 301, 400, 408, 410, 429, 500, 503] {
            assert!(!accepted(s), "{s}");
        }
    }
}
