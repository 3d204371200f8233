//! What anyone may read without a key: a request's own words with the
//! contact details people type into them (phone numbers, e-mail
//! addresses) masked, and the discovery document that points apps at the
//! endpoint.

/// What a masked contact detail reads as.
pub const MASK: &str = "[…]";

/// The fewest digits a run needs to be taken for a phone number (Vietnam's
/// numbers have 9 to 11; dates and house numbers have fewer).
const PHONE_DIGITS: usize = 8;

/// The text with phone numbers (8 or more digits, however grouped: `0912
/// 345 678`, `+84-912.345.678`) and e-mail addresses masked.
pub fn mask_contacts(text: &str) -> String {
    let words: Vec<String> = text
        .split_inclusive(char::is_whitespace)
        .map(|w| {
            let bare = w.trim_end();
            if looks_like_email(bare) {
                format!("{MASK}{}", &w[bare.len()..])
            } else {
                w.to_string()
            }
        })
        .collect();
    mask_phones(&words.concat())
}

fn looks_like_email(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    match word.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.'),
        None => false,
    }
}

fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            // The run of digits and the separators people write between them.
            let mut end = i;
            let mut last_digit = i;
            let mut digits = 0;
            // Not `/` or `,`: dates (`22/11/2026`) and lists would go too.
            while end < chars.len()
                && (chars[end].is_ascii_digit() || chars[end].is_whitespace() || " .-_()+".contains(chars[end]))
            {
                if chars[end].is_ascii_digit() {
                    digits += 1;
                    last_digit = end;
                }
                end += 1;
            }
            if digits >= PHONE_DIGITS {
                out.push_str(MASK);
            } else {
                out.extend(&chars[i..=last_digit]);
            }
            i = last_digit + 1;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The GeoReport v2 specification an endpoint follows.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When the endpoint or its service list last changed.
pub const CHANGESET: &str = "2026-12-04T00:00:00Z";
/// Whom a developer asks.
pub const CONTACT: &str = "Tổng đài chăm sóc khách hàng 1900 1006 (customer care hotline)";
/// How a developer gets a key.
pub const KEY_SERVICE: &str = "Ask the hotline's administrators for an integration API key: \
filing a request needs one (api_key), reading services and requests does not.";
/// The formats every endpoint answers in.
pub const FORMATS: &[&str] = &["application/json", "text/xml"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_addresses_are_masked() {
        assert_eq!(
            mask_contacts("Gọi 0912 345 678 hoặc +84-28.3822.1234, mail an@vi.vn."),
            "Gọi […] hoặc […], mail […]"
        );
        assert_eq!(
            mask_contacts("Mất điện từ 7:30 ngày 22/11/2026, nhà số 123"),
            "Mất điện từ 7:30 ngày 22/11/2026, nhà số 123"
        );
        assert_eq!(mask_contacts("a @ b"), "a @ b");
        // Grouped with underscores or a non-breaking space, as phones paste them.
        assert_eq!(mask_contacts("SĐT 0912_345_678"), "SĐT […]");
        assert_eq!(mask_contacts("SĐT 0912\u{a0}345\u{a0}678."), "SĐT […].");
    }
}
