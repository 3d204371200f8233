//! Service targets ("2 hours", "3 working days") and their deadlines, with
//! time on hold taken out.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::Calendar;
use super::working_time::{Finish, NEVER, stopwatch};

/// How long a request may take. Stored as `{"working_days": 3}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Around the clock, whatever the calendar (restoring supply: 2 hours).
    ClockHours(u32),
    /// Whole working days, counted as [`Calendar::add_working_days`] does
    /// (a new supply: 3, 5, 7 working days).
    WorkingDays(u32),
    /// Hours inside the calendar's working periods.
    WorkingHours(u32),
}

/// `start + duration`: clock time, nights and holidays included. Saturates
/// at [`NEVER`].
pub fn add_clock_time(start: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
    start.checked_add_signed(duration).unwrap_or(NEVER)
}

/// See [`Target::due_with_pauses`].
pub fn due_with_pauses(
    target: Target,
    calendar: &Calendar,
    start: DateTime<Utc>,
    pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    target.due_with_pauses(calendar, start, pauses, now)
}

impl Target {
    /// The deadline of a request received at `start`, in UTC.
    pub fn due(&self, calendar: &Calendar, start: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Target::ClockHours(h) => add_clock_time(start, TimeDelta::hours(h.into())),
            Target::WorkingDays(n) => calendar.add_working_days(start, n),
            Target::WorkingHours(h) => calendar.add_working_time(start, TimeDelta::hours(h.into())),
        }
    }

    /// The deadline when the request was on hold (waiting for the customer,
    /// for a permit) during `pauses`; None while it is on hold.
    ///
    /// The target is a budget of time, spent from when counting starts and
    /// measured like the target: clock time for clock hours; working time
    /// for working hours (counting from `start`) and for working days
    /// (counting from the opening of the first counted day, the budget
    /// being the working time of those N days). The deadline is the instant
    /// at which the time counted, less the time on hold, reaches the
    /// budget. So a pause moves the deadline later by exactly the part of
    /// it that is counted time before the deadline:
    ///
    /// - a pause over a night or a weekend moves a working-time deadline by
    ///   nothing; for a clock target it moves it by its full length;
    /// - a pause on the day of receipt moves a working-days deadline by
    ///   nothing (that day does not count anyway);
    /// - a pause starting after the deadline moves nothing: the request
    ///   was already late;
    /// - overlapping pauses count once;
    /// - a working-days deadline moved by a pause can land mid-day: 2
    ///   working hours on hold move Friday 17:00 to Monday 09:00.
    ///
    /// Pauses are facts as of `now`: one that starts after `now` is ignored,
    /// one without an end, or ending after `now`, is still running. While a
    /// pause runs the deadline is suspended (None), unless it had already
    /// passed when the pause began. Without pauses this is [`Target::due`].
    pub fn due_with_pauses(
        &self,
        calendar: &Calendar,
        start: DateTime<Utc>,
        pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let holds = holds_as_of(pauses, now);
        let finish = match *self {
            Target::ClockHours(h) => stopwatch(std::iter::once((start, NEVER)), &holds, TimeDelta::hours(h.into())),
            Target::WorkingHours(h) => {
                stopwatch(calendar.working_spans_from(start), &holds, TimeDelta::hours(h.into()))
            }
            Target::WorkingDays(n) => match calendar.working_days_window(start, n) {
                Some((from, due)) => {
                    let budget = calendar.working_time_between(from, due);
                    stopwatch(calendar.working_spans_from(from), &holds, budget)
                }
                None => Finish::Never,
            },
        };
        match finish {
            Finish::At(due) => Some(due),
            Finish::Suspended => None,
            Finish::Never => Some(NEVER),
        }
    }
}

/// The pauses that have begun by `now`, sorted and merged; `None` ends are
/// still running.
fn holds_as_of(
    pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let mut begun: Vec<_> = pauses
        .iter()
        .filter(|(paused, _)| *paused <= now)
        .map(|&(paused, resumed)| (paused, resumed.filter(|r| *r <= now)))
        .filter(|(paused, resumed)| resumed.is_none_or(|r| r > *paused))
        .collect();
    begun.sort_by_key(|&(paused, _)| paused);
    let mut merged: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = Vec::with_capacity(begun.len());
    for (paused, resumed) in begun {
        match merged.last_mut() {
            Some(last) if last.1.is_none_or(|end| paused <= end) => {
                last.1 = last.1.zip(resumed).map(|(a, b)| a.max(b));
            }
            _ => merged.push((paused, resumed)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Asia::Ho_Chi_Minh;

    fn at(local: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        Ho_Chi_Minh.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    fn vn() -> Calendar {
        Calendar::default_vietnam()
    }

    fn pause(from: &str, to: &str) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        (at(from), Some(at(to)))
    }

    const LATER: &str = "2027-01-01 00:00";

    #[test]
    fn due_by_kind() {
        let start = at("2026-11-20 16:00"); // a Friday
        assert_eq!(Target::ClockHours(2).due(&vn(), start), at("2026-11-20 18:00"));
        assert_eq!(Target::WorkingHours(2).due(&vn(), start), at("2026-11-23 08:00"));
        assert_eq!(Target::WorkingDays(3).due(&vn(), start), at("2026-11-25 17:00"));
        assert_eq!(add_clock_time(start, TimeDelta::minutes(90)), at("2026-11-20 17:30"));
        assert_eq!(Target::ClockHours(2).due(&vn(), NEVER), NEVER);
        // An outage on the first day of Tết is still 2 hours.
        assert_eq!(
            Target::ClockHours(2).due(&vn(), at("2026-02-17 23:00")),
            at("2026-02-18 01:00")
        );
    }

    #[test]
    fn target_json() {
        assert_eq!(
            serde_json::to_string(&Target::WorkingDays(3)).unwrap(),
            r#"{"working_days":3}"#
        );
        let t: Target = serde_json::from_str(r#"{"clock_hours":2}"#).unwrap();
        assert_eq!(t, Target::ClockHours(2));
    }

    #[test]
    fn no_pauses_is_due() {
        let start = at("2026-02-13 10:00");
        let now = at(LATER);
        for target in [
            Target::ClockHours(2),
            Target::WorkingHours(20),
            Target::WorkingDays(3),
            Target::WorkingDays(0),
        ] {
            assert_eq!(
                target.due_with_pauses(&vn(), start, &[], now),
                Some(target.due(&vn(), start)),
                "{target:?}"
            );
        }
    }

    #[test]
    fn closed_pauses_move_clock_deadlines_by_their_length() {
        let start = at("2026-11-20 16:00");
        let pauses = [pause("2026-11-20 16:30", "2026-11-20 17:15")];
        let due = Target::ClockHours(2).due_with_pauses(&vn(), start, &pauses, at(LATER));
        assert_eq!(due, Some(at("2026-11-20 18:45")));
    }

    #[test]
    fn closed_pauses_move_working_deadlines_by_their_working_time() {
        let cal = vn();
        let start = at("2026-11-20 10:00"); // Friday
        // On hold 11:00–14:00: 30 min of morning and 1 h of afternoon count.
        let pauses = [pause("2026-11-20 11:00", "2026-11-20 14:00")];
        let due = Target::WorkingHours(4).due_with_pauses(&cal, start, &pauses, at(LATER));
        assert_eq!(Target::WorkingHours(4).due(&cal, start), at("2026-11-20 15:30"));
        assert_eq!(due, Some(at("2026-11-20 17:00")));
        // On hold over the weekend: nothing moves (5h30 on Friday, 2h30 on Monday).
        let weekend = [pause("2026-11-20 17:30", "2026-11-23 06:00")];
        let due = Target::WorkingHours(8).due_with_pauses(&cal, start, &weekend, at(LATER));
        assert_eq!(due, Some(at("2026-11-23 09:30")));
        // Working days: 2 working hours on hold move Wednesday 17:00 to Thursday 09:00.
        let on_hold = [pause("2026-11-23 09:00", "2026-11-23 11:00")];
        let due = Target::WorkingDays(3).due_with_pauses(&cal, start, &on_hold, at(LATER));
        assert_eq!(Target::WorkingDays(3).due(&cal, start), at("2026-11-25 17:00"));
        assert_eq!(due, Some(at("2026-11-26 09:00")));
        // A pause on the day of receipt does not count for working days.
        let same_day = [pause("2026-11-20 13:00", "2026-11-20 17:00")];
        let due = Target::WorkingDays(3).due_with_pauses(&cal, start, &same_day, at(LATER));
        assert_eq!(due, Some(at("2026-11-25 17:00")));
    }

    #[test]
    fn overlapping_pauses_count_once() {
        let start = at("2026-11-20 08:00");
        let pauses = [
            pause("2026-11-20 09:00", "2026-11-20 10:00"),
            pause("2026-11-20 09:30", "2026-11-20 10:30"),
            pause("2026-11-20 10:30", "2026-11-20 11:00"),
        ];
        let due = Target::ClockHours(4).due_with_pauses(&vn(), start, &pauses, at(LATER));
        assert_eq!(due, Some(at("2026-11-20 14:00")));
    }

    #[test]
    fn an_open_pause_suspends_the_deadline() {
        let start = at("2026-11-20 08:00");
        let open = [(at("2026-11-20 09:00"), None)];
        assert_eq!(
            Target::WorkingDays(3).due_with_pauses(&vn(), start, &open, at("2026-11-21 00:00")),
            None
        );
        assert_eq!(
            Target::ClockHours(2).due_with_pauses(&vn(), start, &open, at("2026-11-21 00:00")),
            None
        );
        // A recorded end later than now: still on hold now.
        let ends_later = [pause("2026-11-20 09:00", "2026-11-24 09:00")];
        let now = at("2026-11-21 00:00");
        assert_eq!(
            Target::WorkingDays(3).due_with_pauses(&vn(), start, &ends_later, now),
            None
        );
        // Paused after the deadline had passed: still late, deadline known.
        let late = [(at("2026-11-20 11:00"), None)];
        let due = Target::ClockHours(2).due_with_pauses(&vn(), start, &late, now);
        assert_eq!(due, Some(at("2026-11-20 10:00")));
        // A pause that has not begun yet is ignored.
        let future = [(at("2026-11-20 09:00"), None)];
        let due = Target::ClockHours(2).due_with_pauses(&vn(), start, &future, at("2026-11-20 08:30"));
        assert_eq!(due, Some(at("2026-11-20 10:00")));
    }

    #[test]
    fn free_function_matches_method() {
        let start = at("2026-11-20 08:00");
        let pauses = [pause("2026-11-20 09:00", "2026-11-20 10:00")];
        let now = at(LATER);
        assert_eq!(
            due_with_pauses(Target::WorkingHours(3), &vn(), start, &pauses, now),
            Target::WorkingHours(3).due_with_pauses(&vn(), start, &pauses, now)
        );
        assert_eq!(
            due_with_pauses(Target::WorkingHours(3), &vn(), start, &pauses, now),
            Some(at("2026-11-20 13:30"))
        );
    }
}
