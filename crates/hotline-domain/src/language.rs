//! The languages answers come in, a user's or API key's preference among
//! them, and reading `Accept-Language` (RFC 9110 §12.5.4, with q-values).

use std::fmt;
use std::str::FromStr;

/// The languages answers come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Vi,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Vi => "vi",
        }
    }

    /// The language an `Accept-Language` value prefers among ours, by
    /// q-value then order; None when it names none of them (or `*` only).
    pub fn preferred(header: &str) -> Option<Language> {
        let mut best: Option<(f32, Language)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "vi" => Language::Vi,
                "en" => Language::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Language, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Language::En),
            "vi" => Ok(Language::Vi),
            other => Err(format!("{other:?} is not a supported language (en or vi)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_language_as_browsers_send_it() {
        assert_eq!(Language::preferred("vi"), Some(Language::Vi));
        assert_eq!(
            Language::preferred("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"),
            Some(Language::Vi)
        );
        assert_eq!(Language::preferred("en-US,en;q=0.9,vi;q=0.8"), Some(Language::En));
        assert_eq!(Language::preferred("fr, vi;q=0.5"), Some(Language::Vi));
        assert_eq!(Language::preferred("en;q=0.2, VI;q=0.9"), Some(Language::Vi));
        assert_eq!(Language::preferred("vi;q=0, en"), Some(Language::En));
        assert_eq!(Language::preferred("fr-FR, *"), None);
        assert_eq!(Language::preferred(""), None);
    }

    #[test]
    fn parses_a_configured_default() {
        assert_eq!("VI".parse::<Language>(), Ok(Language::Vi));
        assert!("de".parse::<Language>().is_err());
    }
}
