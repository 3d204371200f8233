//! Secrets in the configuration: kept as given, shown as `<redacted>`.

use std::fmt;

/// Printed by [`Secret`]'s `Debug` in place of the value.
pub const REDACTED: &str = "<redacted>";

/// A secret setting (a password, a signing key). Its `Debug` never shows
/// the value; [`Secret::expose`] hands it to the code that needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Hides the password in `scheme://user:password@host/db`, and the value of
/// a `password=` (or `sslpassword=`) query parameter.
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => match base[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:{REDACTED}{}", &base[..s + 3], &base[at..]),
            None => base.to_string(),
        },
        _ => base.to_string(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") || k.eq_ignore_ascii_case("sslpassword") => {
                    format!("{k}={REDACTED}")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_passwords_only() {
        assert_eq!(
            redact_url("postgres://hotline:s3cret@db:5432/hotline"),
            "postgres://hotline:<redacted>@db:5432/hotline"
        );
        assert_eq!(
            redact_url("postgres://hotline@db/hotline"),
            "postgres://hotline@db/hotline"
        );
        assert_eq!(
            redact_url("sqlite:./hotline.db?mode=rwc"),
            "sqlite:./hotline.db?mode=rwc"
        );
        assert_eq!(
            redact_url("postgresql://db/hotline?user=h&password=s3cret&sslmode=require"),
            "postgresql://db/hotline?user=h&password=<redacted>&sslmode=require"
        );
    }

    #[test]
    fn a_secret_prints_redacted() {
        let s = Secret::new("0123456789abcdef");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(<redacted>)");
        assert_eq!(s.expose(), "0123456789abcdef");
    }
}
