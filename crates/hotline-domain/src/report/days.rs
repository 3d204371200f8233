//! The per-local-day summaries of calls and of work orders: how days are
//! keyed, which dimension a grouping reads, and which parts of a report
//! come from summarised days and which from the raw rows.
//!
//! A day is summarised once it is over (never today), and kept exact by a
//! worker that recomputes a past day whenever one of its calls (or one of
//! their customers), or one of its work orders (or their feedback), changes.
//! The calls are also summarised by the local hour for the last few days
//! ([`Grain::Hour`]), the same way: an hour once it is over. A report reads
//! a bucket's whole summarised days from the day summary, the whole
//! summarised hours of the rest from the hour summary, and everything else
//! — the current hour, slots not summarised yet or changed since, a partial
//! first or last hour — from the rows.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Timelike, Utc};
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

/// How long a summary's slot is: a local day, hour or five minutes
/// (Vietnam keeps +07:00 all year, so every day has 24 hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Day,
    Hour,
    FiveMinutes,
}

impl Grain {
    /// Its name in the summary's tables and columns.
    pub const fn name(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Hour => "hour",
            Grain::FiveMinutes => "five_minutes",
        }
    }

    pub const fn seconds(self) -> i64 {
        match self {
            Grain::Day => 86_400,
            Grain::Hour => 3_600,
            Grain::FiveMinutes => 300,
        }
    }

    /// The key of the slot holding `t`, as stored: YYYYMMDD for a day (see
    /// [`day_key`]), YYYYMMDDHH for an hour, YYYYMMDDHHMM (the slot's first
    /// minute) for five minutes. Keys sort as their slots do.
    pub fn key_of(self, t: DateTime<Utc>) -> i64 {
        let local = t.with_timezone(&Ho_Chi_Minh);
        let day = day_key(local.date_naive());
        let hour = i64::from(local.hour());
        match self {
            Grain::Day => day,
            Grain::Hour => day * 100 + hour,
            Grain::FiveMinutes => (day * 100 + hour) * 100 + i64::from(local.minute() / 5 * 5),
        }
    }

    /// The slot of a key, in UTC; None for a key of no slot.
    pub fn span(self, key: i64) -> Option<Span> {
        let (day, minutes) = match self {
            Grain::Day => return day_span(day_from_key(key)?),
            Grain::Hour => {
                let hour = key.rem_euclid(100);
                (key.div_euclid(100), (hour < 24).then_some(hour * 60)?)
            }
            Grain::FiveMinutes => {
                let (hour, minute) = (key.div_euclid(100).rem_euclid(100), key.rem_euclid(100));
                let valid = hour < 24 && minute < 60 && minute % 5 == 0;
                (key.div_euclid(10_000), valid.then_some(hour * 60 + minute)?)
            }
        };
        let start = local_midnight(day_from_key(day)?)? + TimeDelta::minutes(minutes);
        Some(Span {
            start,
            end: start + TimeDelta::seconds(self.seconds()),
        })
    }

    /// The key of the slot after `key`'s.
    pub fn next(self, key: i64) -> Option<i64> {
        Some(self.key_of(self.span(key)?.end))
    }

    /// The key of the slot numbered `n` counting from the local slot of
    /// 1970-01-01 00:00 at +07:00 (what SQL computes, see the store).
    pub fn key_of_number(self, n: i64) -> Option<i64> {
        let middle = n.checked_mul(self.seconds())? - 25_200 + self.seconds() / 2;
        Some(self.key_of(DateTime::from_timestamp(middle, 0)?))
    }
}

/// Where each bucket's calls are counted from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayPlan {
    /// Whole summarised days, with the bucket each belongs to.
    pub days: Vec<(usize, NaiveDate)>,
    /// Whole summarised slots of the rest, finer than a day (keys, see
    /// [`Grain::key_of`]), with their bucket.
    pub slots: Vec<(Grain, usize, i64)>,
    /// Stretches counted from the calls, with their bucket.
    pub raw: Vec<(usize, Span)>,
}

impl DayPlan {
    /// The whole summarised days by key (see [`day_key`]), with their bucket.
    pub fn day_keys(&self) -> Vec<(usize, i64)> {
        self.days.iter().map(|(i, d)| (*i, day_key(*d))).collect()
    }

    /// The summarised slots of `grain`, with their bucket.
    pub fn slots_of(&self, grain: Grain) -> Vec<(usize, i64)> {
        self.slots
            .iter()
            .filter(|(g, _, _)| *g == grain)
            .map(|(_, i, k)| (*i, *k))
            .collect()
    }

    fn push_raw(&mut self, i: usize, span: Span) {
        match self.raw.last_mut() {
            Some((j, last)) if *j == i && last.end == span.start => last.end = span.end,
            _ => self.raw.push((i, span)),
        }
    }

    /// Splits `piece` of bucket `i` (whose span is `bucket`) into the whole
    /// slots the first of `finer` accepts, the rest by the next of them,
    /// and what none takes into raw stretches.
    fn split(&mut self, i: usize, bucket: Span, piece: Span, finer: &[Finer<'_>]) {
        let Some((f, next)) = finer.split_first() else {
            self.push_raw(i, piece);
            return;
        };
        // Only where the summary may hold slots are they looked at one by one.
        let start = piece.start.max(f.within.start);
        let end = piece.end.min(f.within.end);
        if start >= end {
            self.split(i, bucket, piece, next);
            return;
        }
        if piece.start < start {
            self.split(
                i,
                bucket,
                Span {
                    start: piece.start,
                    end: start,
                },
                next,
            );
        }
        let mut cursor = start;
        while cursor < end {
            let key = f.grain.key_of(cursor);
            let slot = match f.grain.span(key) {
                Some(slot) => slot,
                None => Span { start: cursor, end },
            };
            if slot.start >= bucket.start && slot.end <= bucket.end && slot.start >= cursor && (f.accepts)(key) {
                self.slots.push((f.grain, i, key));
                cursor = slot.end;
                continue;
            }
            let stop = slot.end.min(end);
            self.split(
                i,
                bucket,
                Span {
                    start: cursor,
                    end: stop,
                },
                next,
            );
            cursor = stop;
        }
        if end < piece.end {
            self.split(
                i,
                bucket,
                Span {
                    start: end,
                    end: piece.end,
                },
                next,
            );
        }
    }
}

/// A summary finer than a day as a plan reads it: its grain, the stretch
/// its slots may cover (from its first kept slot to its first not
/// summarised), and which slots there it holds exactly (by key).
pub struct Finer<'a> {
    pub grain: Grain,
    pub within: Span,
    pub accepts: &'a (dyn Fn(i64) -> bool + Sync),
}

/// Splits each bucket into its whole local days that `summarised` accepts
/// and the stretches between them.
pub fn plan(spans: &[Span], summarised: impl Fn(NaiveDate) -> bool) -> DayPlan {
    plan_finer(spans, summarised, &[])
}

/// As [`plan`], then splits each stretch between summarised days into the
/// whole slots the first of `finer` (coarsest first: hours, then five
/// minutes) accepts, what is left by the next, and what none takes into
/// raw stretches.
pub fn plan_finer(spans: &[Span], summarised: impl Fn(NaiveDate) -> bool, finer: &[Finer<'_>]) -> DayPlan {
    let mut out = DayPlan::default();
    for (i, span) in spans.iter().enumerate() {
        let mut cursor = span.start;
        while cursor < span.end {
            let d = local_date(cursor);
            let Some(day) = day_span(d) else {
                out.push_raw(
                    i,
                    Span {
                        start: cursor,
                        end: span.end,
                    },
                );
                break;
            };
            if day.start >= span.start && day.end <= span.end && summarised(d) {
                out.days.push((i, d));
                cursor = day.end;
                continue;
            }
            let end = day.end.min(span.end);
            out.split(i, *span, Span { start: cursor, end }, finer);
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

    /// A finer summary that may hold any slot.
    fn finer<'a>(grain: Grain, accepts: &'a (dyn Fn(i64) -> bool + Sync)) -> Finer<'a> {
        Finer {
            grain,
            within: Span {
                start: DateTime::<Utc>::MIN_UTC,
                end: DateTime::<Utc>::MAX_UTC,
            },
            accepts,
        }
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
    fn hours_are_keyed_by_local_date_and_hour() {
        let h = Grain::Hour;
        assert_eq!(h.key_of(at("2026-11-09T16:59:59Z")), 2026110923);
        assert_eq!(h.key_of(at("2026-11-09T17:00:00Z")), 2026111000);
        let s = h.span(2026111000).unwrap();
        assert_eq!(
            (s.start, s.end),
            (at("2026-11-09T17:00:00Z"), at("2026-11-09T18:00:00Z"))
        );
        assert_eq!(h.next(2026110923), Some(2026111000));
        assert_eq!(h.span(2026111024), None);
        assert_eq!(h.span(2026113100), None);
        assert_eq!(Grain::Day.next(20261130), Some(20261201));
        // What SQL numbers a slot: whole slots since local 1970-01-01 00:00.
        let n = (at("2026-11-09T17:00:00Z").timestamp() + 25_200) / 3_600;
        assert_eq!(h.key_of_number(n), Some(2026111000));
        let n = (at("2026-11-09T17:00:00Z").timestamp() + 25_200) / 86_400;
        assert_eq!(Grain::Day.key_of_number(n), Some(20261110));
    }

    #[test]
    fn the_rest_of_a_day_reads_its_whole_summarised_hours() {
        // 20 Nov from 08:30 to 21 Nov 02:00 local, one bucket: the first
        // hour is partial; hours 09 to 11 are summarised, 12 is not (nor
        // any later); 21 Nov is not a whole day of the bucket.
        let s = [Span {
            start: at("2026-11-20T08:30:00+07:00"),
            end: at("2026-11-21T02:00:00+07:00"),
        }];
        let hours = |k: i64| (2026112009..2026112012).contains(&k) || k == 2026112101;
        let p = plan_finer(&s, |_| true, &[finer(Grain::Hour, &hours)]);
        assert!(p.days.is_empty());
        assert_eq!(
            p.slots_of(Grain::Hour),
            [(0, 2026112009), (0, 2026112010), (0, 2026112011), (0, 2026112101)]
        );
        assert_eq!(
            p.raw,
            [
                (
                    0,
                    Span {
                        start: at("2026-11-20T08:30:00+07:00"),
                        end: at("2026-11-20T09:00:00+07:00")
                    }
                ),
                (
                    0,
                    Span {
                        start: at("2026-11-20T12:00:00+07:00"),
                        end: at("2026-11-21T01:00:00+07:00")
                    }
                ),
            ]
        );
        // Hour buckets read their hours.
        let h = spans(
            at("2026-11-20T00:00:00+07:00"),
            at("2026-11-21T00:00:00+07:00"),
            BucketSize::Hour,
        )
        .unwrap();
        let p = plan_finer(&h, |_| true, &[finer(Grain::Hour, &|_| true)]);
        assert!(p.raw.is_empty());
        let hours = p.slots_of(Grain::Hour);
        assert_eq!(hours.len(), 24);
        assert_eq!(hours[23], (23, 2026112023));
    }

    #[test]
    fn five_minutes_are_keyed_by_their_first_minute() {
        let f = Grain::FiveMinutes;
        assert_eq!(f.key_of(at("2026-11-09T16:59:59Z")), 202611092355);
        assert_eq!(f.key_of(at("2026-11-10T03:07:00Z")), 202611101005);
        let s = f.span(202611101005).unwrap();
        assert_eq!(
            (s.start, s.end),
            (at("2026-11-10T03:05:00Z"), at("2026-11-10T03:10:00Z"))
        );
        assert_eq!(f.next(202611092355), Some(202611100000));
        assert_eq!(f.span(202611101003), None);
        assert_eq!(f.span(202611102400), None);
        let n = (at("2026-11-10T03:07:00Z").timestamp() + 25_200) / 300;
        assert_eq!(f.key_of_number(n), Some(202611101005));
    }

    #[test]
    fn what_no_hour_takes_is_read_by_five_minutes() {
        // 08:02 to 10:13 local: hour 09 summarised; five-minute slots from
        // 08:05 to 08:55 and 10:00 to 10:05 summarised (10:05 is the
        // current one, not summarised); the rest from the calls.
        let s = [Span {
            start: at("2026-11-20T08:02:00+07:00"),
            end: at("2026-11-20T10:13:00+07:00"),
        }];
        let hours = |k: i64| k == 2026112009;
        let fives = |k: i64| (202611200805..=202611200855).contains(&k) || k == 202611201000;
        let p = plan_finer(
            &s,
            |_| true,
            &[finer(Grain::Hour, &hours), finer(Grain::FiveMinutes, &fives)],
        );
        assert_eq!(p.slots_of(Grain::Hour), [(0, 2026112009)]);
        let five = p.slots_of(Grain::FiveMinutes);
        assert_eq!(five.len(), 12);
        assert_eq!(
            (five[0], five[10], five[11]),
            ((0, 202611200805), (0, 202611200855), (0, 202611201000))
        );
        let raw: Vec<(DateTime<Utc>, DateTime<Utc>)> = p.raw.iter().map(|(_, s)| (s.start, s.end)).collect();
        assert_eq!(
            raw,
            [
                (at("2026-11-20T08:02:00+07:00"), at("2026-11-20T08:05:00+07:00")),
                (at("2026-11-20T10:05:00+07:00"), at("2026-11-20T10:13:00+07:00")),
            ]
        );
    }

    #[test]
    fn slots_are_looked_at_only_where_a_summary_holds_them() {
        // Months with no day summarised, hours held from 18 Nov 00:00 to
        // 19 Nov 12:00: the rest is raw, never asked about.
        let s = spans(
            at("2026-01-01T00:00:00+07:00"),
            at("2026-11-20T00:00:00+07:00"),
            BucketSize::Month,
        )
        .unwrap();
        let asked = std::sync::atomic::AtomicU32::new(0);
        let hours = |_: i64| {
            asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            true
        };
        let held = Finer {
            grain: Grain::Hour,
            within: Span {
                start: at("2026-11-18T00:00:00+07:00"),
                end: at("2026-11-19T12:00:00+07:00"),
            },
            accepts: &hours,
        };
        let p = plan_finer(&s, |_| false, &[held]);
        assert_eq!(asked.into_inner(), 36);
        assert_eq!(p.slots_of(Grain::Hour).len(), 36);
        let raw: Vec<(DateTime<Utc>, DateTime<Utc>)> = p.raw.iter().map(|(_, s)| (s.start, s.end)).collect();
        assert_eq!(
            raw.last(),
            Some(&(at("2026-11-19T12:00:00+07:00"), at("2026-11-20T00:00:00+07:00")))
        );
        assert_eq!(raw.len(), 12, "a stretch a month, and one after the hours: {raw:?}");
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
