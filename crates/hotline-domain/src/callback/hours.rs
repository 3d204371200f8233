//! The hours in which customers are called back, every day, local time
//! (Vietnam keeps UTC+7 all year): a callback's time to its target counts
//! only the minutes inside them, so a call abandoned at 23:00 falls due
//! the next morning rather than being "late" by the time the desk may
//! ring the customer. Calls to subscribers are not made between 22:00 and
//! 07:00 (the rule Decree 91/2020/NĐ-CP sets for marketing calls, the norm
//! customers expect), hence the default.

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// A daily window `[start, end)` in minutes after local midnight; `end` may
/// be 1440 (midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallingHours {
    start: u32,
    end: u32,
}

const DAY: u32 = 24 * 60;

impl Default for CallingHours {
    fn default() -> Self {
        CallingHours {
            start: 7 * 60,
            end: 22 * 60,
        }
    }
}

impl std::fmt::Display for CallingHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h * 60 + m <= DAY).then_some(h * 60 + m)
}

impl CallingHours {
    /// Every minute of the day.
    pub const ROUND_THE_CLOCK: CallingHours = CallingHours { start: 0, end: DAY };

    /// `HH:MM-HH:MM`, start before end (`00:00-24:00` round the clock).
    pub fn parse(text: &str) -> Result<CallingHours, String> {
        let bad = || format!("{text:?} is not a daily window such as 07:00-22:00");
        let (a, b) = text.split_once('-').ok_or_else(bad)?;
        let (start, end) = (minutes(a).ok_or_else(bad)?, minutes(b).ok_or_else(bad)?);
        if start >= end {
            return Err(format!("{text:?} ends before it starts"));
        }
        Ok(CallingHours { start, end })
    }

    /// That local day's window, as local date-times.
    fn window(&self, day: chrono::NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let at = |m: u32| day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(m));
        (at(self.start), at(self.end))
    }

    /// The instant `minutes` calling minutes after `at`: from the next
    /// opening when `at` falls outside the hours (so 0 minutes is the
    /// first moment a customer may be called).
    pub fn add(&self, at: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let mut t = at.with_timezone(&Ho_Chi_Minh).naive_local();
        let mut left = Duration::minutes(minutes.max(0));
        loop {
            let (open, close) = self.window(t.date());
            if t < open {
                t = open;
            }
            if t < close && left <= close - t {
                return utc(t + left);
            }
            if t < close {
                left -= close - t;
            }
            t = self.window(t.date().succ_opt().unwrap_or(t.date())).0;
        }
    }

    /// The calling time between two instants (none when `to` is not after
    /// `from`).
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        let (a, b) = (
            from.with_timezone(&Ho_Chi_Minh).naive_local(),
            to.with_timezone(&Ho_Chi_Minh).naive_local(),
        );
        let mut total = Duration::zero();
        let mut day = a.date();
        while day <= b.date() {
            let (open, close) = self.window(day);
            let (s, e) = (a.max(open), b.min(close));
            if e > s {
                total += e - s;
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        total
    }
}

fn utc(local: NaiveDateTime) -> DateTime<Utc> {
    // Vietnam has no daylight saving: every local time exists once.
    Ho_Chi_Minh
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(local: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("{local}+07:00"))
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn parses_windows_and_refuses_nonsense() {
        assert_eq!(CallingHours::parse("07:00-22:00"), Ok(CallingHours::default()));
        assert_eq!(CallingHours::parse("00:00-24:00"), Ok(CallingHours::ROUND_THE_CLOCK));
        assert_eq!(CallingHours::default().to_string(), "07:00-22:00");
        for bad in [
            "",
            "7-22",
            "07:00",
            "22:00-07:00",
            "07:00-07:00",
            "07:60-08:00",
            "07:00-24:01",
        ] {
            assert!(CallingHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_target_inside_the_hours_is_plain_minutes() {
        let h = CallingHours::default();
        assert_eq!(h.add(at("2026-11-20T08:00:00"), 30), at("2026-11-20T08:30:00"));
        assert_eq!(
            h.between(at("2026-11-20T08:00:00"), at("2026-11-20T08:20:00")),
            Duration::minutes(20)
        );
    }

    #[test]
    fn the_night_does_not_count() {
        let h = CallingHours::default();
        // Ten minutes before closing, twenty the next morning.
        assert_eq!(h.add(at("2026-11-20T21:50:00"), 30), at("2026-11-21T07:20:00"));
        // Abandoned at night: due from the opening.
        assert_eq!(h.add(at("2026-11-20T23:30:00"), 30), at("2026-11-21T07:30:00"));
        assert_eq!(h.add(at("2026-11-21T03:00:00"), 0), at("2026-11-21T07:00:00"));
        assert_eq!(
            h.between(at("2026-11-20T21:50:00"), at("2026-11-21T07:20:00")),
            Duration::minutes(30)
        );
        assert_eq!(
            h.between(at("2026-11-20T23:00:00"), at("2026-11-21T06:59:00")),
            Duration::zero()
        );
        // Across whole days: 15 hours each.
        assert_eq!(
            h.between(at("2026-11-20T07:00:00"), at("2026-11-22T22:00:00")),
            Duration::hours(45)
        );
        assert_eq!(
            h.between(at("2026-11-21T00:00:00"), at("2026-11-20T00:00:00")),
            Duration::zero()
        );
    }

    #[test]
    fn round_the_clock_is_wall_time() {
        let h = CallingHours::ROUND_THE_CLOCK;
        assert_eq!(h.add(at("2026-11-20T23:50:00"), 30), at("2026-11-21T00:20:00"));
        assert_eq!(
            h.between(at("2026-11-20T23:50:00"), at("2026-11-21T00:20:00")),
            Duration::minutes(30)
        );
    }
}
