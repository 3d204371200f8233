//! Instants from clients. Business days are local to Vietnam, so a bare date
//! in a filter means that day in `Asia/Ho_Chi_Minh`.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// Which end of a range a bare date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// The start of that local day.
    Start,
    /// The start of the next local day (ranges are half-open).
    End,
}

/// Parses an RFC 3339 instant, or a `YYYY-MM-DD` local date. A `+` that a
/// client forgot to percent-encode arrives as a space; it is put back.
pub fn parse_instant(raw: &str, end: RangeEnd) -> Result<DateTime<Utc>, String> {
    let s = raw.trim().replace(' ', "+");
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        let day = match end {
            RangeEnd::Start => d,
            RangeEnd::End => d.checked_add_days(Days::new(1)).ok_or("is out of range")?,
        };
        return local_midnight(day).ok_or_else(|| "is out of range".into());
    }
    Err("must be an RFC 3339 instant (2026-11-20T08:00:00+07:00) or a date (2026-11-20)".into())
}

/// The current instant at the precision every database keeps
/// (microseconds), so what a client is told equals what it reads back.
pub fn now() -> DateTime<Utc> {
    truncate(Utc::now())
}

pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// Midnight of a local day in Vietnam, as UTC.
pub fn local_midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    let naive = day.and_hms_opt(0, 0, 0)?;
    Ho_Chi_Minh
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_local_days() {
        let t = parse_instant("2026-11-20T08:00:00+07:00", RangeEnd::Start).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T01:00:00+00:00");
        assert_eq!(parse_instant("2026-11-20T08:00:00 07:00", RangeEnd::Start), Ok(t));
        let start = parse_instant("2026-11-20", RangeEnd::Start).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-11-19T17:00:00+00:00");
        let end = parse_instant("2026-11-20", RangeEnd::End).unwrap();
        assert_eq!(end.to_rfc3339(), "2026-11-20T17:00:00+00:00");
        assert!(parse_instant("yesterday", RangeEnd::Start).is_err());
        assert!(parse_instant("2026-02-30", RangeEnd::Start).is_err());
    }
}
