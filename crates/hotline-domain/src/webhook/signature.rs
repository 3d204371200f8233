//! Signing per the Standard Webhooks convention: the receiver recomputes
//! `base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))` with the key behind
//! the `whsec_` secret and compares it with `webhook-signature` (`v1,…`).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a Standard Webhooks secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";
/// Key sizes accepted: 24 to 64 random bytes (we generate 32).
const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// A subscription's signing secret: `whsec_` + base64 of the key bytes.
/// Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// A secret for these (random) key bytes.
    pub fn from_key(key: &[u8]) -> Result<Self, String> {
        if !KEY_BYTES.contains(&key.len()) {
            return Err(format!(
                "a webhook key must be {} to {} bytes",
                KEY_BYTES.start(),
                KEY_BYTES.end()
            ));
        }
        Ok(Self(format!("{SECRET_PREFIX}{}", STANDARD.encode(key))))
    }

    /// A stored secret, checked.
    pub fn parse(s: &str) -> Result<Self, String> {
        let key = s
            .strip_prefix(SECRET_PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .ok_or_else(|| "not a whsec_ secret".to_string())?;
        Self::from_key(&key)
    }

    /// The secret as given to the subscriber (shown once).
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn key(&self) -> Vec<u8> {
        // Checked at construction.
        STANDARD.decode(&self.0[SECRET_PREFIX.len()..]).unwrap_or_default()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// The `webhook-signature` header value for a message: `v1,<base64>`.
pub fn sign(secret: &WebhookSecret, msg_id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).expect("HMAC takes keys of any length");
    mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header value signed with every secret given
/// (newest first), space-separated: `v1,<new> v1,<old>`. During a secret
/// rotation's overlap a receiver that still has the old secret and one that
/// already has the new one both find their signature.
pub fn sign_all(secrets: &[&WebhookSecret], msg_id: &str, timestamp: i64, body: &str) -> String {
    secrets
        .iter()
        .map(|s| sign(s, msg_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether any of the space-separated signatures in a `webhook-signature`
/// header is the one for this message (what a receiver checks).
pub fn verify(secret: &WebhookSecret, msg_id: &str, timestamp: i64, body: &str, header: &str) -> bool {
    let expected = sign(secret, msg_id, timestamp, body);
    header
        .split(' ')
        .any(|s| constant_time_eq(s.as_bytes(), expected.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key bytes 0..32, message id, timestamp and body below; the expected
    /// value was computed separately with an independent HMAC-SHA256.
    const KEY_0_TO_31: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const ID: &str = "01939a7e-0000-7000-8000-000000000001";
    const BODY: &str = r#"{"id":"01939a7e-0000-7000-8000-000000000001","type":"work_order.created"}"#;
    const EXPECTED: &str = "v1,rdDykm2nM1Lj6XbswYEKYf70o3tZK1S9ec3LFRYdCDQ=";

    #[test]
    fn signs_a_known_vector() {
        let secret = WebhookSecret::parse(KEY_0_TO_31).unwrap();
        assert_eq!(sign(&secret, ID, 1_763_800_000, BODY), EXPECTED);
        let key: Vec<u8> = (0u8..32).collect();
        assert_eq!(WebhookSecret::from_key(&key).unwrap(), secret);
    }

    #[test]
    fn verifies_like_a_receiver() {
        let secret = WebhookSecret::parse(KEY_0_TO_31).unwrap();
        assert!(verify(&secret, ID, 1_763_800_000, BODY, &format!("v1,bad= {EXPECTED}")));
        assert!(
            !verify(&secret, ID, 1_763_800_001, BODY, EXPECTED),
            "timestamp is signed"
        );
        assert!(!verify(&secret, ID, 1_763_800_000, "{}", EXPECTED), "body is signed");
        let other = WebhookSecret::from_key(&[7u8; 32]).unwrap();
        assert!(!verify(&other, ID, 1_763_800_000, BODY, EXPECTED));
    }

    #[test]
    fn during_an_overlap_both_secrets_verify() {
        let new = WebhookSecret::from_key(&[1u8; 32]).unwrap();
        let old = WebhookSecret::parse(KEY_0_TO_31).unwrap();
        let header = sign_all(&[&new, &old], ID, 1_763_800_000, BODY);
        assert_eq!(header, format!("{} {EXPECTED}", sign(&new, ID, 1_763_800_000, BODY)));
        assert!(verify(&new, ID, 1_763_800_000, BODY, &header));
        assert!(verify(&old, ID, 1_763_800_000, BODY, &header));
        let other = WebhookSecret::from_key(&[7u8; 32]).unwrap();
        assert!(!verify(&other, ID, 1_763_800_000, BODY, &header));
        assert_eq!(sign_all(&[&old], ID, 1_763_800_000, BODY), EXPECTED);
    }

    #[test]
    fn secrets_are_checked_and_never_shown_in_debug() {
        for bad in ["", "whsec_", "whsec_!!!", "abc", "whsec_AAAA"] {
            assert!(WebhookSecret::parse(bad).is_err(), "{bad}");
        }
        let s = WebhookSecret::from_key(&[1u8; 32]).unwrap();
        assert!(s.expose().starts_with("whsec_"));
        assert!(!format!("{s:?}").contains(&s.expose()[6..]));
    }
}
