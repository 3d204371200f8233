//! What the list of new-supply requests is narrowed by, and how its free
//! text finds an applicant: by name or e-mail without diacritics or case,
//! or by phone however it is written.

use chrono::{DateTime, Utc};

use super::{Applicant, Stage, SupplyType};
use crate::org::UnitScope;
use crate::phone::PhoneNumber;
use crate::text;
use crate::work_order::Source;

/// The list's criteria; the caller's team and units are set by the use case.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Any of these stages; none: every stage.
    pub stages: Vec<Stage>,
    /// Any of these types (None: the type is not known yet); none: every type.
    pub supply_types: Vec<Option<SupplyType>>,
    pub source: Option<Source>,
    /// Still awaiting documents (true) or past that (false).
    pub missing_documents: Option<bool>,
    /// Past the deadline at this instant, neither energised nor cancelled.
    pub overdue_at: Option<DateTime<Utc>>,
    /// Opened at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Opened before.
    pub created_before: Option<DateTime<Utc>>,
    /// What the applicant's search text must contain.
    pub search: Option<Search>,
    /// Only this team's requests (a field crew's list).
    pub only_team: Option<String>,
    /// Only requests of these units.
    pub within_units: Option<UnitScope>,
}

/// The needle a free-text query looks for in [`Applicant::search_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search(pub String);

impl Search {
    /// A phone number as people type it finds the stored E.164; digits
    /// alone (part of a number) find the national form; other text is
    /// folded (no diacritics, no case). None for a blank query.
    pub fn of(raw: &str) -> Option<Search> {
        let q = raw.trim();
        if q.is_empty() {
            return None;
        }
        let phoneish =
            q.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c)) && q.chars().any(|c| c.is_ascii_digit());
        if phoneish {
            if let Ok(Some(p)) = PhoneNumber::parse(q) {
                return Some(Search(p.as_str().to_string()));
            }
            return Some(Search(q.chars().filter(char::is_ascii_digit).collect()));
        }
        Some(Search(text::fold(q)))
    }
}

impl Applicant {
    /// The name and e-mail folded, the phone as E.164 and in its national
    /// form (`0912345678`), for the list's free text.
    pub fn search_text(&self) -> String {
        let mut parts = vec![text::fold(&self.name)];
        if let Some(e) = &self.email {
            parts.push(text::fold(e));
        }
        if let Some(p) = &self.phone {
            parts.push(p.clone());
            if let Some(rest) = p.strip_prefix("+84") {
                parts.push(format!("0{rest}"));
            }
        }
        parts.join(" \u{1f} ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_supply::ApplicantKind;

    fn hoa() -> Applicant {
        Applicant {
            kind: ApplicantKind::Household,
            name: "Lê Thị Hoa".into(),
            phone: Some("+84912345678".into()),
            email: Some("Hoa.Le@example.vn".into()),
            address: None,
            national_id: None,
            tax_code: None,
        }
    }

    fn finds(q: &str) -> bool {
        let needle = Search::of(q).unwrap().0;
        hoa().search_text().contains(&needle)
    }

    #[test]
    fn finds_by_name_email_and_phone_written_any_way() {
        assert!(finds("le thi hoa"));
        assert!(finds("LÊ THỊ"));
        assert!(finds("hoa.le@example"));
        assert!(finds("0912 345 678"));
        assert!(finds("+84 912 345 678"));
        assert!(finds("345678"));
        assert!(!finds("nguyen"));
        assert!(!finds("0987 654 321"));
        assert_eq!(Search::of("  "), None);
    }
}
