//! Personal data past its purpose: the keyed pseudonym that replaces a
//! phone number (so the same number still groups with itself), the texts
//! an erasure replaces wherever they were copied, and the kinds of record
//! the retention worker prunes. Pure: the key comes from the caller.

mod base32;
mod scrub;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

pub use scrub::{MIN_TEXT_CHARS, Scrub, number_forms};

/// Every pseudonym starts with this: it can never be mistaken for a number
/// (no dialler, parser or search takes it for one).
pub const PSEUDONYM_PREFIX: &str = "anon:";

/// 128 bits: no two numbers of a country's plan collide in practice.
const PSEUDONYM_BYTES: usize = 16;

/// What an erased name, address or e-mail becomes where a value is required.
pub const ERASED: &str = "[erased]";

/// Turns numbers into pseudonyms: `anon:` and the base32 of the first 128
/// bits of HMAC-SHA256(key, number), 31 characters in all, so a pseudonym
/// fits wherever a number is stored. The same key and number always give the same
/// pseudonym; without the key, nobody can tell which number it was (the
/// number space is small, so an unkeyed hash would be reversed by trying
/// every number).
#[derive(Clone)]
pub struct Pseudonymiser {
    key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(<redacted>)")
    }
}

impl Pseudonymiser {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    /// The same key salted with one erasure's id: the erased records still
    /// group with each other, and never with a later call from the number,
    /// even for someone holding the key.
    #[must_use]
    pub fn salted(&self, salt: Uuid) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(b"erasure:");
        mac.update(salt.as_bytes());
        Self {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    /// The pseudonym of a stored number; a pseudonym stays as it is.
    pub fn of(&self, number: &str) -> String {
        if is_pseudonym(number) {
            return number.to_string();
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(number.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("{PSEUDONYM_PREFIX}{}", base32::encode(&digest[..PSEUDONYM_BYTES]))
    }
}

pub fn is_pseudonym(value: &str) -> bool {
    value.starts_with(PSEUDONYM_PREFIX)
}

named_enum!(Pruned {
    IdempotencyRecords => "idempotency_records",
    WebhookBodies => "webhook_bodies",
    RefreshTokens => "refresh_tokens",
    SignInFailures => "sign_in_failures",
    AuditEntries => "audit_entries",
    PersonalReads => "personal_reads",
    PbxCallStates => "pbx_call_states",
});

named_enum!(Anonymised {
    Calls => "calls",
    Notes => "notes",
    Callbacks => "callbacks",
    SurveyAnswers => "survey_answers",
    Applicants => "new_supply_applicants",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_keyed_stable_and_never_numbers() {
        let p = Pseudonymiser::new(b"key one");
        let a = p.of("+84909123456");
        assert_eq!(a, p.of("+84909123456"));
        assert!(a.starts_with("anon:") && a.len() == 31, "{a}");
        assert!(!a.contains("909123456"));
        assert_ne!(a, p.of("+84909123457"));
        assert_ne!(a, Pseudonymiser::new(b"key two").of("+84909123456"));
        assert_eq!(p.of(&a), a, "a pseudonym is not hashed twice");
        let salted = p.salted(Uuid::nil());
        assert_ne!(salted.of("+84909123456"), a);
        assert_eq!(salted.of("+84909123456"), p.salted(Uuid::nil()).of("+84909123456"));
        assert_eq!(format!("{p:?}"), "Pseudonymiser(<redacted>)");
    }
}
