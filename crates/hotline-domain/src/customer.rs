//! The customer directory: who a number belongs to. Customers come from the
//! utility's billing system (bulk import) or are added by agents.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::codes::{self, AreaCode, CustomerCode, UnitCode};
use crate::phone::{self, PhoneNumber};
use crate::validation::{Validation, optional_text, present};
use crate::{DomainError, text};

pub const MAX_PHONES: usize = 10;
pub const MAX_NAME: usize = 200;
pub const MAX_ADDRESS: usize = 500;
pub const MAX_NOTES: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPhone {
    pub number: PhoneNumber,
    /// As it was written.
    pub raw: String,
    /// Written as a pre-2018 11-digit mobile and stored as today's number.
    pub renumbered: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: Uuid,
    pub code: CustomerCode,
    pub name: String,
    pub phones: Vec<CustomerPhone>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<AreaCode>,
    pub unit_code: Option<UnitCode>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A customer as submitted (API body or a CSV line), fields as typed.
#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub notes: Option<String>,
}

/// Changes to a customer; absent fields are kept, `Some(None)` clears.
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub phones: Option<Vec<String>>,
    pub email: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub area_code: Option<Option<String>>,
    pub unit_code: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

/// Filters for the directory.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub code: Option<String>,
    /// A normalised number.
    pub phone: Option<String>,
    /// Folded text over code, name and address.
    pub text: Option<String>,
}

/// Unit and area codes (`PC15`, `PC15LL01`, `VN-CM`…): letters, digits, `-`, `_`, `.`.
pub fn check_code(raw: &str) -> Result<String, String> {
    let code = raw.trim().to_uppercase();
    if code.is_empty() || code.len() > 32 {
        return Err("must be 1 to 32 characters".into());
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err("may contain only letters A–Z, digits, '-', '_' and '.'".into());
    }
    Ok(code)
}

pub(crate) fn check_email(v: &mut Validation, raw: Option<&str>) -> Option<String> {
    let email = optional_text(v, "email", raw, 254)?;
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !email.contains(char::is_whitespace)
    });
    if valid {
        Some(email)
    } else {
        v.add("email", "is not an e-mail address");
        None
    }
}

/// Parses every number, drops duplicates (same number written twice) and
/// withheld markers; names the failing entry as `phones[i]`.
fn phones(v: &mut Validation, raw: &[String]) -> Vec<CustomerPhone> {
    if raw.len() > MAX_PHONES {
        v.add("phones", format!("at most {MAX_PHONES} numbers"));
        return Vec::new();
    }
    let mut out: Vec<CustomerPhone> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        match PhoneNumber::parse(r) {
            Ok(Some(number)) if !out.iter().any(|p| p.number == number) => out.push(CustomerPhone {
                renumbered: phone::is_pre_2018_mobile(r),
                raw: r.trim().chars().take(64).collect(),
                number,
            }),
            Ok(_) => {}
            Err(e) => v.add(format!("phones[{i}]"), e.to_string()),
        }
    }
    out
}

impl Customer {
    pub fn create(input: CustomerInput, now: DateTime<Utc>) -> Result<Customer, DomainError> {
        let mut v = Validation::new();
        let code = codes::required(&mut v, "customer_code", input.code.as_deref());
        let name = optional_text(&mut v, "name", input.name.as_deref(), MAX_NAME);
        if name.is_none() && v.errors().iter().all(|e| e.field != "name") {
            v.add("name", "is required");
        }
        let phones = phones(&mut v, &input.phones);
        let email = check_email(&mut v, input.email.as_deref());
        let address = optional_text(&mut v, "address", input.address.as_deref(), MAX_ADDRESS);
        let area_code = codes::optional(&mut v, "area_code", input.area_code.as_deref());
        let unit_code = codes::optional(&mut v, "unit_code", input.unit_code.as_deref());
        let notes = optional_text(&mut v, "notes", input.notes.as_deref(), MAX_NOTES);
        v.finish()?;
        Ok(Customer {
            id: Uuid::now_v7(),
            code: present(code, "customer_code")?,
            name: name.unwrap_or_default(),
            phones,
            email,
            address,
            area_code,
            unit_code,
            notes,
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    pub fn patched(&self, patch: CustomerPatch, now: DateTime<Utc>) -> Result<Customer, DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(name) = patch.name {
            match optional_text(&mut v, "name", Some(&name), MAX_NAME) {
                Some(n) => next.name = n,
                None if v.is_empty() => v.add("name", "must not be empty"),
                None => {}
            }
        }
        if let Some(p) = patch.phones {
            next.phones = phones(&mut v, &p);
        }
        if let Some(e) = patch.email {
            next.email = check_email(&mut v, e.as_deref());
        }
        if let Some(a) = patch.address {
            next.address = optional_text(&mut v, "address", a.as_deref(), MAX_ADDRESS);
        }
        if let Some(a) = patch.area_code {
            next.area_code = codes::optional(&mut v, "area_code", a.as_deref());
        }
        if let Some(u) = patch.unit_code {
            next.unit_code = codes::optional(&mut v, "unit_code", u.as_deref());
        }
        if let Some(n) = patch.notes {
            next.notes = optional_text(&mut v, "notes", n.as_deref(), MAX_NOTES);
        }
        v.finish()?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// An imported line for a customer that may already exist: the existing
    /// id and creation time are kept, the rest is replaced.
    pub fn replacing(mut self, existing: &Customer, now: DateTime<Utc>) -> Customer {
        self.id = existing.id;
        self.created_at = existing.created_at;
        self.updated_at = now;
        self.version = existing.version + 1;
        self
    }

    /// Same content, ignoring identity and timestamps: re-importing an
    /// unchanged line is a no-op.
    pub fn same_content(&self, other: &Customer) -> bool {
        self.code == other.code
            && self.name == other.name
            && self.phones == other.phones
            && self.email == other.email
            && self.address == other.address
            && self.area_code == other.area_code
            && self.unit_code == other.unit_code
            && self.notes == other.notes
    }

    pub fn search_text(&self) -> String {
        let parts = [Some(self.code.as_str()), Some(&self.name), self.address.as_deref()];
        text::fold(&parts.iter().flatten().copied().collect::<Vec<_>>().join(" \u{1f} "))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "customer_code": self.code,
            "name": self.name,
            "phones": self.phones.iter().map(|p| p.number.as_str()).collect::<Vec<_>>(),
            "email": self.email,
            "address": self.address,
            "area_code": self.area_code,
            "unit_code": self.unit_code,
            "notes": self.notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000, 0).unwrap()
    }

    fn input() -> CustomerInput {
        CustomerInput {
            code: Some("pb03020045525".into()),
            name: Some("Nguyễn Văn Á".into()),
            phones: vec![
                "0912 345 678".into(),
                "01623456789".into(),
                "+84 912 345 678".into(),
                "".into(),
            ],
            email: Some("a@example.vn".into()),
            address: Some("Cà Mau".into()),
            area_code: Some("vn-cm".into()),
            unit_code: Some("PB0302".into()),
            notes: None,
        }
    }

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn normalises_codes_and_phones() {
        let c = Customer::create(input(), now()).unwrap();
        assert_eq!(c.code, "PB03020045525");
        assert_eq!(c.area_code.as_deref(), Some("VN-CM"));
        let numbers: Vec<_> = c.phones.iter().map(|p| (p.number.as_str(), p.renumbered)).collect();
        assert_eq!(
            numbers,
            [("+84912345678", false), ("+84323456789", true)],
            "duplicates and blanks dropped"
        );
        assert!(c.search_text().contains("nguyen van a"));
    }

    #[test]
    fn names_every_bad_field() {
        let bad = CustomerInput {
            code: Some("x".into()),
            phones: vec!["0912345678".into(), "not a phone".into()],
            email: Some("nobody".into()),
            unit_code: Some("PB 03".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(Customer::create(bad, now()).unwrap_err()),
            ["customer_code", "name", "phones[1]", "email", "unit_code"]
        );
    }

    #[test]
    fn patch_and_replace() {
        let c = Customer::create(input(), now()).unwrap();
        let p = CustomerPatch {
            phones: Some(vec!["0987654321".into()]),
            address: Some(None),
            ..Default::default()
        };
        let n = c.patched(p, now()).unwrap();
        assert_eq!(n.phones.len(), 1);
        assert_eq!(n.address, None);
        assert_eq!(n.version, 2);
        assert!(!n.same_content(&c));
        let again = Customer::create(input(), now()).unwrap();
        assert!(again.same_content(&c));
        let replaced = again.replacing(&c, now());
        assert_eq!((replaced.id, replaced.version), (c.id, 2));
        let empty_name = CustomerPatch {
            name: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(fields(c.patched(empty_name, now()).unwrap_err()), ["name"]);
    }
}
