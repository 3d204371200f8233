//! People who sign in, and the API keys integrations use.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::codes::{TeamCode, UnitCode};
use crate::language::Language;
use crate::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    /// The unit the user works in (scopes what they see).
    pub unit_code: Option<UnitCode>,
    /// The field team the user belongs to; its unit lies in the user's unit subtree.
    pub team_code: Option<TeamCode>,
    /// The language the user reads problems and exports in; None: the
    /// request's `Accept-Language`, else the server's default.
    pub language: Option<Language>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// When the password was last set by a change or a reset; None: since
    /// the account was made.
    pub password_changed_at: Option<DateTime<Utc>>,
    /// Counts the password changes and resets: access tokens carry the
    /// value they were issued under and are refused once it moves on.
    pub sessions_version: i64,
}

/// A user row with its password hash, for sign-in only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// The first characters of the key, so people can tell keys apart.
    pub prefix: String,
    /// The unit whose subtree the key is limited to, as a user placed in
    /// it would be; None for a key that serves the whole centre.
    pub unit_code: Option<UnitCode>,
    /// The language of the key's problems and exports, as a user's.
    pub language: Option<Language>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The scopes the key is limited to; None: its role's rights.
    pub scopes: Option<Vec<crate::key_scope::KeyScope>>,
}

/// A one-time password reset an admin issued: only the token's hash is
/// kept; it sets the password once, before it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub token_hash: String,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A refresh token as stored: only its hash, never the token itself.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub token_hash: String,
    pub user_id: Uuid,
    /// All tokens rotated from one sign-in share a family; replaying a used
    /// token revokes the whole family.
    pub family: Uuid,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotateOutcome {
    Rotated {
        user_id: Uuid,
    },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already used once: a sign of theft, so the family is now revoked.
    Reused,
}

/// Usernames: 3–64 characters of lowercase letters, digits, `.`, `_`, `-`;
/// stored lowercased so `Alice` and `alice` are one account.
pub fn normalize_username(raw: &str) -> Result<String, String> {
    let name = raw.trim().to_lowercase();
    if !(3..=64).contains(&name.chars().count()) {
        return Err("must be 3 to 64 characters".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("may contain only letters a–z, digits, '.', '_', '-' and '@'".into());
    }
    Ok(name)
}

/// Passwords: 10 to 256 characters; length beats composition rules.
pub fn check_password(raw: &str) -> Result<(), String> {
    let n = raw.chars().count();
    if n < 10 {
        return Err("must be at least 10 characters".into());
    }
    if n > 256 {
        return Err("must be at most 256 characters".into());
    }
    Ok(())
}

/// Names of API keys: 1–100 printable characters.
pub fn check_key_name(raw: &str) -> Result<String, String> {
    let name = crate::text::nfc(raw);
    if name.is_empty() || name.chars().count() > 100 {
        return Err("must be 1 to 100 characters".into());
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(normalize_username(" Alice "), Ok("alice".into()));
        assert!(normalize_username("ab").is_err());
        assert!(normalize_username("nguyễn").is_err());
        assert!(normalize_username("a b c").is_err());
    }

    #[test]
    fn passwords_need_length() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert!(check_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn key_names() {
        assert_eq!(check_key_name(" PBX Cà Mau "), Ok("PBX Cà Mau".into()));
        assert!(check_key_name("").is_err());
        assert!(check_key_name("a\nb").is_err());
    }
}
