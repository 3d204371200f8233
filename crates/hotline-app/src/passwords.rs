//! Password hashing with argon2id, off the async runtime (a hash costs tens
//! of milliseconds of CPU by design).

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use hotline_domain::DomainError;

/// The argon2id hash of `password`, in PHC string form.
pub async fn hash(password: String) -> Result<String, DomainError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| DomainError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| DomainError::Internal(format!("hashing task failed: {e}")))?
}

/// Verifies; with no stored hash (unknown user) it still spends the same
/// time, so response timing does not reveal which usernames exist.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(dummy_hash);
        let ok = PasswordHash::new(&stored)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        ok && real
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            Argon2::default()
                .hash_password(b"not a password anyone has")
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}
