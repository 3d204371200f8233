//! The Vietnamese lunar calendar (âm lịch), computed for UTC+7.
//!
//! Tết and Hùng Kings' day are lunar dates, and Vietnam computes its lunar
//! calendar at its own meridian: a new moon late in the evening in Hà Nội is
//! already the next day in Beijing, so the Vietnamese and Chinese calendars
//! sometimes disagree by a day (Tết 2007: 17 February here, 18 in China) or
//! even by a month (Tết 1985: 21 January here, 20 February in China). So the
//! months are computed here, not copied from a Chinese table.
//!
//! The method is the usual astronomical one for the East Asian calendars,
//! everything in `f64` Julian days:
//! - a month starts on the local day (UTC+7) of a new moon; new moons come
//!   from the mean lunation plus its main periodic corrections (Meeus);
//! - the month that holds the winter solstice is month 11;
//! - from one month 11 to the next there are 12 or 13 months; with 13, the
//!   first month in which the sun enters no new 30° sign of longitude (no
//!   major solar term, *trung khí*) is the leap month (*tháng nhuận*) and
//!   takes the number of the month before it.
//!
//! The approximations are good for a few centuries around 2000; the tests
//! hold them to published dates and to a round trip over 1900–2100.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Vietnam's meridian, hours east of UTC.
const TIME_ZONE: f64 = 7.0;
/// Mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian date of the mean new moon numbered 0 (1900-01-01, about 13:50 UTC).
const LUNATION_ZERO: f64 = 2_415_021.076_998_695;
/// `num_days_from_ce` + this = Julian day number.
const JDN_OF_CE: i64 = 1_721_425;

/// A day of the Vietnamese lunar calendar. `leap` marks a day of a leap
/// month, which repeats the number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year, named after the solar year in which it mostly falls
    /// (the year that starts on 2026-02-17 is 2026).
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub leap: bool,
}

/// The lunar date of a (solar, Gregorian) day.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day = jdn(date);
    let mut span = Span::starting_in(date.year());
    if day < span.starts[0] {
        span = Span::starting_in(date.year() - 1);
    }
    let i = (0..span.months).rev().find(|&i| span.starts[i] <= day).unwrap_or(0);
    let (year, month, leap) = span.label(i);
    LunarDate {
        year,
        month,
        day: (day - span.starts[i] + 1) as u32,
        leap,
    }
}

/// The solar day of a lunar date; None when there is no such day (month
/// outside 1–12, the 30th of a 29-day month, a leap month the year does not
/// have).
pub fn lunar_to_solar(year: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    // Months 11 and 12 open the span that starts in the same solar year;
    // months 1–10 belong to the span that started the year before.
    let (span, ordinal) = if month >= 11 {
        (Span::starting_in(year), month as usize - 11)
    } else {
        (Span::starting_in(year - 1), month as usize + 1)
    };
    let i = match (leap, span.leap) {
        (true, Some(l)) if l == ordinal + 1 => l,
        (true, _) => return None,
        (false, Some(l)) if l <= ordinal => ordinal + 1,
        (false, _) => ordinal,
    };
    let start = span.starts[i];
    if i64::from(day) > span.starts[i + 1] - start {
        return None;
    }
    from_jdn(start + i64::from(day) - 1)
}

/// The leap month of a lunar year (its number: a leap 6th month follows the
/// ordinary 6th), or None in a common year.
pub fn leap_month(year: i32) -> Option<u32> {
    [Span::starting_in(year - 1), Span::starting_in(year)]
        .iter()
        .filter_map(|span| span.leap.map(|l| span.label(l)))
        .find(|&(y, _, _)| y == year)
        .map(|(_, month, _)| month)
}

/// The lunar months from the 11th month of one year (the one holding the
/// winter solstice of solar year `year`) to the 11th of the next.
struct Span {
    year: i32,
    /// First days (Julian day numbers) of the months, and of the next
    /// span's month 11 at `starts[months]`.
    starts: [i64; 14],
    /// 12, or 13 with a leap month.
    months: usize,
    /// Index of the leap month in `starts`.
    leap: Option<usize>,
}

impl Span {
    fn starting_in(year: i32) -> Span {
        let first = month_11(year);
        let next = month_11(year + 1);
        let k = ((first as f64 - LUNATION_ZERO) / SYNODIC_MONTH).round() as i64;
        let months = if next - first > 365 { 13 } else { 12 };
        let mut starts = [0; 14];
        for (i, start) in starts.iter_mut().enumerate().take(months + 1) {
            *start = match i {
                0 => first,
                i if i == months => next,
                i => new_moon_day(k + i as i64),
            };
        }
        // Month 11 holds the solstice, so the search starts at the month after it.
        let leap = (months == 13)
            .then(|| (1..13).find(|&i| sun_sign(starts[i]) == sun_sign(starts[i + 1])))
            .flatten();
        Span {
            year,
            starts,
            months,
            // 13 months always leave one without a major term; should the
            // day-level rounding ever hide it, the last month is taken.
            leap: if months == 13 { leap.or(Some(12)) } else { None },
        }
    }

    /// Lunar year, month number and leap flag of the month at index `i`.
    fn label(&self, i: usize) -> (i32, u32, bool) {
        let (ordinal, leap) = match self.leap {
            Some(l) if i >= l => (i - 1, i == l),
            _ => (i, false),
        };
        if ordinal < 2 {
            (self.year, 11 + ordinal as u32, leap)
        } else {
            (self.year + 1, ordinal as u32 - 1, leap)
        }
    }
}

/// First day of the lunar month holding the winter solstice of `year`.
fn month_11(year: i32) -> i64 {
    let dec_31 = gregorian_jdn(year, 12, 31);
    let k = ((dec_31 as f64 - LUNATION_ZERO) / SYNODIC_MONTH).floor() as i64;
    let day = new_moon_day(k);
    // Sign 9 starts at 270°, the solstice: a month starting after it is the 12th.
    if sun_sign(day) >= 9 { new_moon_day(k - 1) } else { day }
}

/// Local day (Julian day number at UTC+7) of the new moon numbered `k`.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The 30° sign of longitude (0–11, 0 from the March equinox) the sun is in
/// at the local midnight that starts `day`.
fn sun_sign(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / 30.0).floor() as i64
}

/// Periodic corrections to the mean new moon: (days, multiples of the sun's
/// mean anomaly M, of the moon's M′, of the moon's argument of latitude F).
/// The largest term, in sin M, has a time-dependent amplitude and is kept apart.
const NEW_MOON_TERMS: [(f64, f64, f64, f64); 12] = [
    (0.0021, 2.0, 0.0, 0.0),
    (-0.4068, 0.0, 1.0, 0.0),
    (0.0161, 0.0, 2.0, 0.0),
    (-0.0004, 0.0, 3.0, 0.0),
    (0.0104, 0.0, 0.0, 2.0),
    (-0.0051, 1.0, 1.0, 0.0),
    (-0.0074, 1.0, -1.0, 0.0),
    (0.0004, 1.0, 0.0, 2.0),
    (-0.0004, -1.0, 0.0, 2.0),
    (-0.0006, 0.0, 1.0, 2.0),
    (0.0010, 0.0, -1.0, 2.0),
    (0.0005, 1.0, 2.0, 0.0),
];

/// Julian date (UT) of the new moon numbered `k` (0 in January 1900).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900
    let (t2, t3) = (t * t, t * t * t);
    let mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * sin_deg(166.56 + 132.87 * t - 0.009_173 * t2);
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let m_moon = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let periodic = NEW_MOON_TERMS
        .iter()
        .map(|&(c, a, b, g)| c * sin_deg(a * m + b * m_moon + g * f))
        .sum::<f64>()
        + (0.1734 - 0.000_393 * t) * sin_deg(m);
    // ΔT: the formulas give dynamical time; calendars run on UT.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    mean + periodic - delta_t
}

/// The sun's apparent ecliptic longitude in degrees [0, 360) at Julian date `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries since J2000
    let t2 = t * t;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let mean = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_290 * sin_deg(3.0 * m);
    (mean + centre).rem_euclid(360.0)
}

fn sin_deg(degrees: f64) -> f64 {
    (degrees * PI / 180.0).sin()
}

fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE
}

fn from_jdn(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day - JDN_OF_CE).ok()?)
}

/// Julian day number of a proleptic Gregorian date, by arithmetic, so that
/// it also works past the last date `NaiveDate` can hold.
fn gregorian_jdn(year: i32, month: i64, day: i64) -> i64 {
    let a = (14 - month) / 12;
    let y = i64::from(year) + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32_045
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn lunar(year: i32, month: u32, day: u32, leap: bool) -> LunarDate {
        LunarDate { year, month, day, leap }
    }

    #[test]
    fn lunar_new_years_day() {
        for (year, day) in [
            (2024, "2024-02-10"),
            (2025, "2025-01-29"),
            (2026, "2026-02-17"),
            (2027, "2027-02-06"),
            (2028, "2028-01-26"),
            (2020, "2020-01-25"),
            (2023, "2023-01-22"),
        ] {
            assert_eq!(lunar_to_solar(year, 1, 1, false), Some(date(day)), "{year}");
            assert_eq!(solar_to_lunar(date(day)), lunar(year, 1, 1, false));
        }
    }

    #[test]
    fn hung_kings_day() {
        assert_eq!(lunar_to_solar(2024, 3, 10, false), Some(date("2024-04-18")));
        assert_eq!(lunar_to_solar(2025, 3, 10, false), Some(date("2025-04-07")));
        assert_eq!(lunar_to_solar(2026, 3, 10, false), Some(date("2026-04-26")));
    }

    #[test]
    fn differs_from_the_chinese_calendar_where_vietnam_does() {
        // A new moon late on 2007-02-17 UTC+7 is already the 18th in Beijing.
        assert_eq!(lunar_to_solar(2007, 1, 1, false), Some(date("2007-02-17")));
        // 1984–85: the month of the solstice differs, Tết is a month apart.
        assert_eq!(lunar_to_solar(1985, 1, 1, false), Some(date("1985-01-21")));
        assert_eq!(lunar_to_solar(1968, 1, 1, false), Some(date("1968-01-29")));
        // The new moon of 2030-02-02 is at about 23:07 in Hà Nội, 00:07 on the 3rd in Beijing.
        assert_eq!(lunar_to_solar(2030, 1, 1, false), Some(date("2030-02-02")));
    }

    #[test]
    fn leap_months() {
        assert_eq!(leap_month(2020), Some(4));
        assert_eq!(leap_month(2023), Some(2));
        assert_eq!(leap_month(2024), None);
        assert_eq!(leap_month(2025), Some(6));
        assert_eq!(leap_month(2026), None);
        assert_eq!(leap_month(2028), Some(5));
        // A leap 11th month, which the older rules could not produce.
        assert_eq!(leap_month(2033), Some(11));
        // Mid-autumn (15/8) comes late after the leap 6th month of 2025.
        assert_eq!(lunar_to_solar(2025, 8, 15, false), Some(date("2025-10-06")));
        assert_eq!(lunar_to_solar(2024, 8, 15, false), Some(date("2024-09-17")));
        let leap = lunar_to_solar(2025, 6, 1, true).unwrap();
        assert_eq!(solar_to_lunar(leap), lunar(2025, 6, 1, true));
        assert!(lunar_to_solar(2025, 6, 1, false).unwrap() < leap);
        assert_eq!(lunar_to_solar(2024, 6, 1, true), None);
    }

    #[test]
    fn impossible_dates() {
        assert_eq!(lunar_to_solar(2025, 0, 1, false), None);
        assert_eq!(lunar_to_solar(2025, 13, 1, false), None);
        assert_eq!(lunar_to_solar(2025, 1, 0, false), None);
        assert_eq!(lunar_to_solar(2025, 1, 31, false), None);
        // The 12th month of the year that ended on 2026-02-16 had 29 days.
        assert_eq!(lunar_to_solar(2025, 12, 29, false), Some(date("2026-02-16")));
        assert_eq!(lunar_to_solar(2025, 12, 30, false), None);
    }

    /// Every day 1900–2100 converts to a lunar date and back; consecutive
    /// days count up by one, months have 29 or 30 days, years 12 or 13 months.
    #[test]
    fn round_trip_1900_to_2100() {
        let mut day = date("1900-01-01");
        let mut previous = solar_to_lunar(day);
        let mut months_in_year = 0;
        let mut leap_years = 0;
        while day < date("2100-12-31") {
            day = day.succ_opt().unwrap();
            let l = solar_to_lunar(day);
            assert_eq!(lunar_to_solar(l.year, l.month, l.day, l.leap), Some(day), "{day} {l:?}");
            if l.day == 1 {
                assert!(
                    (29..=30).contains(&previous.day),
                    "{day}: month of {} days",
                    previous.day
                );
                months_in_year += 1;
                if l.month == 1 && !l.leap {
                    assert_eq!(l.year, previous.year + 1, "{day}");
                    if previous.year >= 1900 {
                        assert!((12..=13).contains(&months_in_year), "{}", previous.year);
                        leap_years += usize::from(months_in_year == 13);
                    }
                    months_in_year = 0;
                }
            } else {
                assert_eq!(
                    (l.year, l.month, l.day, l.leap),
                    (previous.year, previous.month, previous.day + 1, previous.leap)
                );
            }
            previous = l;
        }
        // 7 leap months every 19 years: about 74 in 200 years.
        assert!((72..=76).contains(&leap_years), "{leap_years}");
    }
}
