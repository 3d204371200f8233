//! When an open-loop run means to send each request: arrivals at a rate
//! that climbs linearly from `from` to `to` per second over `length` (a
//! fixed rate when the two are equal), whatever the server answers.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// Arrivals per second at the start.
    pub from: f64,
    /// Arrivals per second at the end.
    pub to: f64,
    pub length: Duration,
}

impl Schedule {
    /// `rate` arrivals per second for `length`.
    pub fn fixed(rate: f64, length: Duration) -> Schedule {
        Schedule::ramp(rate, rate, length)
    }

    /// From `from` to `to` arrivals per second, linearly, over `length`.
    pub fn ramp(from: f64, to: f64, length: Duration) -> Schedule {
        Schedule {
            from: from.max(1e-3),
            to: to.max(1e-3),
            length,
        }
    }

    /// How many arrivals the whole schedule holds: the area under the rate.
    pub fn count(&self) -> u64 {
        ((self.from + self.to) / 2.0 * self.length.as_secs_f64()).floor() as u64
    }

    /// The intended send time of arrival `i` (from 0), after the start;
    /// None past the end. Arrival `i` is where the arrivals so far,
    /// `from·t + slope·t²/2`, reach `i`.
    pub fn at(&self, i: u64) -> Option<Duration> {
        if i >= self.count() {
            return None;
        }
        let i = i as f64;
        let slope = (self.to - self.from) / self.length.as_secs_f64().max(1e-9);
        let t = if slope.abs() < 1e-12 {
            i / self.from
        } else {
            // The root of slope/2·t² + from·t − i = 0 that is ≥ 0.
            (-self.from + (self.from * self.from + 2.0 * slope * i).sqrt()) / slope
        };
        Some(Duration::from_secs_f64(t.max(0.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    #[test]
    fn a_fixed_rate_sends_every_one_over_rate_seconds() {
        let s = Schedule::fixed(200.0, Duration::from_secs(5));
        assert_eq!(s.count(), 1000);
        assert_eq!(s.at(0), Some(Duration::ZERO));
        assert!((ms(s.at(1).unwrap()) - 5.0).abs() < 1e-6);
        assert!((ms(s.at(999).unwrap()) - 4995.0).abs() < 1e-6);
        assert_eq!(s.at(1000), None);
    }

    #[test]
    fn a_ramp_sends_more_often_as_it_climbs() {
        // 5 → 300 per second over 60 s: (5 + 300) / 2 · 60 = 9150 arrivals.
        let s = Schedule::ramp(5.0, 300.0, Duration::from_secs(60));
        assert_eq!(s.count(), 9150);
        // The first gap is where 5·t + (295/60)·t²/2 = 1, t = 183.45 ms
        // (under 1/5 s: the rate climbs meanwhile); the last about 1/300 s.
        let first = ms(s.at(1).unwrap()) - ms(s.at(0).unwrap());
        let last = ms(s.at(9149).unwrap()) - ms(s.at(9148).unwrap());
        assert!((first - 183.45).abs() < 0.01, "{first}");
        assert!((last - 1000.0 / 300.0).abs() < 0.05, "{last}");
        // Half-way in time, arrivals so far are 5·30 + (295/60)·30²/2 = 2362.5.
        let half = ms(s.at(2362).unwrap());
        assert!((half - 30_000.0).abs() < 5.0, "{half}");
        assert!(s.at(9149).unwrap() <= Duration::from_secs(60));
    }

    #[test]
    fn intended_times_never_go_back() {
        let s = Schedule::ramp(300.0, 5.0, Duration::from_secs(10));
        let times: Vec<Duration> = (0..s.count()).map(|i| s.at(i).unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }
}
