//! Working calendars: which days and hours a unit works, so that service
//! deadlines ("3 working days", "8 working hours") can be computed.
//!
//! A [`Calendar`] is plain data, stored as JSON and edited by an
//! administrator: weekly working periods in local time (Asia/Ho_Chi_Minh),
//! whether Vietnam's public holidays apply ([`holidays`], computed from the
//! lunar calendar in [`lunar`]), and the government's yearly decisions as
//! dated exceptions. What a day is, by precedence:
//!
//! 1. an **extra holiday** (a bridge day, a day off in lieu, a closure) is
//!    closed;
//! 2. an **extra working day** is open: with its weekday's periods, or on a
//!    day that has none (a make-up Saturday) with `make_up_periods` — by
//!    default those of the first weekday that has any. Because it outranks
//!    the public holidays it also undoes a default holiday the government
//!    moved (National Day's second day on 3 instead of 1 September: an extra
//!    holiday on the 3rd, an extra working day on the 1st);
//! 3. a **public holiday** is closed when `include_public_holidays`;
//! 4. so is a **day off in lieu** of a public holiday that fell on a weekly
//!    rest day (computed in `lieu`, also when `include_public_holidays`);
//! 5. otherwise the weekday's periods decide.
//!
//! Deadline arithmetic is in [`working_time`] and [`target`].

pub mod holidays;
mod lieu;
pub mod lunar;
pub mod target;
pub mod working_time;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use crate::{DomainError, Validation};
pub use target::{Target, add_clock_time, due_with_pauses};

/// A stretch of working time within one local day. An `end` of 00:00 means
/// midnight at the end of the day, so 00:00–00:00 is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Period {
    /// A period from hours and minutes; None for impossible times.
    pub fn hm(start: (u32, u32), end: (u32, u32)) -> Option<Period> {
        Some(Period {
            start: NaiveTime::from_hms_opt(start.0, start.1, 0)?,
            end: NaiveTime::from_hms_opt(end.0, end.1, 0)?,
        })
    }

    /// Whether it holds any time (it ends after it starts).
    pub fn is_valid(&self) -> bool {
        let (start, end) = self.offsets();
        start < end
    }

    /// Start and end as offsets from the day's midnight.
    fn offsets(&self) -> (TimeDelta, TimeDelta) {
        let start = self.start - NaiveTime::MIN;
        let end = match self.end - NaiveTime::MIN {
            end if end.is_zero() => TimeDelta::days(1),
            end => end,
        };
        (start, end)
    }
}

/// Working periods for each day of the week; a day without periods is a
/// weekly rest day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    #[serde(default)]
    pub mon: Vec<Period>,
    #[serde(default)]
    pub tue: Vec<Period>,
    #[serde(default)]
    pub wed: Vec<Period>,
    #[serde(default)]
    pub thu: Vec<Period>,
    #[serde(default)]
    pub fri: Vec<Period>,
    #[serde(default)]
    pub sat: Vec<Period>,
    #[serde(default)]
    pub sun: Vec<Period>,
}

impl Week {
    /// The same periods Monday to Friday, weekends off.
    pub fn weekdays(periods: &[Period]) -> Week {
        Week {
            mon: periods.to_vec(),
            tue: periods.to_vec(),
            wed: periods.to_vec(),
            thu: periods.to_vec(),
            fri: periods.to_vec(),
            ..Week::default()
        }
    }

    pub fn periods(&self, day: Weekday) -> &[Period] {
        match day {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }

    fn days(&self) -> [(&'static str, &[Period]); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

/// A unit's working calendar. Dates and times are local to Vietnam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub code: String,
    pub name: String,
    pub week: Week,
    pub include_public_holidays: bool,
    /// Days off besides the public holidays, with their names: the
    /// government's bridge days, days off in lieu, one-off closures.
    #[serde(default)]
    pub extra_holidays: Vec<(NaiveDate, String)>,
    /// Days worked although they would be off: make-up Saturdays, or a
    /// default public holiday the government moved elsewhere.
    #[serde(default)]
    pub extra_working_days: Vec<(NaiveDate, String)>,
    /// Hours of an extra working day whose weekday has none; empty means the
    /// periods of the first weekday (from Monday) that has any.
    #[serde(default)]
    pub make_up_periods: Vec<Period>,
}

/// What a calendar says about one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    /// The holiday's or the make-up day's name; None for an ordinary day.
    pub name: Option<String>,
}

impl Calendar {
    /// Monday to Friday 07:00–11:30 and 13:00–17:00, with Vietnam's public holidays.
    pub fn default_vietnam() -> Calendar {
        let periods = [Period::hm((7, 0), (11, 30)), Period::hm((13, 0), (17, 0))];
        Calendar {
            code: "VN".into(),
            name: "Giờ hành chính".into(),
            week: Week::weekdays(&periods.map(|p| p.expect("valid times"))),
            include_public_holidays: true,
            extra_holidays: Vec::new(),
            extra_working_days: Vec::new(),
            make_up_periods: Vec::new(),
        }
    }

    pub fn day(&self, date: NaiveDate) -> DayInfo {
        DayPlanner::new(self).day(date).0
    }

    /// Every day from `from` to `to`, both included (empty when `to` is earlier).
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Vec<DayInfo> {
        let mut planner = DayPlanner::new(self);
        dates_from(from)
            .take_while(|d| *d <= to)
            .map(|d| planner.day(d).0)
            .collect()
    }

    /// The days off in lieu of the public holidays of `year` that fell on a
    /// weekly rest day, in date order, with their names (see the `lieu` module). A
    /// day listed here that is also an extra working day stays worked.
    pub fn days_in_lieu(&self, year: i32) -> Vec<(NaiveDate, String)> {
        lieu::days_in_lieu(self, year)
    }

    /// Every problem with the calendar, by field. The arithmetic copes with
    /// a calendar that fails this (it ignores empty periods and merges
    /// overlapping ones), but an administrator should be told.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut v = Validation::new();
        if self.code.trim().is_empty() {
            v.add("code", "is required");
        }
        if self.name.trim().is_empty() {
            v.add("name", "is required");
        }
        for (day, periods) in self.week.days() {
            check_periods(&mut v, &format!("week.{day}"), periods);
        }
        check_periods(&mut v, "make_up_periods", &self.make_up_periods);
        if !self.week.days().iter().any(|(_, p)| works(p)) {
            v.add("week", "must have at least one working period");
        }
        for (field, list) in [
            ("extra_holidays", &self.extra_holidays),
            ("extra_working_days", &self.extra_working_days),
        ] {
            for (i, (date, name)) in list.iter().enumerate() {
                if name.trim().is_empty() {
                    v.add(format!("{field}[{i}]"), "needs a name");
                }
                if list[..i].iter().any(|(d, _)| d == date) {
                    v.add(format!("{field}[{i}]"), format!("{date} is listed twice"));
                }
            }
        }
        for (i, (date, _)) in self.extra_working_days.iter().enumerate() {
            if self.extra_holidays.iter().any(|(d, _)| d == date) {
                v.add(
                    format!("extra_working_days[{i}]"),
                    format!("{date} is also an extra holiday"),
                );
            }
        }
        v.finish()
    }
}

fn check_periods(v: &mut Validation, field: &str, periods: &[Period]) {
    let mut previous_end = None;
    for (i, period) in periods.iter().enumerate() {
        let (start, end) = period.offsets();
        if !period.is_valid() {
            v.add(format!("{field}[{i}]"), "must end after it starts");
        } else if previous_end.is_some_and(|e| start < e) {
            v.add(format!("{field}[{i}]"), "must start after the period before it ends");
        }
        previous_end = Some(end);
    }
}

/// Answers what each day is, keeping the public holidays and days in lieu
/// of the year last asked for so a walk over many days computes them once a
/// year.
struct DayPlanner<'a> {
    calendar: &'a Calendar,
    year: Option<i32>,
    public: Vec<holidays::Holiday>,
    lieu: Vec<(NaiveDate, String)>,
}

impl<'a> DayPlanner<'a> {
    fn new(calendar: &'a Calendar) -> Self {
        DayPlanner {
            calendar,
            year: None,
            public: Vec::new(),
            lieu: Vec::new(),
        }
    }

    /// The day, and the periods worked on it (empty when not working).
    fn day(&mut self, date: NaiveDate) -> (DayInfo, &'a [Period]) {
        let cal = self.calendar;
        let info = |working: bool, name: Option<String>| DayInfo { date, working, name };
        if let Some((_, name)) = cal.extra_holidays.iter().find(|(d, _)| *d == date) {
            return (info(false, Some(name.clone())), &[]);
        }
        let own = cal.week.periods(date.weekday());
        if let Some((_, name)) = cal.extra_working_days.iter().find(|(d, _)| *d == date) {
            let periods = if works(own) { own } else { self.make_up_periods() };
            return (info(works(periods), Some(name.clone())), periods);
        }
        if cal.include_public_holidays {
            if self.year != Some(date.year()) {
                self.public = holidays::public_holidays(date.year());
                self.lieu = lieu::days_in_lieu(cal, date.year());
                self.year = Some(date.year());
            }
            let names: Vec<&str> = self
                .public
                .iter()
                .filter(|h| h.date == date)
                .map(|h| h.name())
                .collect();
            if !names.is_empty() {
                return (info(false, Some(names.join(", "))), &[]);
            }
            if let Some((_, name)) = self.lieu.iter().find(|(d, _)| *d == date) {
                return (info(false, Some(name.clone())), &[]);
            }
        }
        (info(works(own), None), own)
    }

    fn make_up_periods(&self) -> &'a [Period] {
        let cal = self.calendar;
        if works(&cal.make_up_periods) {
            return &cal.make_up_periods;
        }
        cal.week
            .days()
            .into_iter()
            .map(|(_, p)| p)
            .find(|p| works(p))
            .unwrap_or(&[])
    }
}

/// `first` and every day after it (up to the last date chrono holds,
/// which `NaiveDate::iter_days` leaves out).
fn dates_from(first: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(first), |d| d.succ_opt())
}

fn works(periods: &[Period]) -> bool {
    periods.iter().any(Period::is_valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn named(days: &[DayInfo]) -> Vec<(String, bool, Option<&str>)> {
        days.iter()
            .map(|d| (d.date.to_string(), d.working, d.name.as_deref()))
            .collect()
    }

    #[test]
    fn default_calendar_days() {
        let cal = Calendar::default_vietnam();
        assert!(cal.validate().is_ok());
        assert!(cal.day(date("2026-11-20")).working); // a Friday
        assert!(!cal.day(date("2026-11-21")).working); // Saturday
        assert_eq!(cal.day(date("2026-11-22")).name, None);
        let labour = cal.day(date("2026-05-01"));
        assert_eq!(
            (labour.working, labour.name.as_deref()),
            (false, Some("Ngày Quốc tế Lao động"))
        );
    }

    #[test]
    fn days_lists_the_tet_week_with_names() {
        let cal = Calendar::default_vietnam();
        let tet = Some("Tết Nguyên đán");
        let days = cal.days(date("2026-02-13"), date("2026-02-23"));
        assert_eq!(
            named(&days),
            [
                ("2026-02-13".into(), true, None),
                ("2026-02-14".into(), false, None),
                ("2026-02-15".into(), false, None),
                ("2026-02-16".into(), false, tet),
                ("2026-02-17".into(), false, tet),
                ("2026-02-18".into(), false, tet),
                ("2026-02-19".into(), false, tet),
                ("2026-02-20".into(), false, tet),
                ("2026-02-21".into(), false, None),
                ("2026-02-22".into(), false, None),
                ("2026-02-23".into(), true, None),
            ]
        );
        assert!(cal.days(date("2026-02-23"), date("2026-02-13")).is_empty());
        assert_eq!(cal.days(date("2025-12-25"), date("2026-01-05")).len(), 12);
    }

    #[test]
    fn extra_days_outrank_public_holidays_and_weekends() {
        let mut cal = Calendar::default_vietnam();
        // The government gives 2 and 3 September instead of 1 and 2.
        cal.extra_holidays.push((date("2026-09-03"), "Nghỉ Quốc khánh".into()));
        cal.extra_working_days
            .push((date("2026-09-01"), "Làm việc (Quốc khánh dời sang 3/9)".into()));
        cal.extra_working_days.push((date("2026-01-10"), "Làm bù".into()));
        cal.extra_holidays.push((date("2026-01-12"), "Mất điện toà nhà".into()));
        let days = cal.days(date("2026-09-01"), date("2026-09-03"));
        assert_eq!(
            named(&days),
            [
                ("2026-09-01".into(), true, Some("Làm việc (Quốc khánh dời sang 3/9)")),
                ("2026-09-02".into(), false, Some("Quốc khánh")),
                ("2026-09-03".into(), false, Some("Nghỉ Quốc khánh")),
            ]
        );
        let saturday = cal.day(date("2026-01-10"));
        assert_eq!((saturday.working, saturday.name.as_deref()), (true, Some("Làm bù")));
        assert!(!cal.day(date("2026-01-12")).working);
        assert!(cal.validate().is_ok());
    }

    #[test]
    fn without_public_holidays() {
        let mut cal = Calendar::default_vietnam();
        cal.include_public_holidays = false;
        assert_eq!(
            cal.day(date("2026-02-17")),
            DayInfo {
                date: date("2026-02-17"),
                working: true,
                name: None
            }
        );
    }

    #[test]
    fn validation_names_every_bad_field() {
        let mut cal = Calendar::default_vietnam();
        cal.code = " ".into();
        cal.week.mon.push(Period::hm((16, 0), (18, 0)).unwrap()); // overlaps 13:00–17:00
        cal.week.tue[0] = Period::hm((11, 0), (10, 0)).unwrap();
        cal.extra_holidays.push((date("2026-01-12"), "".into()));
        cal.extra_working_days.push((date("2026-01-12"), "Làm bù".into()));
        cal.extra_working_days.push((date("2026-01-12"), "Làm bù".into()));
        let Err(DomainError::Validation(errors)) = cal.validate() else {
            panic!("should fail")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "code",
                "week.mon[2]",
                "week.tue[0]",
                "extra_holidays[0]",
                "extra_working_days[1]",
                "extra_working_days[0]",
                "extra_working_days[1]",
            ]
        );
        let empty = Calendar {
            week: Week::default(),
            ..Calendar::default_vietnam()
        };
        assert!(empty.validate().is_err());
        let whole_day = Calendar {
            week: Week::weekdays(&[Period::hm((0, 0), (0, 0)).unwrap()]),
            ..empty
        };
        assert!(whole_day.validate().is_ok());
    }

    #[test]
    fn json_round_trip() {
        let mut cal = Calendar::default_vietnam();
        cal.extra_working_days.push((date("2026-01-10"), "Làm bù".into()));
        let json = serde_json::to_value(&cal).unwrap();
        assert_eq!(
            json["week"]["mon"][1],
            serde_json::json!({"start": "13:00:00", "end": "17:00:00"})
        );
        assert_eq!(
            json["extra_working_days"][0],
            serde_json::json!(["2026-01-10", "Làm bù"])
        );
        assert_eq!(serde_json::from_value::<Calendar>(json).unwrap(), cal);
        let minimal = serde_json::json!({
            "code": "PC15", "name": "Điện lực", "include_public_holidays": true,
            "week": {"sat": [{"start": "07:00", "end": "11:00"}]}
        });
        let cal: Calendar = serde_json::from_value(minimal).unwrap();
        assert_eq!(cal.week.sat, [Period::hm((7, 0), (11, 0)).unwrap()]);
        assert!(cal.week.mon.is_empty() && cal.extra_holidays.is_empty());
    }
}
