//! Vietnam's public holidays (ngày nghỉ lễ, tết): Labour Code 2019, art. 112.
//!
//! The code fixes eleven days a year; for two of them it leaves the exact
//! days to the government, which announces them every year together with
//! weekend swaps. The defaults here are the usual pattern; a calendar
//! corrects them with its own extra holidays and extra working days (see
//! [`super::Calendar`]). Days off in lieu of a holiday that falls on a
//! weekly rest day (art. 111) depend on the calendar's week, so the
//! calendar computes them (`super::lieu`), from these.
//!
//! - **Tết** (5 days): the last day of the old lunar year (30/12, or 29/12
//!   when the 12th month is short) and the first four days of the new one
//!   (1/1–4/1).
//! - **National Day** (2 days): 2 September and an adjacent day, 1 or 3
//!   September at the government's choice; 1 September here.
//!
//! Hùng Kings' day is the 10th of the ordinary 3rd lunar month, also in a
//! year with a leap 3rd month.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lunar::lunar_to_solar;

/// The holidays of the Labour Code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicHoliday {
    /// 1 January.
    NewYear,
    /// Lunar new year, 5 days.
    Tet,
    /// 10th day of the 3rd lunar month.
    HungKings,
    /// 30 April, the end of the war in 1975 (the code says "Victory Day").
    Liberation,
    /// 1 May.
    LabourDay,
    /// 2 September and an adjacent day.
    NationalDay,
}

impl PublicHoliday {
    /// The name people use, in Vietnamese.
    pub fn name(self) -> &'static str {
        match self {
            PublicHoliday::NewYear => "Tết Dương lịch",
            PublicHoliday::Tet => "Tết Nguyên đán",
            PublicHoliday::HungKings => "Giỗ Tổ Hùng Vương",
            PublicHoliday::Liberation => "Ngày Giải phóng miền Nam",
            PublicHoliday::LabourDay => "Ngày Quốc tế Lao động",
            PublicHoliday::NationalDay => "Quốc khánh",
        }
    }
}

/// One day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub holiday: PublicHoliday,
}

impl Holiday {
    pub fn name(&self) -> &'static str {
        self.holiday.name()
    }
}

/// The public holidays of a solar year, in date order (two may share a
/// date: Hùng Kings' day can fall on 30 April or 1 May).
pub fn public_holidays(year: i32) -> Vec<Holiday> {
    let mut days = Vec::with_capacity(11);
    let mut add = |date: Option<NaiveDate>, holiday| {
        if let Some(date) = date {
            days.push(Holiday { date, holiday });
        }
    };
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    add(fixed(1, 1), PublicHoliday::NewYear);
    // Tết always falls between 20 January and 21 February, so all five days
    // belong to this solar year.
    if let Some(new_year) = lunar_to_solar(year, 1, 1, false) {
        add(new_year.pred_opt(), PublicHoliday::Tet);
        for n in 0..4 {
            add(new_year.checked_add_days(Days::new(n)), PublicHoliday::Tet);
        }
    }
    add(lunar_to_solar(year, 3, 10, false), PublicHoliday::HungKings);
    add(fixed(4, 30), PublicHoliday::Liberation);
    add(fixed(5, 1), PublicHoliday::LabourDay);
    add(fixed(9, 1), PublicHoliday::NationalDay);
    add(fixed(9, 2), PublicHoliday::NationalDay);
    // Only millennia away do the astronomical approximations drift enough
    // to push a lunar holiday out of its year; keep the list to the year.
    days.retain(|h| h.date.year() == year);
    days.sort_by_key(|h| (h.date, h.holiday as u8));
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn listed(year: i32) -> Vec<(String, &'static str)> {
        public_holidays(year)
            .into_iter()
            .map(|h| (h.date.to_string(), h.name()))
            .collect()
    }

    #[test]
    fn holidays_of_2026() {
        let tet = "Tết Nguyên đán";
        let expected = [
            ("2026-01-01", "Tết Dương lịch"),
            // The 12th month of the old year has 29 days: 29/12 is the last day.
            ("2026-02-16", tet),
            ("2026-02-17", tet),
            ("2026-02-18", tet),
            ("2026-02-19", tet),
            ("2026-02-20", tet),
            ("2026-04-26", "Giỗ Tổ Hùng Vương"),
            ("2026-04-30", "Ngày Giải phóng miền Nam"),
            ("2026-05-01", "Ngày Quốc tế Lao động"),
            ("2026-09-01", "Quốc khánh"),
            ("2026-09-02", "Quốc khánh"),
        ];
        let expected: Vec<_> = expected.iter().map(|&(d, n)| (d.to_string(), n)).collect();
        assert_eq!(listed(2026), expected);
    }

    #[test]
    fn tet_starts_the_day_before_lunar_new_year() {
        for (year, eve, new_year) in [
            (2024, "2024-02-09", "2024-02-10"),
            (2025, "2025-01-28", "2025-01-29"),
            (2027, "2027-02-05", "2027-02-06"),
            (2028, "2028-01-25", "2028-01-26"),
        ] {
            let tet: Vec<_> = public_holidays(year)
                .into_iter()
                .filter(|h| h.holiday == PublicHoliday::Tet)
                .map(|h| h.date)
                .collect();
            assert_eq!(tet.len(), 5, "{year}");
            assert_eq!(tet[0], date(eve), "{year}");
            assert_eq!(tet[1], date(new_year), "{year}");
            assert_eq!(tet[4], date(new_year) + Days::new(3), "{year}");
        }
    }

    #[test]
    fn eleven_days_every_year_and_hung_kings_in_spring() {
        for year in 1990..=2100 {
            let days = public_holidays(year);
            assert_eq!(days.len(), 11, "{year}");
            assert!(days.windows(2).all(|w| w[0].date <= w[1].date), "{year}");
            let hung = days.iter().find(|h| h.holiday == PublicHoliday::HungKings).unwrap();
            assert!(hung.date >= date(&format!("{year}-03-28")), "{year}: {}", hung.date);
            assert!(hung.date <= date(&format!("{year}-05-31")), "{year}: {}", hung.date);
        }
        assert_eq!(listed(2024)[6], ("2024-04-18".to_string(), "Giỗ Tổ Hùng Vương"));
        assert_eq!(listed(2025)[6], ("2025-04-07".to_string(), "Giỗ Tổ Hùng Vương"));
        // Early after an early Tết, late after a leap 2nd month.
        assert_eq!(listed(2012)[6], ("2012-03-31".to_string(), "Giỗ Tổ Hùng Vương"));
        assert_eq!(listed(2023)[6], ("2023-04-29".to_string(), "Giỗ Tổ Hùng Vương"));
    }
}
