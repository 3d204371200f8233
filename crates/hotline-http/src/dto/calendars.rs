//! Working-calendar bodies. The domain `Calendar` keeps dated exceptions as
//! tuples; here they are objects (`{"date", "name"}`) and times are
//! `"HH:MM"` strings, which generated clients handle well.

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use hotline_domain::calendar::{Calendar, DayInfo, Period, Week};
use hotline_domain::sla::StoredCalendar;
use hotline_domain::{DomainError, Validation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A stretch of working time within a day, local time (Asia/Ho_Chi_Minh).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Period)]
pub struct PeriodDto {
    /// `HH:MM` (or `HH:MM:SS`).
    #[schema(example = "07:00", pattern = r"^\d{2}:\d{2}(:\d{2})?$")]
    pub start: String,
    /// `HH:MM` (or `HH:MM:SS`); `24:00` (or `00:00`) is the end of the day.
    #[schema(example = "11:30", pattern = r"^\d{2}:\d{2}(:\d{2})?$")]
    pub end: String,
}

/// A dated exception, with its name.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NamedDay)]
pub struct NamedDayDto {
    #[schema(example = "2026-09-03")]
    pub date: NaiveDate,
    #[schema(example = "Nghỉ Quốc khánh")]
    pub name: String,
}

/// Working periods for each day of the week; a day left out or empty is a
/// weekly rest day.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Week)]
pub struct WeekDto {
    #[serde(default)]
    pub mon: Vec<PeriodDto>,
    #[serde(default)]
    pub tue: Vec<PeriodDto>,
    #[serde(default)]
    pub wed: Vec<PeriodDto>,
    #[serde(default)]
    pub thu: Vec<PeriodDto>,
    #[serde(default)]
    pub fri: Vec<PeriodDto>,
    #[serde(default)]
    pub sat: Vec<PeriodDto>,
    #[serde(default)]
    pub sun: Vec<PeriodDto>,
}

fn default_true() -> bool {
    true
}

/// A calendar to create or replace (the code is in the URL).
///
/// What a day is, by precedence: an extra holiday is closed; an extra
/// working day is open (with its weekday's periods, or `make_up_periods` on
/// a day that has none, such as a make-up Saturday); a public holiday is
/// closed when `include_public_holidays`, and so is the day off in lieu of
/// one that fell on a weekly rest day (the next working day after the run of
/// holidays, "Nghỉ bù …"; an extra holiday next to the holidays on a working
/// day counts as one); otherwise the week decides.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarBody {
    #[schema(example = "Giờ hành chính Điện lực Cà Mau")]
    pub name: String,
    /// The unit the calendar applies to (`PC15`). Not yet checked against
    /// the units.
    pub unit_code: Option<String>,
    pub week: WeekDto,
    /// Vietnam's public holidays (Labour Code art. 112, Tết and Hùng Kings'
    /// day from the lunar calendar) and their days off in lieu (art. 111)
    /// are closed. Default true.
    #[serde(default = "default_true")]
    pub include_public_holidays: bool,
    /// Days off besides the public holidays: bridge days, days off in lieu,
    /// closures.
    #[serde(default)]
    pub extra_holidays: Vec<NamedDayDto>,
    /// Days worked although they would be off: make-up Saturdays, or a
    /// public holiday the government moved.
    #[serde(default)]
    pub extra_working_days: Vec<NamedDayDto>,
    /// Hours of an extra working day whose weekday has none; empty means the
    /// periods of the first weekday (from Monday) that has any.
    #[serde(default)]
    pub make_up_periods: Vec<PeriodDto>,
}

fn parse_time(raw: &str, end: bool) -> Option<NaiveTime> {
    let raw = raw.trim();
    if end && (raw == "24:00" || raw == "24:00:00") {
        return Some(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .ok()
}

fn format_time(t: NaiveTime, end: bool) -> String {
    if end && t == NaiveTime::MIN {
        "24:00".into()
    } else if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn periods(v: &mut Validation, field: &str, list: &[PeriodDto]) -> Vec<Period> {
    let mut out = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let start = parse_time(&p.start, false);
        let end = parse_time(&p.end, true);
        if start.is_none() {
            v.add(format!("{field}[{i}].start"), "must be a time of day, HH:MM");
        }
        if end.is_none() {
            v.add(
                format!("{field}[{i}].end"),
                "must be a time of day, HH:MM (24:00 for midnight)",
            );
        }
        if let (Some(start), Some(end)) = (start, end) {
            out.push(Period { start, end });
        }
    }
    out
}

fn named_days(list: Vec<NamedDayDto>) -> Vec<(NaiveDate, String)> {
    list.into_iter().map(|d| (d.date, d.name)).collect()
}

impl CalendarBody {
    /// The domain calendar with this code; names malformed times as
    /// `week.mon[0].start`. The rest is checked by `Calendar::validate`.
    pub fn into_calendar(self, code: &str) -> Result<Calendar, DomainError> {
        let mut v = Validation::new();
        let w = &self.week;
        let week = Week {
            mon: periods(&mut v, "week.mon", &w.mon),
            tue: periods(&mut v, "week.tue", &w.tue),
            wed: periods(&mut v, "week.wed", &w.wed),
            thu: periods(&mut v, "week.thu", &w.thu),
            fri: periods(&mut v, "week.fri", &w.fri),
            sat: periods(&mut v, "week.sat", &w.sat),
            sun: periods(&mut v, "week.sun", &w.sun),
        };
        let make_up_periods = periods(&mut v, "make_up_periods", &self.make_up_periods);
        v.finish()?;
        Ok(Calendar {
            code: code.to_string(),
            name: self.name,
            week,
            include_public_holidays: self.include_public_holidays,
            extra_holidays: named_days(self.extra_holidays),
            extra_working_days: named_days(self.extra_working_days),
            make_up_periods,
        })
    }
}

fn period_dtos(list: &[Period]) -> Vec<PeriodDto> {
    list.iter()
        .map(|p| PeriodDto {
            start: format_time(p.start, false),
            end: format_time(p.end, true),
        })
        .collect()
}

fn named_day_dtos(list: &[(NaiveDate, String)]) -> Vec<NamedDayDto> {
    list.iter()
        .map(|(date, name)| NamedDayDto {
            date: *date,
            name: name.clone(),
        })
        .collect()
}

/// A working calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarView {
    #[schema(example = "default")]
    pub code: String,
    pub name: String,
    pub unit_code: Option<String>,
    pub week: WeekDto,
    pub include_public_holidays: bool,
    pub extra_holidays: Vec<NamedDayDto>,
    pub extra_working_days: Vec<NamedDayDto>,
    pub make_up_periods: Vec<PeriodDto>,
    pub updated_at: DateTime<Utc>,
    /// Also the ETag.
    pub version: i64,
}

impl From<&StoredCalendar> for CalendarView {
    fn from(s: &StoredCalendar) -> Self {
        let c = &s.calendar;
        CalendarView {
            code: c.code.clone(),
            name: c.name.clone(),
            unit_code: s.unit_code.as_ref().map(ToString::to_string),
            week: WeekDto {
                mon: period_dtos(&c.week.mon),
                tue: period_dtos(&c.week.tue),
                wed: period_dtos(&c.week.wed),
                thu: period_dtos(&c.week.thu),
                fri: period_dtos(&c.week.fri),
                sat: period_dtos(&c.week.sat),
                sun: period_dtos(&c.week.sun),
            },
            include_public_holidays: c.include_public_holidays,
            extra_holidays: named_day_dtos(&c.extra_holidays),
            extra_working_days: named_day_dtos(&c.extra_working_days),
            make_up_periods: period_dtos(&c.make_up_periods),
            updated_at: s.updated_at,
            version: s.version,
        }
    }
}

/// A calendar in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarSummary {
    #[schema(example = "default")]
    pub code: String,
    pub name: String,
    pub unit_code: Option<String>,
}

impl From<&StoredCalendar> for CalendarSummary {
    fn from(s: &StoredCalendar) -> Self {
        CalendarSummary {
            code: s.calendar.code.clone(),
            name: s.calendar.name.clone(),
            unit_code: s.unit_code.as_ref().map(ToString::to_string),
        }
    }
}

/// Both ends are included; at most 366 days.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// First day, `YYYY-MM-DD`.
    #[param(example = "2026-02-13")]
    pub from: NaiveDate,
    /// Last day, `YYYY-MM-DD` (included).
    #[param(example = "2026-02-23")]
    pub to: NaiveDate,
}

/// What the calendar says about one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayView {
    pub date: NaiveDate,
    pub working: bool,
    /// The holiday's, the day in lieu's ("Nghỉ bù Giỗ Tổ Hùng Vương") or
    /// the make-up day's name; null for an ordinary day.
    #[schema(example = "Tết Nguyên đán")]
    pub name: Option<String>,
}

impl From<DayInfo> for DayView {
    fn from(d: DayInfo) -> Self {
        DayView {
            date: d.date,
            working: d.working,
            name: d.name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        assert_eq!(parse_time("07:00", false), NaiveTime::from_hms_opt(7, 0, 0));
        assert_eq!(parse_time("24:00", true), Some(NaiveTime::MIN));
        assert_eq!(parse_time("24:00", false), None);
        assert_eq!(parse_time("7h", false), None);
        assert_eq!(format_time(NaiveTime::MIN, true), "24:00");
        assert_eq!(format_time(NaiveTime::MIN, false), "00:00");
        assert_eq!(
            format_time(NaiveTime::from_hms_opt(7, 30, 15).unwrap(), false),
            "07:30:15"
        );
    }
}
