//! The rules a new password must meet, on every path that sets one
//! (creating a user, changing one's own, an admin's reset, the command
//! line): long enough, not the username (either way round), and not one of
//! the passwords people pick most (a bundled list, Vietnamese favourites
//! among them). Length beats composition rules.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 10;
/// Most characters a password may have.
pub const MAX_CHARS: usize = 256;

/// The bundled list, one lowercase password a line.
const COMMON: &str = include_str!("password/common.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Whether `raw` is on the bundled list of common passwords (ignoring case
/// and surrounding spaces).
pub fn is_common(raw: &str) -> bool {
    common().contains(raw.trim().to_lowercase().as_str())
}

/// Checks a new password for the account `username`; the reason when it
/// fails, for the field error.
pub fn check_new(username: &str, raw: &str) -> Result<(), String> {
    crate::user::check_password(raw)?;
    let folded = raw.trim().to_lowercase();
    let name = username.trim().to_lowercase();
    if !name.is_empty() && (folded == name || folded == name.chars().rev().collect::<String>()) {
        return Err("must not be the username, nor the username reversed".into());
    }
    if is_common(raw) {
        return Err("is one of the most common passwords; choose one that is harder to guess".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_about_a_thousand_and_the_local_favourites() {
        let n = common().len();
        assert!((900..=1100).contains(&n), "{n}");
        for p in ["matkhau123", "123456789", "anhyeuem", "1234567890", "password123"] {
            assert!(is_common(p), "{p}");
        }
        assert!(is_common("MatKhau123"), "case does not matter");
    }

    #[test]
    fn new_passwords_meet_every_rule() {
        assert!(check_new("alice", "short").is_err());
        assert!(check_new("nguyen.van.an", "nguyen.van.an").is_err(), "the username");
        assert!(check_new("nguyen.van.an", "NGUYEN.VAN.AN").is_err(), "any case");
        assert!(check_new("nguyen.van.an", "na.nav.neyugn").is_err(), "reversed");
        assert!(check_new("alice", "1234567890").is_err(), "common");
        assert!(check_new("alice", "anhyeuem123").is_err(), "common, Vietnamese");
        assert!(check_new("alice", "đèn đường sáng rồi").is_ok());
        assert!(check_new("alice", &"x".repeat(MAX_CHARS + 1)).is_err());
    }
}
