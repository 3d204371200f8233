//! Numbers the hotline refuses (prank and abusive callers).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::DomainError;
use crate::phone::PhoneNumber;
use crate::validation::{Validation, optional_text};

#[derive(Debug, Clone, PartialEq)]
pub struct BlockedNumber {
    pub id: Uuid,
    pub number: PhoneNumber,
    pub reason: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl BlockedNumber {
    pub fn create(
        number: &str,
        reason: Option<&str>,
        created_by: String,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let mut v = Validation::new();
        let parsed = match PhoneNumber::parse(number) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                v.add("number", "a withheld number cannot be blocked");
                None
            }
            Err(e) => {
                v.add("number", e.to_string());
                None
            }
        };
        let reason = optional_text(&mut v, "reason", reason, 500);
        if reason.is_none() && v.errors().iter().all(|e| e.field != "reason") {
            v.add("reason", "is required: say why, for the next supervisor");
        }
        v.finish()?;
        Ok(BlockedNumber {
            id: Uuid::now_v7(),
            number: parsed.ok_or_else(|| DomainError::invalid("number", "is required"))?,
            reason: reason.unwrap_or_default(),
            created_by,
            created_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_a_real_number_and_a_reason() {
        let now = Utc::now();
        let b = BlockedNumber::create("0912 345 678", Some("gọi quấy rối"), "user:a".into(), now).unwrap();
        assert_eq!(b.number.as_str(), "+84912345678");
        assert!(BlockedNumber::create("anonymous", Some("x"), "u".into(), now).is_err());
        assert!(BlockedNumber::create("0912345678", None, "u".into(), now).is_err());
        assert!(BlockedNumber::create("junk", Some("x"), "u".into(), now).is_err());
    }
}
