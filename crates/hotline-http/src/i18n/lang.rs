//! Which language an answer is in: `Accept-Language` (RFC 9110 §12.5.4,
//! with q-values), else the server's default.

use std::fmt;
use std::str::FromStr;

/// The languages answers come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }

    /// The language an `Accept-Language` value prefers among ours, by
    /// q-value then order; None when it names none of them (or `*` only).
    pub fn preferred(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "vi" => Lang::Vi,
                "en" => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "vi" => Ok(Lang::Vi),
            other => Err(format!("{other:?} is not a supported language (en or vi)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_language_as_browsers_send_it() {
        assert_eq!(Lang::preferred("vi"), Some(Lang::Vi));
        assert_eq!(Lang::preferred("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Vi));
        assert_eq!(Lang::preferred("en-US,en;q=0.9,vi;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::preferred("fr, vi;q=0.5"), Some(Lang::Vi));
        assert_eq!(Lang::preferred("en;q=0.2, VI;q=0.9"), Some(Lang::Vi));
        assert_eq!(Lang::preferred("vi;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::preferred("fr-FR, *"), None);
        assert_eq!(Lang::preferred(""), None);
    }

    #[test]
    fn parses_a_configured_default() {
        assert_eq!("VI".parse::<Lang>(), Ok(Lang::Vi));
        assert!("de".parse::<Lang>().is_err());
    }
}
