//! The per-local-day summaries of calls and of work orders: how days are
//! keyed, which dimension a grouping reads, and which parts of a report
//! come from summarised days and which from the raw rows.
//!
//! A day is summarised once it is over (never today), and kept exact by a
//! worker that recomputes a past day whenever one of its calls (or one of
//! their customers), or one of its work orders (or their feedback), changes.
//! A report reads a bucket's whole summarised days from the summary and
//! everything else — today, days not summarised yet, days changed since they
//! were summarised, a partial first or last day, hour buckets — from the
//! rows.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::bucket::Span;
use super::{CallGroup, WorkOrderGroup};
use crate::time::local_midnight;

named_enum!(
    /// What one summary row is split by, besides the customer's unit. A
    /// report grouped by unit reads the `none` rows by their unit.
    SummaryDimension {
        None => "none",
        Category => "category",
        Queue => "queue",
        Agent => "agent",
        Area => "area",
        /// Work orders only.
        Team => "team",
    }
);

impl SummaryDimension {
    pub fn for_group(g: Option<CallGroup>) -> SummaryDimension {
        match g {
            None | Some(CallGroup::Unit) => SummaryDimension::None,
            Some(CallGroup::Category) => SummaryDimension::Category,
            Some(CallGroup::Queue) => SummaryDimension::Queue,
            Some(CallGroup::Agent) => SummaryDimension::Agent,
            Some(CallGroup::Area) => SummaryDimension::Area,
        }
    }

    /// A work-order summary row has its unit and category besides the
    /// dimension: grouping by either reads the `none` rows by it.
    pub fn for_work_order_group(g: Option<WorkOrderGroup>) -> SummaryDimension {
        match g {
            None | Some(WorkOrderGroup::Unit | WorkOrderGroup::Category) => SummaryDimension::None,
            Some(WorkOrderGroup::Team) => SummaryDimension::Team,
            Some(WorkOrderGroup::Area) => SummaryDimension::Area,
        }
    }
}

/// The local day holding `t`.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// A local day as stored: the number YYYYMMDD.
pub fn day_key(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

pub fn day_from_key(k: i64) -> Option<NaiveDate> {
    let year = i32::try_from(k / 10_000).ok()?;
    NaiveDate::from_ymd_opt(year, ((k / 100) % 100) as u32, (k % 100) as u32)
}

/// Local midnight to the next, in UTC.
pub fn day_span(d: NaiveDate) -> Option<Span> {
    Some(Span {
        start: local_midnight(d)?,
        end: local_midnight(d.checked_add_days(Days::new(1))?)?,
    })
}

/// Where each bucket's calls are counted from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayPlan {
    /// Whole summarised days, with the bucket each belongs to.
    pub days: Vec<(usize, NaiveDate)>,
    /// Stretches counted from the calls, with their bucket.
    pub raw: Vec<(usize, Span)>,
}

/// Splits each bucket into its whole local days that `summarised` accepts
/// and the stretches between them.
pub fn plan(spans: &[Span], summarised: impl Fn(NaiveDate) -> bool) -> DayPlan {
    let mut out = DayPlan::default();
    for (i, span) in spans.iter().enumerate() {
        let mut cursor = span.start;
        while cursor < span.end {
            let d = local_date(cursor);
            let Some(day) = day_span(d) else {
                out.raw.push((
                    i,
                    Span {
                        start: cursor,
                        end: span.end,
                    },
                ));
                break;
            };
            if day.start >= span.start && day.end <= span.end && summarised(d) {
                out.days.push((i, d));
                cursor = day.end;
                continue;
            }
            let end = day.end.min(span.end);
            match out.raw.last_mut() {
                Some((j, last)) if *j == i && last.end == cursor => last.end = end,
                _ => out.raw.push((i, Span { start: cursor, end })),
            }
            cursor = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::bucket::{BucketSize, spans};
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn keys_are_local_dates() {
        let d = date("2026-11-09");
        assert_eq!(day_key(d), 20261109);
        assert_eq!(day_from_key(20261109), Some(d));
        assert_eq!(day_from_key(20261131), None);
        assert_eq!(local_date(at("2026-11-09T16:59:59Z")), date("2026-11-09"));
        assert_eq!(local_date(at("2026-11-09T17:00:00Z")), date("2026-11-10"));
        let s = day_span(date("2026-11-10")).unwrap();
        assert_eq!(
            (s.start, s.end),
            (at("2026-11-09T17:00:00Z"), at("2026-11-10T17:00:00Z"))
        );
    }

    #[test]
    fn whole_summarised_days_and_the_rest() {
        // A week bucket from Friday 20 Nov 08:30 local: the first day is
        // partial, 21 and 22 are summarised, 23 (a Monday) opens the next
        // bucket and is not summarised.
        let s = spans(
            at("2026-11-20T08:30:00+07:00"),
            at("2026-11-24T00:00:00+07:00"),
            BucketSize::Week,
        )
        .unwrap();
        let summarised = |d: NaiveDate| d < date("2026-11-23");
        let p = plan(&s, summarised);
        assert_eq!(p.days, [(0, date("2026-11-21")), (0, date("2026-11-22"))]);
        assert_eq!(
            p.raw,
            [
                (
                    0,
                    Span {
                        start: at("2026-11-20T08:30:00+07:00"),
                        end: at("2026-11-21T00:00:00+07:00")
                    }
                ),
                (
                    1,
                    Span {
                        start: at("2026-11-23T00:00:00+07:00"),
                        end: at("2026-11-24T00:00:00+07:00")
                    }
                ),
            ]
        );
        // Adjacent raw days are one stretch.
        let p = plan(&s, |_| false);
        assert!(p.days.is_empty());
        assert_eq!(p.raw.len(), 2);
        assert_eq!(p.raw[0].1.end, at("2026-11-23T00:00:00+07:00"));
        // Hour buckets never hold a whole day.
        let h = spans(
            at("2026-11-20T00:00:00+07:00"),
            at("2026-11-21T00:00:00+07:00"),
            BucketSize::Hour,
        )
        .unwrap();
        let p = plan(&h, |_| true);
        assert!(p.days.is_empty());
        assert_eq!(p.raw.len(), 24);
    }

    #[test]
    fn groups_read_their_dimension() {
        assert_eq!(SummaryDimension::for_group(None), SummaryDimension::None);
        assert_eq!(
            SummaryDimension::for_group(Some(CallGroup::Unit)),
            SummaryDimension::None
        );
        assert_eq!(
            SummaryDimension::for_group(Some(CallGroup::Agent)),
            SummaryDimension::Agent
        );
        assert_eq!(
            SummaryDimension::for_work_order_group(Some(WorkOrderGroup::Category)),
            SummaryDimension::None
        );
        assert_eq!(
            SummaryDimension::for_work_order_group(Some(WorkOrderGroup::Team)),
            SummaryDimension::Team
        );
    }
}
