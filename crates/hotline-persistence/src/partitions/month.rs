//! A local month (Asia/Ho_Chi_Minh), the unit a table is partitioned by.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use hotline_domain::report::bucket::local_offset;

/// A local month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The local month `t` falls in.
    pub fn of(t: DateTime<Utc>) -> Month {
        let local = local_offset(t);
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The `n`th month after this one.
    pub fn after(self, n: u32) -> Month {
        (0..n).fold(self, |m, _| m.next())
    }

    /// Its first instant: local midnight of its first day.
    pub fn start(self) -> DateTime<Utc> {
        let midnight = NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .unwrap_or(NaiveDate::MIN)
            .and_time(NaiveTime::MIN)
            .and_utc();
        let offset = local_offset(midnight).offset().local_minus_utc();
        midnight - Duration::seconds(i64::from(offset))
    }

    /// The first instant of the next month.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// Every month from this one through `last`.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), |m| Some(m.next())).take_while(move |m| *m <= last)
    }

    /// Its partition of `table`.
    pub fn partition(self, table: &str) -> String {
        format!("{table}_p{:04}_{:02}", self.year, self.month)
    }

    /// The month of a partition of `table` named by [`Month::partition`].
    pub fn of_partition(table: &str, name: &str) -> Option<Month> {
        let (year, month) = name.strip_prefix(table)?.strip_prefix("_p")?.split_once('_')?;
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight() {
        let m = Month::new(2026, 12).unwrap();
        assert_eq!(m.start(), Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap());
        assert_eq!(m.end(), Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap());
        // 18:00 UTC on the 31st is already January in Vietnam.
        assert_eq!(
            Month::of(Utc.with_ymd_and_hms(2026, 12, 31, 18, 0, 0).unwrap()),
            Month::new(2027, 1).unwrap()
        );
        assert_eq!(
            Month::of(Utc.with_ymd_and_hms(2026, 11, 30, 16, 59, 59).unwrap()),
            Month::new(2026, 11).unwrap()
        );
    }

    #[test]
    fn months_run_across_a_year_and_name_their_partitions() {
        let from = Month::new(2026, 11).unwrap();
        let months: Vec<String> = from.through(from.after(3)).map(|m| m.partition("calls")).collect();
        assert_eq!(
            months,
            ["calls_p2026_11", "calls_p2026_12", "calls_p2027_01", "calls_p2027_02"]
        );
        assert_eq!(Month::of_partition("calls", "calls_p2027_01"), Month::new(2027, 1));
        assert_eq!(Month::of_partition("calls", "calls_default"), None);
        assert_eq!(Month::of_partition("calls", "events_p2027_01"), None);
        assert_eq!(Month::of_partition("calls", "calls_p2027_13"), None);
    }
}
