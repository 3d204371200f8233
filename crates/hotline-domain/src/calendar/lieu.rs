//! Days off in lieu (nghỉ bù): Labour Code 2019, art. 111(3). When a public
//! holiday falls on a weekly rest day, the worker gets the next working day
//! off, every year and for every holiday, solar or lunar.
//!
//! How a calendar computes them for the holidays of a year:
//!
//! - a holiday is **owed** a day when it falls on a weekday without working
//!   periods in the calendar's week (Saturday and Sunday in the default
//!   calendar), unless the administrator made that date an extra working
//!   day. Two holidays on one date (Hùng Kings' day on 30 April) owe one
//!   day: the law compensates the rest day, not the holiday;
//! - the owed days of a **run of days off** (holidays, rest days and extra
//!   holidays next to each other: Tết across a weekend) come after the
//!   whole run, each on the next day that works (neither a rest day, nor a
//!   holiday, nor an extra holiday, nor already a day in lieu), in the order
//!   of the holidays they make up for, named "Nghỉ bù" and the holiday;
//! - the **administrator's entries win**: an extra holiday in the run on a
//!   day that would otherwise work (the government's bridge day, or the day
//!   in lieu it announced) counts as one of the days owed, so a year entered
//!   from the government's decision gets no second day; and a computed day
//!   that falls on an extra working day stays worked (see
//!   [`super::Calendar`]'s precedence).
//!
//! Holidays end on 2 September, so a year's days in lieu stay in that year.

use chrono::{Datelike, NaiveDate};

use super::holidays::{Holiday, public_holidays};
use super::{Calendar, works};

/// How far a walk looks for the edges of a run of days off, or for the
/// next working day: a calendar with no working day at all finds none.
const REACH: usize = 366;

/// What a day is before days in lieu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An administrator's extra holiday.
    ExtraHoliday,
    /// An administrator's extra working day.
    ExtraWorking,
    PublicHoliday,
    /// A weekday without working periods.
    Rest,
    Working,
}

impl Kind {
    fn closed(self) -> bool {
        matches!(self, Kind::ExtraHoliday | Kind::PublicHoliday | Kind::Rest)
    }
}

/// Classifies days, keeping each year's public holidays once computed.
struct Days<'a> {
    calendar: &'a Calendar,
    years: Vec<(i32, Vec<Holiday>)>,
}

impl<'a> Days<'a> {
    fn holidays(&mut self, year: i32) -> &[Holiday] {
        let i = match self.years.iter().position(|(y, _)| *y == year) {
            Some(i) => i,
            None => {
                self.years.push((year, public_holidays(year)));
                self.years.len() - 1
            }
        };
        &self.years[i].1
    }

    fn is_public(&mut self, date: NaiveDate) -> bool {
        self.holidays(date.year()).iter().any(|h| h.date == date)
    }

    fn rest(&self, date: NaiveDate) -> bool {
        !works(self.calendar.week.periods(date.weekday()))
    }

    fn kind(&mut self, date: NaiveDate) -> Kind {
        let cal = self.calendar;
        if cal.extra_holidays.iter().any(|(d, _)| *d == date) {
            Kind::ExtraHoliday
        } else if cal.extra_working_days.iter().any(|(d, _)| *d == date) {
            Kind::ExtraWorking
        } else if self.is_public(date) {
            Kind::PublicHoliday
        } else if self.rest(date) {
            Kind::Rest
        } else {
            Kind::Working
        }
    }

    /// The first and last day of the run of days off holding `date`.
    fn run(&mut self, date: NaiveDate) -> (NaiveDate, NaiveDate) {
        let mut first = date;
        for _ in 0..REACH {
            match first.pred_opt() {
                Some(d) if self.kind(d).closed() => first = d,
                _ => break,
            }
        }
        let mut last = date;
        for _ in 0..REACH {
            match last.succ_opt() {
                Some(d) if self.kind(d).closed() => last = d,
                _ => break,
            }
        }
        (first, last)
    }

    /// Extra holidays in `first..=last` on days that would otherwise work:
    /// the days off the administrator entered for the holiday.
    fn granted(&mut self, first: NaiveDate, last: NaiveDate) -> usize {
        let mut n = 0;
        let mut d = first;
        while d <= last {
            if self.kind(d) == Kind::ExtraHoliday && !self.rest(d) && !self.is_public(d) {
                n += 1;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        n
    }
}

/// The days off in lieu of the public holidays of `year`, in date order,
/// with their names ("Nghỉ bù Giỗ Tổ Hùng Vương"). None when the calendar
/// leaves out public holidays.
pub(super) fn days_in_lieu(calendar: &Calendar, year: i32) -> Vec<(NaiveDate, String)> {
    if !calendar.include_public_holidays {
        return Vec::new();
    }
    let mut days = Days {
        calendar,
        years: Vec::new(),
    };
    // The owed dates, each with the names of its holidays.
    let mut owed: Vec<(NaiveDate, String)> = Vec::new();
    for h in days.holidays(year).to_vec() {
        match owed.last_mut() {
            Some((d, names)) if *d == h.date => {
                names.push_str(", ");
                names.push_str(h.name());
            }
            _ => owed.push((h.date, h.name().to_string())),
        }
    }
    owed.retain(|(d, _)| days.rest(*d) && days.kind(*d) != Kind::ExtraWorking);

    let mut lieu: Vec<(NaiveDate, String)> = Vec::new();
    let mut i = 0;
    while i < owed.len() {
        let (first, last) = days.run(owed[i].0);
        let end = owed[i..].iter().take_while(|(d, _)| *d <= last).count() + i;
        let granted = days.granted(first, last);
        let mut cursor = last;
        for (_, names) in owed[i..end].iter().skip(granted) {
            let Some(day) = next_working(&mut days, cursor, &lieu) else {
                break;
            };
            lieu.push((day, format!("Nghỉ bù {names}")));
            cursor = day;
        }
        i = end;
    }
    lieu.sort_by_key(|(d, _)| *d);
    lieu
}

/// The first day after `after` that works and is not already a day in lieu.
fn next_working(days: &mut Days, after: NaiveDate, taken: &[(NaiveDate, String)]) -> Option<NaiveDate> {
    let mut d = after;
    for _ in 0..REACH {
        d = d.succ_opt()?;
        if !days.kind(d).closed() && !taken.iter().any(|(t, _)| *t == d) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Period;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn listed(cal: &Calendar, year: i32) -> Vec<(String, String)> {
        cal.days_in_lieu(year)
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(d, n)| (d.to_string(), n.to_string())).collect()
    }

    const TET: &str = "Nghỉ bù Tết Nguyên đán";

    /// Worked out by hand for the default week (Saturday and Sunday off),
    /// weekdays checked with a calendar program; lunar new year's days are
    /// the published ones, Hùng Kings' day is 10/3 of the lunar year.
    ///
    /// - 2026: 1/1 Thu; Tết 16–20/2 Mon–Fri; Hùng Kings 26/4 **Sun** (run
    ///   Sat 25–Sun 26) → Mon 27/4; 30/4 Thu, 1/5 Fri; 1/9 Tue, 2/9 Wed.
    /// - 2027: 1/1 Fri; Tết 5/2 Fri, 6/2 **Sat**, 7/2 **Sun**, 8/2 Mon, 9/2
    ///   Tue (one run, Fri 5–Tue 9) → Wed 10/2 and Thu 11/2; Hùng Kings 16/4
    ///   Fri; 30/4 Fri, 1/5 **Sat** (run Fri 30/4–Sun 2/5) → Mon 3/5; 1/9
    ///   Wed, 2/9 Thu.
    /// - 2028: 1/1 **Sat** (run Sat 1–Sun 2) → Mon 3/1; Tết 25/1 Tue … 29/1
    ///   **Sat** (run Tue 25–Sun 30) → Mon 31/1; Hùng Kings 4/4 Tue; 30/4
    ///   **Sun** (run Sat 29/4–Mon 1/5) → Tue 2/5; 1/9 Fri, 2/9 **Sat** (run
    ///   Fri 1–Sun 3) → Mon 4/9.
    /// - 2029: 1/1 Mon; Tết 12–16/2 Mon–Fri; Hùng Kings 23/4 Mon; 30/4 Mon,
    ///   1/5 Tue; 1/9 **Sat**, 2/9 **Sun** → Mon 3/9 and Tue 4/9.
    /// - 2030: 1/1 Tue; lunar new year's day is 2/2 here (the new moon is at
    ///   23:07 in Hà Nội, 00:07 on 3/2 in Beijing, where it is 3/2): Tết 1/2
    ///   Fri, 2/2 **Sat**, 3/2 **Sun**, 4/2 Mon, 5/2 Tue (run Fri 1–Tue 5) →
    ///   Wed 6/2 and Thu 7/2; Hùng Kings' day a weekday in April; 30/4 Tue,
    ///   1/5 Wed; 1/9 **Sun**, 2/9 Mon (run Sat 31/8–Mon 2/9) → Tue 3/9.
    #[test]
    fn days_in_lieu_of_2026_to_2030() {
        let cal = Calendar::default_vietnam();
        assert_eq!(
            listed(&cal, 2026),
            pairs(&[("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương")])
        );
        assert_eq!(
            listed(&cal, 2027),
            pairs(&[
                ("2027-02-10", TET),
                ("2027-02-11", TET),
                ("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
            ])
        );
        assert_eq!(
            listed(&cal, 2028),
            pairs(&[
                ("2028-01-03", "Nghỉ bù Tết Dương lịch"),
                ("2028-01-31", TET),
                ("2028-05-02", "Nghỉ bù Ngày Giải phóng miền Nam"),
                ("2028-09-04", "Nghỉ bù Quốc khánh"),
            ])
        );
        assert_eq!(
            listed(&cal, 2029),
            pairs(&[
                ("2029-09-03", "Nghỉ bù Quốc khánh"),
                ("2029-09-04", "Nghỉ bù Quốc khánh")
            ])
        );
        assert_eq!(
            listed(&cal, 2030),
            pairs(&[
                ("2030-02-06", TET),
                ("2030-02-07", TET),
                ("2030-09-03", "Nghỉ bù Quốc khánh"),
            ])
        );
    }

    #[test]
    fn the_calendar_closes_and_names_them() {
        let cal = Calendar::default_vietnam();
        let day = cal.day(date("2027-02-11"));
        assert_eq!((day.working, day.name.as_deref()), (false, Some(TET)));
        // The run of days off: Tết, then the days in lieu, then work.
        let closed: Vec<bool> = cal
            .days(date("2027-02-04"), date("2027-02-12"))
            .iter()
            .map(|d| d.working)
            .collect();
        assert_eq!(closed, [true, false, false, false, false, false, false, false, true]);
    }

    #[test]
    fn holidays_back_to_back_over_a_weekend_push_each_other() {
        // 2023: Hùng Kings' day Sat 29/4, Liberation Sun 30/4, Labour Day
        // Mon 1/5 → one run Sat 29/4–Mon 1/5; its two days follow it, in
        // the order of the holidays.
        let may = |cal: &Calendar| -> Vec<(String, String)> {
            listed(cal, 2023)
                .into_iter()
                .filter(|(d, _)| d.starts_with("2023-05"))
                .collect()
        };
        let cal = Calendar::default_vietnam();
        assert_eq!(
            may(&cal),
            pairs(&[
                ("2023-05-02", "Nghỉ bù Giỗ Tổ Hùng Vương"),
                ("2023-05-03", "Nghỉ bù Ngày Giải phóng miền Nam"),
            ])
        );
        // A day in lieu skips a closure after the run, and an earlier day in lieu.
        let mut closed = Calendar::default_vietnam();
        closed.extra_holidays.push((date("2023-05-03"), "Kiểm kê".into()));
        assert_eq!(
            may(&closed),
            pairs(&[
                ("2023-05-02", "Nghỉ bù Giỗ Tổ Hùng Vương"),
                ("2023-05-04", "Nghỉ bù Ngày Giải phóng miền Nam"),
            ])
        );
    }

    #[test]
    fn the_administrators_entries_win() {
        // Tết 2024: eve Fri 9/2, Sat 10 and Sun 11 owed. The government gave
        // Thu 8/2 (before Tết) and Wed 14/2: entered as extra holidays, they
        // are the days owed; nothing is added after them.
        let mut cal = Calendar::default_vietnam();
        assert_eq!(
            listed(&cal, 2024)[..2],
            pairs(&[("2024-02-14", TET), ("2024-02-15", TET)])
        );
        cal.extra_holidays.push((date("2024-02-08"), "Nghỉ Tết".into()));
        assert_eq!(listed(&cal, 2024)[..1], pairs(&[("2024-02-14", TET)]));
        cal.extra_holidays.push((date("2024-02-14"), "Nghỉ bù Tết".into()));
        assert!(listed(&cal, 2024).iter().all(|(d, _)| !d.starts_with("2024-02")));
        assert!(cal.day(date("2024-02-15")).working);
        let day = cal.day(date("2024-02-14"));
        assert_eq!((day.working, day.name.as_deref()), (false, Some("Nghỉ bù Tết")));

        // Tết 2025: Sat 1/2 owed; the government swapped Mon 27/1 off for
        // Sat 8/2 and kept Mon 3/2 working.
        let mut cal = Calendar::default_vietnam();
        assert_eq!(listed(&cal, 2025)[..1], pairs(&[("2025-02-03", TET)]));
        cal.extra_holidays.push((date("2025-01-27"), "Nghỉ Tết".into()));
        cal.extra_working_days.push((date("2025-02-08"), "Làm bù".into()));
        assert!(cal.day(date("2025-02-03")).working);

        // An extra working day on a computed day in lieu keeps it worked.
        let mut cal = Calendar::default_vietnam();
        cal.extra_working_days.push((date("2026-04-27"), "Làm việc".into()));
        let day = cal.day(date("2026-04-27"));
        assert_eq!((day.working, day.name.as_deref()), (true, Some("Làm việc")));
        // And one on the holiday itself leaves nothing owed.
        let mut cal = Calendar::default_vietnam();
        cal.extra_working_days.push((date("2026-04-26"), "Trực".into()));
        assert!(listed(&cal, 2026).is_empty());
        // A closure elsewhere in the year changes nothing.
        let mut cal = Calendar::default_vietnam();
        cal.extra_holidays.push((date("2026-03-10"), "Mất điện toà nhà".into()));
        assert_eq!(listed(&cal, 2026).len(), 1);
    }

    #[test]
    fn the_calendars_own_week_says_which_days_are_rest_days() {
        // A team working Saturday mornings rests on Sunday only: Labour Day
        // 2027 on a Saturday owes nothing, Hùng Kings' day 2026 on a Sunday
        // owes Monday.
        let mut cal = Calendar::default_vietnam();
        cal.week.sat = vec![Period::hm((7, 0), (11, 0)).unwrap()];
        assert!(listed(&cal, 2027).iter().all(|(d, _)| d != "2027-05-03"));
        assert_eq!(
            listed(&cal, 2026),
            pairs(&[("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương")])
        );
        // Around the clock: no rest day, nothing owed. Without public
        // holidays, nothing at all.
        let mut always = Calendar::default_vietnam();
        always.week.sat = always.week.mon.clone();
        always.week.sun = always.week.mon.clone();
        assert!(listed(&always, 2028).is_empty());
        let mut none = Calendar::default_vietnam();
        none.include_public_holidays = false;
        assert!(listed(&none, 2028).is_empty());
        assert!(none.day(date("2028-01-03")).working);
    }

    #[test]
    fn every_year_owes_what_falls_on_weekends() {
        let cal = Calendar::default_vietnam();
        for year in 2000..=2100 {
            let owed = public_holidays(year)
                .iter()
                .map(|h| h.date)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter(|d| d.weekday().number_from_monday() >= 6)
                .count();
            let lieu = cal.days_in_lieu(year);
            assert_eq!(lieu.len(), owed, "{year}");
            for (d, name) in &lieu {
                assert!(d.weekday().number_from_monday() <= 5, "{year}: {d}");
                assert!(!public_holidays(year).iter().any(|h| h.date == *d), "{year}: {d}");
                assert!(name.starts_with("Nghỉ bù "), "{year}: {name}");
                assert_eq!(d.year(), year);
            }
        }
    }
}
