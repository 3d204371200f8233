//! Working-time arithmetic over a [`Calendar`]: instants are UTC, days and
//! periods are local to Vietnam (Asia/Ho_Chi_Minh).
//!
//! Every walk looks at most [`HORIZON_DAYS`] ahead; a deadline further away,
//! or one a calendar without working time never reaches, is [`NEVER`].

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::{Calendar, DayPlanner, Period, dates_from};

/// How far ahead a walk looks: a century.
pub const HORIZON_DAYS: u64 = 36_525;

/// The deadline that never comes.
pub const NEVER: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// An interval of working time, `[start, end)`.
pub(super) type Span = (DateTime<Utc>, DateTime<Utc>);

impl Calendar {
    /// The deadline `days` working days after `start`, read as Vietnam
    /// reads "within N working days":
    ///
    /// - the day of receipt (the local date of `start`) is never counted,
    ///   whatever the hour: a period in days starts on the day after
    ///   (Civil Code 2015, art. 147). A request received at 06:00 or at
    ///   20:00 on a Monday counts the same, from Tuesday if it works;
    /// - days off (weekends, public and extra holidays, closures) are
    ///   skipped; extra working days (make-up Saturdays) count;
    /// - the deadline is the end of the last working period of the Nth
    ///   working day, when the office closes (the law would allow until
    ///   midnight; the unit must answer during its hours).
    ///
    /// `0` days means the same working day: the end of the day of receipt
    /// if it works and the request came before closing time, otherwise the
    /// end of the next working day. Example: received on Friday 2026-02-13,
    /// 3 working days skip the weekend, Tết (16–20 February) and the next
    /// weekend: Monday 23, Tuesday 24, Wednesday 25 → 2026-02-25 17:00
    /// local (10:00 UTC).
    pub fn add_working_days(&self, start: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        self.working_days_window(start, days).map_or(NEVER, |(_, due)| due)
    }

    /// The instant when `duration` of working time has passed since
    /// `start`. Only working periods count: a request at 11:45 with
    /// 07:00–11:30 and 13:00–17:00 starts counting at 13:00. Time that runs
    /// out exactly at the end of a period is due then, not at the next
    /// opening. A zero or negative duration is due at the first working
    /// instant from `start` (`start` itself during working hours).
    pub fn add_working_time(&self, start: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
        match stopwatch(self.working_spans_from(start), &[], duration) {
            Finish::At(due) => due,
            Finish::Suspended | Finish::Never => NEVER,
        }
    }

    /// Working time in `[a, b)`; zero when `b` is not after `a`. Counts at
    /// most [`HORIZON_DAYS`] from `a`.
    pub fn working_time_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        self.working_spans_from(a)
            .take_while(|&(start, _)| start < b)
            .fold(TimeDelta::zero(), |sum, (start, end)| sum + (end.min(b) - start))
    }

    /// When counting starts and the deadline, for `days` working days from
    /// `start` (see [`Calendar::add_working_days`]); None beyond the horizon.
    pub(super) fn working_days_window(&self, start: DateTime<Utc>, days: u32) -> Option<Span> {
        let received = local_date(start);
        let last = received
            .checked_add_days(Days::new(HORIZON_DAYS))
            .unwrap_or(NaiveDate::MAX);
        let mut planner = DayPlanner::new(self);
        let mut working_days = dates_from(received).take_while(|d| *d <= last).filter_map(|date| {
            let spans = day_spans(date, planner.day(date).1);
            Some((date, spans.first()?.0, spans.last()?.1))
        });
        if days == 0 {
            return working_days
                .find(|&(_, _, end)| end > start)
                .map(|(_, _, end)| (start, end));
        }
        let mut counted = working_days.skip_while(|&(date, _, _)| date == received);
        let (_, opening, first_closing) = counted.next()?;
        let due = match days {
            1 => first_closing,
            _ => counted.nth(days as usize - 2)?.2,
        };
        Some((opening, due))
    }

    /// The working intervals from `from` on, in order, the first one cut at `from`.
    pub(super) fn working_spans_from(&self, from: DateTime<Utc>) -> impl Iterator<Item = Span> + '_ {
        let first = local_date(from);
        let last = first
            .checked_add_days(Days::new(HORIZON_DAYS))
            .unwrap_or(NaiveDate::MAX);
        let mut planner = DayPlanner::new(self);
        dates_from(first)
            .take_while(move |d| *d <= last)
            .flat_map(move |date| day_spans(date, planner.day(date).1))
            .filter(move |&(_, end)| end > from)
            .map(move |(start, end)| (start.max(from), end))
    }
}

/// The local date of an instant in Vietnam.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    // By hand rather than `with_timezone`, which panics on the last instants
    // chrono can hold ([`NEVER`] among them).
    let offset = Ho_Chi_Minh.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc()
        .checked_add_offset(offset)
        .map_or(NaiveDate::MAX, |local| local.date())
}

/// The day's working periods as UTC intervals, in order; empty periods are
/// dropped and overlapping or touching ones merged.
fn day_spans(date: NaiveDate, periods: &[Period]) -> Vec<Span> {
    let mut offsets: Vec<_> = periods.iter().filter(|p| p.is_valid()).map(Period::offsets).collect();
    offsets.sort();
    let mut merged: Vec<(TimeDelta, TimeDelta)> = Vec::with_capacity(offsets.len());
    for (start, end) in offsets {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(start, end)| Some((local_instant(date, start)?, local_instant(date, end)?)))
        .collect()
}

/// The instant `offset` after local midnight starting `date`.
fn local_instant(date: NaiveDate, offset: TimeDelta) -> Option<DateTime<Utc>> {
    let naive = date.and_time(NaiveTime::MIN).checked_add_signed(offset)?;
    match Ho_Chi_Minh.from_local_datetime(&naive).earliest() {
        Some(t) => Some(t.with_timezone(&Utc)),
        // A local time skipped by a clock change (the last was in 1975): read it at today's offset.
        None => Some(Utc.from_utc_datetime(&naive.checked_sub_signed(TimeDelta::hours(7))?)),
    }
}

/// How a walk against a budget ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Finish {
    /// The budget ran out at this instant.
    At(DateTime<Utc>),
    /// An open hold started before it ran out.
    Suspended,
    /// The intervals ended first (the horizon, or no working time at all).
    Never,
}

/// Spends `budget` over `spans` (in order), skipping time on hold. Holds
/// are sorted and disjoint; an open one (no end) lasts for ever.
pub(super) fn stopwatch(
    spans: impl Iterator<Item = Span>,
    holds: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    budget: TimeDelta,
) -> Finish {
    let mut left = budget.max(TimeDelta::zero());
    let mut holds = holds.iter().peekable();
    for (start, end) in spans {
        let mut now = start;
        while now < end {
            while let Some((_, Some(resumed))) = holds.peek()
                && *resumed <= now
            {
                holds.next();
            }
            let until = match holds.peek() {
                Some((paused, resumed)) if *paused <= now => match resumed {
                    Some(resumed) => {
                        now = *resumed;
                        continue;
                    }
                    None => return Finish::Suspended,
                },
                Some((paused, _)) => (*paused).min(end),
                None => end,
            };
            if left <= until - now {
                return now.checked_add_signed(left).map_or(Finish::Never, Finish::At);
            }
            left -= until - now;
            now = until;
        }
    }
    Finish::Never
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Week;

    /// A local time in Vietnam ("2026-02-13 08:00"), as UTC.
    fn at(local: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        Ho_Chi_Minh.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    fn vn() -> Calendar {
        Calendar::default_vietnam()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn local_times_are_utc_plus_7() {
        assert_eq!(at("2026-02-25 17:00").to_rfc3339(), "2026-02-25T10:00:00+00:00");
        assert_eq!(local_date(at("2026-02-25 00:30")), date("2026-02-25"));
    }

    #[test]
    fn working_days_skip_the_weekend() {
        // Wednesday → Thursday, Friday, Monday.
        assert_eq!(vn().add_working_days(at("2026-11-18 09:00"), 3), at("2026-11-23 17:00"));
        // Before opening, the day of receipt still does not count.
        assert_eq!(vn().add_working_days(at("2026-11-18 06:00"), 1), at("2026-11-19 17:00"));
        // Received on a Saturday or Sunday: Monday is day 1.
        assert_eq!(vn().add_working_days(at("2026-11-21 10:00"), 1), at("2026-11-23 17:00"));
        assert_eq!(vn().add_working_days(at("2026-11-22 23:59"), 5), at("2026-11-27 17:00"));
    }

    #[test]
    fn friday_evening_counts_from_monday() {
        assert_eq!(vn().add_working_days(at("2026-11-20 19:30"), 1), at("2026-11-23 17:00"));
        assert_eq!(vn().add_working_days(at("2026-11-20 19:30"), 5), at("2026-11-27 17:00"));
        assert_eq!(
            vn().add_working_time(at("2026-11-20 19:30"), TimeDelta::hours(2)),
            at("2026-11-23 09:00")
        );
    }

    #[test]
    fn new_supply_before_tet_waits_for_the_holiday() {
        // Friday 13 February 2026; Tết 16–20 February, then the weekend.
        let start = at("2026-02-13 10:00");
        assert_eq!(vn().add_working_days(start, 3), at("2026-02-25 17:00"));
        assert_eq!(vn().add_working_days(start, 5), at("2026-02-27 17:00"));
        assert_eq!(vn().add_working_days(start, 7), at("2026-03-03 17:00"));
        // The rest of Friday counts in hours: 1h30 + 4h left, then Monday 23rd.
        assert_eq!(
            vn().add_working_time(start, TimeDelta::hours(8)),
            at("2026-02-23 09:30")
        );
    }

    #[test]
    fn public_holidays_are_skipped() {
        // Wednesday 29 April 2026: 30 April and 1 May are off, then the weekend.
        assert_eq!(vn().add_working_days(at("2026-04-29 08:00"), 1), at("2026-05-04 17:00"));
        // Hùng Kings' day 2025 was Monday 7 April.
        assert_eq!(vn().add_working_days(at("2025-04-04 08:00"), 1), at("2025-04-08 17:00"));
        // 1 and 2 September 2026 (Tuesday, Wednesday).
        assert_eq!(vn().add_working_days(at("2026-08-31 08:00"), 1), at("2026-09-03 17:00"));
    }

    #[test]
    fn days_off_in_lieu_are_skipped() {
        // Thursday 23 April 2026: Hùng Kings' day is Sunday 26th, so Monday
        // 27th is off in lieu. 3 working days: Friday 24th, Tuesday 28th,
        // Wednesday 29th (Tuesday 28th without the day in lieu).
        assert_eq!(vn().add_working_days(at("2026-04-23 10:00"), 3), at("2026-04-29 17:00"));
        // Tết 2027 is Friday 5 to Tuesday 9 February and takes Saturday 6
        // and Sunday 7: Wednesday 10th and Thursday 11th are off too, so from
        // Thursday 4th the first working day is Friday 12th (not Wednesday).
        assert_eq!(vn().add_working_days(at("2027-02-04 10:00"), 1), at("2027-02-12 17:00"));
    }

    #[test]
    fn make_up_saturdays_count() {
        let mut cal = vn();
        cal.extra_working_days.push((date("2026-11-21"), "Làm bù".into()));
        // Friday → the make-up Saturday is day 1, on Monday–Friday hours.
        assert_eq!(cal.add_working_days(at("2026-11-20 09:00"), 1), at("2026-11-21 17:00"));
        assert_eq!(cal.add_working_days(at("2026-11-20 09:00"), 2), at("2026-11-23 17:00"));
        assert_eq!(
            cal.add_working_time(at("2026-11-21 16:00"), TimeDelta::hours(2)),
            at("2026-11-23 08:00")
        );
        // With its own (morning only) hours.
        cal.make_up_periods = vec![Period::hm((7, 30), (11, 30)).unwrap()];
        assert_eq!(cal.add_working_days(at("2026-11-20 09:00"), 1), at("2026-11-21 11:30"));
        assert_eq!(
            cal.working_time_between(at("2026-11-21 00:00"), at("2026-11-22 00:00")),
            TimeDelta::hours(4)
        );
    }

    #[test]
    fn extra_closures_are_skipped() {
        let mut cal = vn();
        cal.extra_holidays.push((date("2026-11-23"), "Nghỉ bù".into()));
        cal.extra_holidays.push((date("2026-11-24"), "Sửa chữa trụ sở".into()));
        assert_eq!(cal.add_working_days(at("2026-11-20 09:00"), 1), at("2026-11-25 17:00"));
        // A bridge day the government swaps with a make-up Saturday.
        cal.extra_working_days.push((date("2026-11-28"), "Làm bù".into()));
        assert_eq!(cal.add_working_days(at("2026-11-26 09:00"), 2), at("2026-11-28 17:00"));
    }

    #[test]
    fn the_same_working_day() {
        assert_eq!(vn().add_working_days(at("2026-11-20 09:00"), 0), at("2026-11-20 17:00"));
        assert_eq!(vn().add_working_days(at("2026-11-20 06:00"), 0), at("2026-11-20 17:00"));
        assert_eq!(vn().add_working_days(at("2026-11-20 17:00"), 0), at("2026-11-23 17:00"));
        assert_eq!(vn().add_working_days(at("2026-11-21 09:00"), 0), at("2026-11-23 17:00"));
    }

    #[test]
    fn two_periods_a_day() {
        let cal = vn();
        // At 11:45 the clock starts at 13:00.
        assert_eq!(
            cal.add_working_time(at("2026-11-20 11:45"), TimeDelta::hours(1)),
            at("2026-11-20 14:00")
        );
        // 07:00 + 4h30 is the end of the morning, not the afternoon's opening.
        let morning = TimeDelta::minutes(270);
        assert_eq!(
            cal.add_working_time(at("2026-11-20 07:00"), morning),
            at("2026-11-20 11:30")
        );
        assert_eq!(
            cal.add_working_time(at("2026-11-20 10:00"), TimeDelta::hours(2)),
            at("2026-11-20 13:30")
        );
        // A working day is 8h30; 8 working hours from Thursday 16:00 end Friday 15:30.
        assert_eq!(
            cal.add_working_time(at("2026-11-19 16:00"), TimeDelta::hours(8)),
            at("2026-11-20 15:30")
        );
        // Zero: due now in working hours, at the next opening outside them.
        assert_eq!(
            cal.add_working_time(at("2026-11-20 10:00"), TimeDelta::zero()),
            at("2026-11-20 10:00")
        );
        assert_eq!(
            cal.add_working_time(at("2026-11-20 12:00"), TimeDelta::zero()),
            at("2026-11-20 13:00")
        );
    }

    #[test]
    fn working_time_between_instants() {
        let cal = vn();
        let day = TimeDelta::minutes(510);
        assert_eq!(
            cal.working_time_between(at("2026-11-20 00:00"), at("2026-11-21 00:00")),
            day
        );
        assert_eq!(
            cal.working_time_between(at("2026-11-16 00:00"), at("2026-11-23 00:00")),
            day * 5
        );
        assert_eq!(
            cal.working_time_between(at("2026-11-20 11:00"), at("2026-11-20 13:30")),
            TimeDelta::minutes(60)
        );
        assert_eq!(
            cal.working_time_between(at("2026-11-21 08:00"), at("2026-11-22 20:00")),
            TimeDelta::zero()
        );
        assert_eq!(
            cal.working_time_between(at("2026-11-20 15:00"), at("2026-11-20 09:00")),
            TimeDelta::zero()
        );
        // Tết week 2026: only Friday 13th and Monday 23rd.
        assert_eq!(
            cal.working_time_between(at("2026-02-13 00:00"), at("2026-02-24 00:00")),
            day * 2
        );
    }

    #[test]
    fn odd_calendars_never_hang() {
        let closed = Calendar {
            week: Week::default(),
            ..vn()
        };
        assert_eq!(closed.add_working_days(at("2026-11-20 09:00"), 3), NEVER);
        assert_eq!(
            closed.add_working_time(at("2026-11-20 09:00"), TimeDelta::hours(1)),
            NEVER
        );
        assert_eq!(
            closed.working_time_between(at("2026-01-01 00:00"), at("2027-01-01 00:00")),
            TimeDelta::zero()
        );
        // Overlapping, reversed and unordered periods: only real time counts, once.
        let messy = Week::weekdays(&[
            Period::hm((13, 0), (17, 0)).unwrap(),
            Period::hm((16, 0), (18, 0)).unwrap(),
            Period::hm((11, 0), (9, 0)).unwrap(),
        ]);
        let cal = Calendar { week: messy, ..vn() };
        assert_eq!(
            cal.working_time_between(at("2026-11-20 00:00"), at("2026-11-21 00:00")),
            TimeDelta::hours(5)
        );
        // Absurd targets and starts end at NEVER, quickly and without panicking.
        let end_of_time = NEVER - TimeDelta::days(3);
        assert_eq!(vn().add_working_days(at("2026-11-20 09:00"), u32::MAX), NEVER);
        assert_eq!(vn().add_working_days(NEVER, 1), NEVER);
        assert_eq!(vn().add_working_days(end_of_time, 5), NEVER);
        assert_eq!(vn().add_working_time(end_of_time, TimeDelta::hours(100)), NEVER);
        assert!(vn().working_time_between(end_of_time, NEVER) <= TimeDelta::days(3));
        assert_eq!(vn().days(NaiveDate::MAX, NaiveDate::MAX).len(), 1);
        // Around the clock.
        let always = Calendar {
            week: Week {
                sat: vec![Period::hm((0, 0), (0, 0)).unwrap()],
                ..vn().week
            },
            ..vn()
        };
        assert_eq!(
            always.add_working_time(at("2026-11-21 22:00"), TimeDelta::hours(3)),
            at("2026-11-23 08:00")
        );
        assert_eq!(
            always.add_working_time(at("2026-11-21 20:00"), TimeDelta::hours(3)),
            at("2026-11-21 23:00")
        );
    }
}
