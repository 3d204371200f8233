//! Where a work order came from: the desk (from a call, or opened directly)
//! or a citizen or city app through Open311. Reports and filters read it.

named_enum!(
    /// How a work order entered the hotline.
    Source {
        /// Opened from a logged call.
        Call => "call",
        /// Opened directly through the API (staff or an integration).
        Direct => "direct",
        /// Filed by a citizen or city app through the Open311 interface.
        Open311 => "open311",
        /// A new-supply request that came in by e-mail.
        Email => "email",
        /// Handed in at a customer-service counter.
        Counter => "counter",
        /// Filed on the utility's own web site.
        Web => "web",
    }
);

// `named_enum!` owns the derive list, so the default is written out.
#[allow(clippy::derivable_impls)]
impl Default for Source {
    fn default() -> Self {
        Source::Direct
    }
}

/// The longest media URL kept (a photo of the problem).
pub const MAX_MEDIA_URL: usize = 2000;

/// An `http(s)` URL without spaces or control characters, as given.
pub fn check_media_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("must be an http or https URL")?;
    if url.chars().count() > MAX_MEDIA_URL {
        return Err(format!("must be at most {MAX_MEDIA_URL} characters"));
    }
    if rest.is_empty() || rest.starts_with('/') {
        return Err("must name a host".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Source::default(), Source::Direct);
        assert!("sms".parse::<Source>().is_err());
    }

    #[test]
    fn media_urls() {
        assert_eq!(
            check_media_url(" https://img.example/a.jpg ").as_deref(),
            Ok("https://img.example/a.jpg")
        );
        assert!(check_media_url("ftp://x/a.jpg").is_err());
        assert!(check_media_url("https://").is_err());
        assert!(check_media_url("https://a b").is_err());
        assert!(check_media_url(&format!("https://x/{}", "a".repeat(2000))).is_err());
    }
}
