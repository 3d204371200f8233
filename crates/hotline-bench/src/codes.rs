//! Checks work-order codes read back after a run: no code given twice, and
//! no number skipped in any prefix-and-year sequence (each starts at 1 on
//! the bench's fresh database).

use std::collections::BTreeMap;

use hotline_domain::work_order::WorkOrderCode;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct CodeCheck {
    /// Per `PREFIX-YY`: how many codes, and the highest number.
    pub sequences: BTreeMap<String, (usize, u32)>,
    /// Codes seen more than once, with how many times.
    pub duplicates: Vec<(String, usize)>,
    /// Per `PREFIX-YY`: the numbers from 1 to its highest that no code has.
    pub skipped: BTreeMap<String, Vec<u32>>,
    /// What was not a code at all.
    pub unreadable: Vec<String>,
}

impl CodeCheck {
    pub fn clean(&self) -> bool {
        self.duplicates.is_empty() && self.skipped.is_empty() && self.unreadable.is_empty()
    }
}

pub fn check<'a>(codes: impl IntoIterator<Item = &'a str>) -> CodeCheck {
    let mut out = CodeCheck::default();
    let mut by_sequence: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    for raw in codes {
        match WorkOrderCode::parse(raw) {
            Ok(code) => {
                let key = format!("{}-{:02}", code.prefix(), code.year() % 100);
                *by_sequence.entry(key).or_default().entry(code.seq()).or_default() += 1;
            }
            Err(_) => out.unreadable.push(raw.to_string()),
        }
    }
    for (key, numbers) in by_sequence {
        let highest = numbers.keys().next_back().copied().unwrap_or(0);
        out.sequences.insert(key.clone(), (numbers.values().sum(), highest));
        for (&n, &times) in &numbers {
            if times > 1 {
                out.duplicates.push((format!("{key}-{n:06}"), times));
            }
        }
        let missing: Vec<u32> = (1..=highest).filter(|n| !numbers.contains_key(n)).collect();
        if !missing.is_empty() {
            out.skipped.insert(key, missing);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbroken_sequence_is_clean() {
        let c = check(["CM-26-000002", "CM-26-000001", "HN-26-000001", "CM-26-000003"]);
        assert!(c.clean(), "{c:?}");
        assert_eq!(c.sequences["CM-26"], (3, 3));
        assert_eq!(c.sequences["HN-26"], (1, 1));
    }

    #[test]
    fn a_code_given_twice_is_a_duplicate() {
        let c = check(["CM-26-000001", "CM-26-000002", "cm26000002"]);
        assert!(!c.clean());
        assert_eq!(c.duplicates, vec![("CM-26-000002".to_string(), 2)]);
        assert!(c.skipped.is_empty());
    }

    #[test]
    fn a_missing_number_is_skipped_per_prefix_and_year() {
        let c = check(["CM-26-000001", "CM-26-000004", "CM-25-000002", "HN-26-000001"]);
        assert!(!c.clean());
        assert_eq!(c.skipped["CM-26"], vec![2, 3]);
        assert_eq!(c.skipped["CM-25"], vec![1]);
        assert!(!c.skipped.contains_key("HN-26"));
        assert!(c.duplicates.is_empty());
    }

    #[test]
    fn what_is_not_a_code_is_reported() {
        let c = check(["CM-26-000001", "nonsense"]);
        assert_eq!(c.unreadable, vec!["nonsense".to_string()]);
        assert!(!c.clean());
    }
}
