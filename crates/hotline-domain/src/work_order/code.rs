//! The short code a caller reads out over the phone: `CM-26-004217`, two
//! letters for the area or unit, the two-digit year, and a six-digit
//! sequence. Short enough to say, and readable back whatever way an agent
//! types it (`cm26004217`, `CM 26 4217`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest sequence number: six digits a year per prefix.
pub const MAX_SEQ: u32 = 999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkOrderCode {
    prefix: [u8; 2],
    /// Two-digit year, 0..=99 for 2000..=2099.
    yy: u8,
    seq: u32,
}

impl WorkOrderCode {
    /// `prefix`: two ASCII letters, any case (the caller picks them from its
    /// area or unit: `CM` for Cà Mau). `year`: the calendar year in
    /// Asia/Ho_Chi_Minh, 2000–2099 (two digits are shown, so a wider range
    /// would repeat codes). `seq`: 1–999,999, from a counter per prefix and
    /// year.
    pub fn new(prefix: &str, year: i32, seq: u32) -> Result<Self, String> {
        let prefix = parse_prefix(prefix)?;
        if !(2000..=2099).contains(&year) {
            return Err("year must be between 2000 and 2099".into());
        }
        check_seq(seq)?;
        Ok(WorkOrderCode {
            prefix,
            yy: (year - 2000) as u8,
            seq,
        })
    }

    /// Reads a code as people type or say it: any case, with or without the
    /// dashes, with spaces, dots or other dashes between the parts, and with
    /// the sequence's leading zeros left out (`cm 26 4217`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !is_separator(*c))
            .collect();
        let shape = || format!("must look like CM-26-004217 (two letters, the year, a number), not {raw:?}");
        let (letters, digits) = compact.split_at_checked(2).ok_or_else(shape)?;
        let prefix = parse_prefix(letters).map_err(|_| shape())?;
        if !(3..=8).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shape());
        }
        let (yy, seq) = digits.split_at(2);
        let seq: u32 = seq.parse().map_err(|_| shape())?;
        check_seq(seq)?;
        Ok(WorkOrderCode {
            prefix,
            yy: yy.parse().map_err(|_| shape())?,
            seq,
        })
    }

    pub fn prefix(&self) -> &str {
        // Only ASCII letters get in.
        std::str::from_utf8(&self.prefix).unwrap_or("??")
    }

    /// The full calendar year.
    pub fn year(&self) -> i32 {
        2000 + i32::from(self.yy)
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn parse_prefix(raw: &str) -> Result<[u8; 2], String> {
    match raw.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Ok([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => Err("prefix must be two letters A–Z".into()),
    }
}

fn check_seq(seq: u32) -> Result<(), String> {
    if (1..=MAX_SEQ).contains(&seq) {
        Ok(())
    } else {
        Err(format!("sequence must be between 1 and {MAX_SEQ}"))
    }
}

impl fmt::Display for WorkOrderCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}-{:06}", self.prefix(), self.yy, self.seq)
    }
}

impl FromStr for WorkOrderCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for WorkOrderCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkOrderCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> String {
        WorkOrderCode::parse(raw).map(|c| c.to_string()).unwrap_or_else(|e| e)
    }

    #[test]
    fn builds_and_displays() {
        let c = WorkOrderCode::new("cm", 2026, 4217).unwrap();
        assert_eq!(c.to_string(), "CM-26-004217");
        assert_eq!((c.prefix(), c.year(), c.seq()), ("CM", 2026, 4217));
        assert_eq!(WorkOrderCode::new("PB", 2000, 1).unwrap().to_string(), "PB-00-000001");
        assert_eq!(
            WorkOrderCode::new("vl", 2099, MAX_SEQ).unwrap().to_string(),
            "VL-99-999999"
        );
    }

    #[test]
    fn refuses_bad_parts() {
        for (prefix, year, seq) in [
            ("C", 2026, 1),
            ("CMU", 2026, 1),
            ("C1", 2026, 1),
            ("CĐ", 2026, 1),
            ("", 2026, 1),
            ("CM", 1999, 1),
            ("CM", 2100, 1),
            ("CM", 2026, 0),
            ("CM", 2026, MAX_SEQ + 1),
        ] {
            assert!(WorkOrderCode::new(prefix, year, seq).is_err(), "{prefix} {year} {seq}");
        }
    }

    #[test]
    fn parses_what_agents_type() {
        for raw in [
            "CM-26-004217",
            "cm-26-004217",
            "CM26004217",
            "cm 26 004217",
            " CM - 26 - 004217 ",
            "CM–26–004217",
            "CM.26.004217",
            "CM-26-4217",
            "cm 26 4217",
            "Cm264217",
        ] {
            assert_eq!(code(raw), "CM-26-004217", "{raw:?}");
        }
    }

    #[test]
    fn parse_refuses_what_is_not_a_code() {
        for raw in [
            "",
            "CM",
            "CM-26",
            "CM-2",
            "CM-26-0042170",
            "C-26-004217",
            "CM-26-00421A",
            "12-26-004217",
            "CM-26-000000",
            "ĐM-26-004217",
            "CM-26-+4217",
        ] {
            assert!(WorkOrderCode::parse(raw).is_err(), "{raw:?}");
        }
        assert!(code("xx").contains("CM-26-004217"));
    }

    #[test]
    fn round_trips_through_text_and_json() {
        let c = WorkOrderCode::new("BL", 2027, 42).unwrap();
        assert_eq!(c.to_string().parse::<WorkOrderCode>(), Ok(c));
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json, "BL-27-000042");
        assert_eq!(serde_json::from_value::<WorkOrderCode>(json).unwrap(), c);
        assert_eq!(serde_json::from_str::<WorkOrderCode>("\"bl27000042\"").unwrap(), c);
        assert!(serde_json::from_str::<WorkOrderCode>("\"nope\"").is_err());
    }
}
