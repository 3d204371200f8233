//! The applicant: usually not a customer yet, so the request carries who
//! they are and how to reach them.

use serde::{Deserialize, Serialize};

use super::ApplicantKind;
use crate::Validation;
use crate::phone::PhoneNumber;
use crate::validation::optional_text;

/// The applicant as stored: checked and normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    /// E.164.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// A household's citizen ID (CCCD): 12 digits.
    pub national_id: Option<String>,
    /// A business's tax code (MST): 10 digits, or 10 + `-` + 3 for a branch.
    pub tax_code: Option<String>,
}

/// The applicant as submitted, fields as typed.
#[derive(Debug, Clone, Default)]
pub struct NewApplicant {
    pub kind: Option<ApplicantKind>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub national_id: Option<String>,
    pub tax_code: Option<String>,
}

fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// A citizen ID card number (CCCD): 12 digits; spaces are dropped.
pub fn check_national_id(raw: &str) -> Result<String, &'static str> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("must be the 12 digits of a citizen ID card (CCCD)")
    }
}

/// A tax code (MST): 10 digits, or 13 (a branch), written `0101234567-001`
/// or without the dash; kept with the dash.
pub fn check_tax_code(raw: &str) -> Result<String, &'static str> {
    const MESSAGE: &str = "must be a tax code of 10 digits, or 13 written as 0101234567-001";
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match t.split_once('-') {
        Some((head, branch)) if head.len() == 10 && branch.len() == 3 && digits(head) && digits(branch) => Ok(t),
        Some(_) => Err(MESSAGE),
        None if t.len() == 10 && digits(&t) => Ok(t),
        None if t.len() == 13 && digits(&t) => Ok(format!("{}-{}", &t[..10], &t[10..])),
        None => Err(MESSAGE),
    }
}

/// An e-mail address: something, `@`, a domain with a dot; no spaces.
pub fn check_email(raw: &str) -> Result<String, &'static str> {
    const MESSAGE: &str = "must be an e-mail address";
    let e = raw.trim();
    let (local, domain) = e.rsplit_once('@').ok_or(MESSAGE)?;
    let ok = !local.is_empty()
        && e.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if ok { Ok(e.to_string()) } else { Err(MESSAGE) }
}

impl Applicant {
    /// Checks the applicant; `kind` is the request's (from its type). Each
    /// problem is added to `v` under `applicant.<field>`.
    pub fn check(input: NewApplicant, kind: ApplicantKind, v: &mut Validation) -> Applicant {
        let name = match given(input.name.as_deref()) {
            Some(n) => optional_text(v, "applicant.name", Some(n), 200).unwrap_or_default(),
            None => {
                v.add("applicant.name", "is required");
                String::new()
            }
        };
        let phone = given(input.phone.as_deref()).and_then(|raw| match PhoneNumber::parse(raw) {
            Ok(Some(p)) => Some(p.as_str().to_string()),
            Ok(None) => {
                v.add("applicant.phone", "must be a phone number to call back");
                None
            }
            Err(e) => {
                v.add("applicant.phone", e.to_string());
                None
            }
        });
        let email = given(input.email.as_deref()).and_then(|e| v.check("applicant.email", check_email(e)));
        if given(input.phone.as_deref()).is_none() && given(input.email.as_deref()).is_none() {
            v.add("applicant.phone", "give a phone number or an e-mail address");
        }
        let national_id =
            given(input.national_id.as_deref()).and_then(|n| v.check("applicant.national_id", check_national_id(n)));
        let tax_code = given(input.tax_code.as_deref()).and_then(|t| v.check("applicant.tax_code", check_tax_code(t)));
        Applicant {
            kind,
            name,
            phone,
            email,
            address: optional_text(v, "applicant.address", input.address.as_deref(), 500),
            national_id,
            tax_code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: &Validation) -> Vec<&str> {
        v.errors().iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn citizen_ids_have_twelve_digits() {
        assert_eq!(check_national_id("079 203 001 234").as_deref(), Ok("079203001234"));
        assert!(check_national_id("07920300123").is_err());
        assert!(check_national_id("07920300123A").is_err());
    }

    #[test]
    fn tax_codes_have_ten_or_thirteen_digits() {
        assert_eq!(check_tax_code("0301234567").as_deref(), Ok("0301234567"));
        assert_eq!(check_tax_code("0301234567-001").as_deref(), Ok("0301234567-001"));
        assert_eq!(check_tax_code("0301234567001").as_deref(), Ok("0301234567-001"));
        assert!(check_tax_code("030123456").is_err());
        assert!(check_tax_code("0301234567-01").is_err());
        assert!(check_tax_code("03012345-67001").is_err());
    }

    #[test]
    fn email_addresses() {
        assert_eq!(check_email(" an@example.vn ").as_deref(), Ok("an@example.vn"));
        for bad in ["an", "an@", "@example.vn", "an@example", "a n@example.vn"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_applicant_is_named_and_reachable() {
        let mut v = Validation::new();
        let a = Applicant::check(
            NewApplicant {
                name: Some(" Nguyễn Văn An ".into()),
                phone: Some("0912 345 678".into()),
                national_id: Some("079203001234".into()),
                ..Default::default()
            },
            ApplicantKind::Household,
            &mut v,
        );
        assert!(v.is_empty(), "{:?}", v.errors());
        assert_eq!(
            (a.name.as_str(), a.phone.as_deref()),
            ("Nguyễn Văn An", Some("+84912345678"))
        );

        let mut v = Validation::new();
        Applicant::check(NewApplicant::default(), ApplicantKind::Household, &mut v);
        assert_eq!(fields(&v), ["applicant.name", "applicant.phone"]);

        let mut v = Validation::new();
        Applicant::check(
            NewApplicant {
                name: Some("Công ty TNHH Minh Phát".into()),
                phone: Some("12ab".into()),
                email: Some("not-mail".into()),
                national_id: Some("123".into()),
                tax_code: Some("99".into()),
                ..Default::default()
            },
            ApplicantKind::Business,
            &mut v,
        );
        assert_eq!(
            fields(&v),
            [
                "applicant.phone",
                "applicant.email",
                "applicant.national_id",
                "applicant.tax_code"
            ]
        );
    }
}
