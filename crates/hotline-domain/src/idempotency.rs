//! Idempotency keys: a client that retries a POST with the same key and the
//! same body gets the first answer again and nothing new is stored; the same
//! key with a different body is a client bug and is refused.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A stored first answer to an idempotent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub scope: String,
    pub key: String,
    pub fingerprint: String,
    pub status: u16,
    /// The answer's body; empty when the record keeps only where the
    /// answer's resource is (see [`IdempotencyRecord::refers`]).
    pub body: String,
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl IdempotencyRecord {
    /// Whether the record keeps where the created resource is instead of
    /// the answer's body: a retry is answered with the resource as it is
    /// then (the first answer byte for byte while it is unchanged), so a
    /// call logged with a key does not store its whole state a second time.
    pub fn refers(&self) -> bool {
        self.body.is_empty() && self.location.is_some()
    }

    /// The id at the end of the location a record [refers](Self::refers) to.
    pub fn referred_id(&self) -> Option<uuid::Uuid> {
        let location = self.location.as_deref().filter(|_| self.refers())?;
        location.rsplit('/').next()?.parse().ok()
    }

    /// What the record is found by: [`key_digest`] of its scope and key.
    pub fn digest(&self) -> [u8; 16] {
        key_digest(&self.scope, &self.key)
    }
}

/// The first 16 bytes of SHA-256 over `scope`, a zero byte and `key`: a
/// fixed-size stand-in for the pair, which can run to 350 characters, to
/// index and find a record by. A key never holds a zero byte (it is
/// visible ASCII, [`check_key`]), so two pairs never hash the same input;
/// at 128 bits, two records of a week colliding is beyond any count of
/// requests. Stored records are found by it: it never changes.
pub fn key_digest(scope: &str, key: &str) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(scope.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let full = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay<'a> {
    /// Same request: answer with the stored response.
    Same(&'a IdempotencyRecord),
    /// Same key, different request.
    Mismatch,
}

/// Keys are 1–255 visible ASCII characters (UUIDs, ULIDs, PBX call ids…).
pub fn check_key(raw: &str) -> Result<&str, String> {
    if raw.is_empty() || raw.len() > 255 {
        return Err("Idempotency-Key must be 1 to 255 characters".into());
    }
    if !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("Idempotency-Key must be visible ASCII characters".into());
    }
    Ok(raw)
}

/// A fingerprint of the request that ignores JSON formatting and key order,
/// so a client that re-serialises its body on retry is still recognised.
pub fn fingerprint(route: &str, body: &Value) -> String {
    // serde_json's Map keeps keys sorted, so this serialisation is canonical.
    let canonical = serde_json::to_string(body).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(route.as_bytes());
    h.update([0]);
    h.update(canonical.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Decides what a request whose key is already stored gets.
pub fn replay<'a>(stored: &'a IdempotencyRecord, fingerprint: &str) -> Replay<'a> {
    if stored.fingerprint == fingerprint {
        Replay::Same(stored)
    } else {
        Replay::Mismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(fp: &str) -> IdempotencyRecord {
        IdempotencyRecord {
            scope: "user:1".into(),
            key: "k".into(),
            fingerprint: fp.into(),
            status: 201,
            body: "{}".into(),
            location: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_key_digest_is_stable_and_tells_pairs_apart() {
        let hex = |d: [u8; 16]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        // Records stored under it must be found again by later builds.
        assert_eq!(hex(key_digest("user:1", "k")), "6d1b91191335134ee92a0de9614d4e37");
        assert_eq!(record("x").digest(), key_digest("user:1", "k"));
        assert_ne!(key_digest("user:1", "k"), key_digest("user:1k", ""));
        assert_ne!(key_digest("user:1", "k"), key_digest("user:2", "k"));
        assert_ne!(key_digest("user:1", "k"), key_digest("user:1", "K"));
    }

    #[test]
    fn fingerprint_ignores_formatting_and_key_order() {
        let a: Value = serde_json::from_str(r#"{"a":1,"b":{"x":"y","z":[1,2]}}"#).unwrap();
        let b: Value = serde_json::from_str("{ \"b\" : {\"z\":[1, 2], \"x\":\"y\"},\n \"a\": 1 }").unwrap();
        assert_eq!(fingerprint("POST /calls", &a), fingerprint("POST /calls", &b));
    }

    #[test]
    fn fingerprint_differs_by_body_and_route() {
        let a = json!({"a": 1});
        assert_ne!(fingerprint("r", &a), fingerprint("r", &json!({"a": 2})));
        assert_ne!(fingerprint("r1", &a), fingerprint("r2", &a));
        assert_ne!(fingerprint("r", &json!([1, 2])), fingerprint("r", &json!([2, 1])));
    }

    #[test]
    fn same_body_replays_other_body_is_refused() {
        let fp = fingerprint("r", &json!({"a": 1}));
        let stored = record(&fp);
        assert_eq!(replay(&stored, &fp), Replay::Same(&stored));
        assert_eq!(replay(&stored, &fingerprint("r", &json!({"a": 2}))), Replay::Mismatch);
    }

    #[test]
    fn a_record_without_a_body_refers_to_its_location() {
        let id = uuid::Uuid::new_v4();
        let mut r = record("f");
        assert!(!r.refers(), "a body is kept whole");
        assert_eq!(r.referred_id(), None);
        r.body = String::new();
        assert!(!r.refers(), "an empty answer with nowhere to look is not a reference");
        r.location = Some(format!("/api/v1/calls/{id}"));
        assert!(r.refers());
        assert_eq!(r.referred_id(), Some(id));
        r.location = Some("/api/v1/calls/not-an-id".into());
        assert_eq!(r.referred_id(), None);
    }

    #[test]
    fn keys_are_checked() {
        assert!(check_key("0f8c1a3e-2b5d-4e1c-9a7f-1d2e3f4a5b6c").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("with space").is_err());
        assert!(check_key("ключ").is_err());
        assert!(check_key(&"k".repeat(256)).is_err());
    }
}
