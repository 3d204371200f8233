//! Report buckets: local hours, days, weeks (from Monday) and months in
//! `Asia/Ho_Chi_Minh`, clipped to the asked range.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

named_enum!(
    /// How long one bucket of a report is, in local time.
    BucketSize {
        Hour => "hour",
        Day => "day",
        /// Monday to Sunday.
        Week => "week",
        Month => "month",
    }
);

/// Most buckets one report may have (about six weeks of hours).
pub const MAX_BUCKETS: usize = 1000;

/// One bucket: `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// The smallest span holding both (and whatever lies between them).
    pub fn hull(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanError {
    /// `to` is not after `from`.
    Empty,
    /// More than [`MAX_BUCKETS`] buckets.
    TooMany { size: BucketSize, max: usize },
}

impl std::fmt::Display for SpanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpanError::Empty => f.write_str("must be after from"),
            SpanError::TooMany { size, max } => write!(
                f,
                "the range holds more than {max} {size} buckets: choose a larger bucket or a shorter range"
            ),
        }
    }
}

fn local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Ho_Chi_Minh).naive_local()
}

/// A local wall-clock time as UTC. Vietnam keeps no daylight saving, so
/// every local time exists once; `earliest` covers historical changes.
fn utc(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    Ho_Chi_Minh
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// The start of the local bucket holding `t`.
fn floor(t: NaiveDateTime, size: BucketSize) -> Option<NaiveDateTime> {
    let d = t.date();
    Some(match size {
        BucketSize::Hour => d.and_hms_opt(t.hour(), 0, 0)?,
        BucketSize::Day => midnight(d),
        BucketSize::Week => midnight(d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))?),
        BucketSize::Month => midnight(d.with_day(1)?),
    })
}

fn next(t: NaiveDateTime, size: BucketSize) -> Option<NaiveDateTime> {
    match size {
        BucketSize::Hour => t.checked_add_signed(TimeDelta::hours(1)),
        BucketSize::Day => t.checked_add_days(Days::new(1)),
        BucketSize::Week => t.checked_add_days(Days::new(7)),
        BucketSize::Month => t.checked_add_months(Months::new(1)),
    }
}

/// The local buckets that `[from, to)` touches, the first and last clipped
/// to it (a range starting at 08:30 has a first hour bucket 08:30–09:00).
pub fn spans(from: DateTime<Utc>, to: DateTime<Utc>, size: BucketSize) -> Result<Vec<Span>, SpanError> {
    if to <= from {
        return Err(SpanError::Empty);
    }
    let too_many = SpanError::TooMany { size, max: MAX_BUCKETS };
    let mut out = Vec::new();
    let mut cursor = floor(local(from), size).ok_or(SpanError::Empty)?;
    loop {
        let start = utc(cursor).ok_or(SpanError::Empty)?;
        if start >= to {
            break;
        }
        let following = next(cursor, size).ok_or(SpanError::Empty)?;
        let end = utc(following).ok_or(SpanError::Empty)?;
        if out.len() == MAX_BUCKETS {
            return Err(too_many);
        }
        out.push(Span {
            start: start.max(from),
            end: end.min(to),
        });
        cursor = following;
    }
    Ok(out)
}

/// An instant as Vietnam's clocks show it (+07:00).
pub fn local_offset(t: DateTime<Utc>) -> DateTime<chrono::FixedOffset> {
    t.with_timezone(&Ho_Chi_Minh).fixed_offset()
}

/// Today as a local day, for the wallboard.
pub fn local_day(now: DateTime<Utc>) -> Span {
    let start = utc(midnight(local(now).date())).unwrap_or(now);
    let end = local(now)
        .date()
        .checked_add_days(Days::new(1))
        .and_then(|d| utc(midnight(d)))
        .unwrap_or(now);
    Span { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_hull_holds_both_spans_and_the_gap_between() {
        let a = Span {
            start: at("2026-11-20T08:00:00Z"),
            end: at("2026-11-20T09:00:00Z"),
        };
        let b = Span {
            start: at("2026-11-20T10:00:00Z"),
            end: at("2026-11-20T10:05:00Z"),
        };
        let both = Span {
            start: a.start,
            end: b.end,
        };
        assert_eq!(a.hull(b), both);
        assert_eq!(b.hull(a), both);
        assert_eq!(both.hull(a), both);
    }

    #[test]
    fn days_are_local_days() {
        let s = spans(at("2026-11-19T17:00:00Z"), at("2026-11-21T17:00:00Z"), BucketSize::Day).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].start, at("2026-11-20T00:00:00+07:00"));
        assert_eq!(s[0].end, at("2026-11-21T00:00:00+07:00"));
        assert_eq!(s[1].end, at("2026-11-22T00:00:00+07:00"));
        assert!(s[0].contains(at("2026-11-20T16:59:59Z")));
        assert!(!s[0].contains(at("2026-11-20T17:00:00Z")));
    }

    #[test]
    fn ragged_ends_are_clipped() {
        let s = spans(
            at("2026-11-20T08:30:00+07:00"),
            at("2026-11-20T10:15:00+07:00"),
            BucketSize::Hour,
        )
        .unwrap();
        let bounds: Vec<_> = s.iter().map(|b| (b.start, b.end)).collect();
        assert_eq!(
            bounds,
            [
                (at("2026-11-20T08:30:00+07:00"), at("2026-11-20T09:00:00+07:00")),
                (at("2026-11-20T09:00:00+07:00"), at("2026-11-20T10:00:00+07:00")),
                (at("2026-11-20T10:00:00+07:00"), at("2026-11-20T10:15:00+07:00")),
            ]
        );
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-11-20 is a Friday.
        let w = spans(
            at("2026-11-20T00:00:00+07:00"),
            at("2026-12-01T00:00:00+07:00"),
            BucketSize::Week,
        )
        .unwrap();
        assert_eq!(w[0].start, at("2026-11-20T00:00:00+07:00"));
        assert_eq!(w[0].end, at("2026-11-23T00:00:00+07:00"));
        assert_eq!(w[1].end, at("2026-11-30T00:00:00+07:00"));
        assert_eq!(w.len(), 3);
        let m = spans(
            at("2026-01-15T00:00:00+07:00"),
            at("2026-03-02T00:00:00+07:00"),
            BucketSize::Month,
        )
        .unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].end, at("2026-02-01T00:00:00+07:00"));
        assert_eq!(m[1].end, at("2026-03-01T00:00:00+07:00"));
    }

    #[test]
    fn empty_and_oversized_ranges_are_refused() {
        let t = at("2026-11-20T00:00:00Z");
        assert_eq!(spans(t, t, BucketSize::Day), Err(SpanError::Empty));
        assert_eq!(
            spans(t, t + TimeDelta::hours(1000), BucketSize::Hour).unwrap().len(),
            1000
        );
        let e = spans(t, t + TimeDelta::hours(1001), BucketSize::Hour).unwrap_err();
        assert!(e.to_string().contains("1000 hour buckets"));
    }

    #[test]
    fn today_is_the_local_day() {
        let d = local_day(at("2026-11-20T17:30:00Z"));
        assert_eq!(d.start, at("2026-11-21T00:00:00+07:00"));
        assert_eq!(d.end, at("2026-11-22T00:00:00+07:00"));
    }
}
