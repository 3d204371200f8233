//! Phone numbers as the hotline receives them: "parse, don't validate".
//!
//! Callers reach us through the PBX (caller ID, SIP URIs), through agents
//! typing what a customer dictates, and through the public API. All of those
//! spell the same number in many ways, so [`PhoneNumber::parse`] turns every
//! accepted spelling into one canonical value. Once a `PhoneNumber` exists the
//! rest of the code base can compare, index and store it without re-checking.
//!
//! Canonical forms, by [`PhoneKind`]:
//! * `E164` – `+84912345678`, `+442079460958`: anything reachable from the
//!   public network, validated against libphonenumber metadata.
//! * `Service` – `19001006`: Vietnamese 1900/1800 numbers, which have no
//!   meaningful E.164 form and are dialled as written.
//! * `Extension` – `101`: internal PBX extensions.

use std::fmt;

mod vn_plan;

/// Vietnam's country calling code, as digits.
const VN_COUNTRY_CODE: &str = "84";

/// Upper bound on the raw input, in characters, checked before any other
/// work so that hostile or accidental megabyte-sized input costs nothing.
/// Generous enough for `sip:+84 (0) 912 345 678@some.long.pbx.host`.
const MAX_INPUT_CHARS: usize = 64;

/// E.164 allows at most 15 digits including the country code.
const MAX_E164_DIGITS: usize = 15;

/// A Vietnamese national significant number (without the trunk `0`) is 9
/// digits for mobiles and 10 for landlines; anything shorter that is not a
/// service number cannot be valid, and saying "too short" helps the user more
/// than a generic "invalid".
const MIN_VN_NATIONAL_DIGITS: usize = 9;

/// Extensions on our PBX are 2–6 digits.
const EXTENSION_DIGITS: std::ops::RangeInclusive<usize> = 2..=6;

/// Words that PBXs and carriers put in the caller-ID field when the caller
/// withheld the number. Compared ASCII-case-insensitively.
const WITHHELD_WORDS: &[&str] = &[
    "anonymous",
    "unknown",
    "private",
    "restricted",
    "withheld",
    "unavailable",
    "blocked",
];

/// The 15 Sep 2018 renumbering of 11-digit mobiles: old national prefix
/// (without the trunk `0`) → new prefix. The last 7 digits are kept.
/// libphonenumber's metadata only knows the new plan, so old numbers still in
/// customers' address books must be translated before validation.
const MOBILE_RENUMBERING_2018: &[(&str, &str)] = &[
    ("120", "70"),
    ("121", "79"),
    ("122", "77"),
    ("126", "76"),
    ("128", "78"),
    ("123", "83"),
    ("124", "84"),
    ("125", "85"),
    ("127", "81"),
    ("129", "82"),
    ("162", "32"),
    ("163", "33"),
    ("164", "34"),
    ("165", "35"),
    ("166", "36"),
    ("167", "37"),
    ("168", "38"),
    ("169", "39"),
    ("186", "56"),
    ("188", "58"),
    ("199", "59"),
];

/// What sort of number a [`PhoneNumber`] holds; decides how it may be dialled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// Public number in E.164 form, e.g. `+84912345678`.
    E164,
    /// Vietnamese 1900/1800 service number as dialled, e.g. `19001006`.
    Service,
    /// Internal PBX extension, e.g. `101`.
    Extension,
}

/// Why a raw string was not accepted as a phone number.
///
/// The messages are predicates ("is too long") so an API layer can prefix
/// the field name. They deliberately do not echo the input: it may be junk
/// of arbitrary size, and it is personal data either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("is too long")]
    TooLong,
    #[error("is too short")]
    TooShort,
    #[error("contains letters")]
    ContainsLetters,
    #[error("contains characters that are not allowed in a phone number")]
    InvalidCharacter,
    #[error("contains no digits")]
    NoDigits,
    /// Digits are fine but the punctuation is not: a `+` in the middle,
    /// unbalanced or nested parentheses.
    #[error("is not written like a phone number")]
    Malformed,
    #[error("is not a valid phone number")]
    Invalid,
}

/// A phone number in canonical form. Construct with [`PhoneNumber::parse`]
/// (untrusted input) or [`PhoneNumber::from_stored`] (our own database).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "String")]
pub struct PhoneNumber {
    value: String,
    kind: PhoneKind,
}

impl PhoneNumber {
    /// Parse a phone number as a human, a PBX or an API client wrote it.
    ///
    /// Returns `Ok(None)` when the caller withheld the number (empty input,
    /// `anonymous`, `sip:anonymous@anonymous.invalid`, …), because a withheld
    /// caller ID is normal on a hotline and must not be treated as an error.
    /// Never panics, whatever the input.
    ///
    /// # Errors
    ///
    /// A [`PhoneError`] saying what is wrong when the input is neither a
    /// number we can dial nor a withheld marker: letters or other junk, bad
    /// punctuation, too few or too many digits, or a number that the
    /// numbering plan does not contain.
    pub fn parse(raw: &str) -> Result<Option<PhoneNumber>, PhoneError> {
        // Bound the work first; `take` keeps this O(limit) even for huge input.
        if raw.chars().take(MAX_INPUT_CHARS + 1).count() > MAX_INPUT_CHARS {
            return Err(PhoneError::TooLong);
        }

        let normalized = normalize_chars(raw);
        let body = strip_uri(normalized.trim()).trim();

        if body.is_empty() || is_withheld_word(body) {
            return Ok(None);
        }

        let written = scan(body)?;
        classify(&written).map(Some)
    }

    /// The canonical text: E.164 (`+84…`), service digits or extension digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    #[must_use]
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// Rebuild from a value previously produced by [`PhoneNumber::as_str`]
    /// and stored by us. No validation: re-validating would make rows
    /// unreadable whenever libphonenumber's metadata changes. The kind is
    /// recovered from the shape of the canonical form, which is unambiguous.
    #[must_use]
    pub fn from_stored(value: String) -> PhoneNumber {
        let kind = if value.starts_with('+') {
            PhoneKind::E164
        } else if service_prefix(&value).is_some() {
            PhoneKind::Service
        } else {
            PhoneKind::Extension
        };
        PhoneNumber { value, kind }
    }

    fn new(value: String, kind: PhoneKind) -> PhoneNumber {
        PhoneNumber { value, kind }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> String {
        number.value
    }
}

/// Map the Unicode look-alikes that phones, spreadsheets and Asian input
/// methods produce onto ASCII, so the rest of the parser only deals with
/// ASCII digits, `+`, `(`, `)` and a space. Done per character instead of
/// with NFKC because NFKC would also turn `①` or `²` into digits, which are
/// not something a person types as a phone number.
fn normalize_chars(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            // Fullwidth ASCII block (０-９, ＋, （, ｔ…): fixed offset from ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Hyphen, non-breaking hyphen, figure dash, en/em dash, minus.
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            // Invisible characters that copy-paste drags along and that
            // `char::is_whitespace` does not cover.
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect()
}

/// Reduce a `tel:` / `sip:` / `sips:` URI to its user part. The host and any
/// URI parameters say nothing about who called.
fn strip_uri(s: &str) -> &str {
    let Some(rest) = ["tel:", "sip:", "sips:"].iter().find_map(|scheme| {
        // `get` instead of slicing: the input may have a multi-byte char
        // where the scheme would end.
        let head = s.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme).then(|| &s[scheme.len()..])
    }) else {
        return s;
    };
    let user = rest.split('@').next().unwrap_or(rest);
    user.split(';').next().unwrap_or(user)
}

fn is_withheld_word(s: &str) -> bool {
    WITHHELD_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// The digits of the input plus the one piece of layout that carries
/// meaning: what was written in parentheses.
#[derive(Debug)]
struct Written {
    plus: bool,
    digits: String,
    /// Byte range into `digits` of the (single) parenthesised group.
    parens: Option<std::ops::Range<usize>>,
}

impl Written {
    fn paren_group(&self) -> Option<&str> {
        self.parens.clone().map(|r| &self.digits[r])
    }
}

/// Tokenise the body: accept digits, one leading `+`, visual separators and
/// one pair of parentheses; reject everything else with the most helpful
/// error. Letters are reported ahead of other junk because "contains letters"
/// is the message a person can act on.
fn scan(body: &str) -> Result<Written, PhoneError> {
    if body.chars().any(char::is_alphabetic) {
        return Err(PhoneError::ContainsLetters);
    }

    let mut written = Written {
        plus: false,
        digits: String::new(),
        parens: None,
    };
    let mut open: Option<usize> = None;

    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => written.digits.push(c),
            // Only meaningful as the very first character; `++84…` or
            // `0912+345` is a typo we should not guess about.
            '+' if i == 0 => written.plus = true,
            '+' => return Err(PhoneError::Malformed),
            '(' => {
                if open.is_some() || written.parens.is_some() {
                    return Err(PhoneError::Malformed);
                }
                open = Some(written.digits.len());
            }
            ')' => {
                let start = open.take().ok_or(PhoneError::Malformed)?;
                written.parens = Some(start..written.digits.len());
            }
            ' ' | '-' | '.' | '/' => {}
            _ => return Err(PhoneError::InvalidCharacter),
        }
    }
    if open.is_some() {
        return Err(PhoneError::Malformed);
    }
    if written.digits.is_empty() {
        return Err(PhoneError::NoDigits);
    }
    Ok(written)
}

/// Decide what the digits are, from the prefix that was written.
fn classify(written: &Written) -> Result<PhoneNumber, PhoneError> {
    let digits = written.digits.as_str();

    // `+CC…` and `00CC…` are the two international spellings.
    let international = if written.plus {
        Some(0)
    } else if digits.starts_with("00") {
        Some(2)
    } else {
        None
    };
    if let Some(skip) = international {
        return parse_international(written, skip);
    }

    if let Some(national) = digits.strip_prefix('0') {
        return parse_vietnamese(national, old_hcmc_area_code(written));
    }

    if service_prefix(digits).is_some() {
        return service_number(digits);
    }

    // A Vietnamese national number never starts with 8 (those begin with 0 or
    // 1), so a long digit run starting with 84 is the country code written
    // without `+`, as carriers often deliver caller ID.
    if digits.len() > *EXTENSION_DIGITS.end() {
        return match digits.strip_prefix(VN_COUNTRY_CODE) {
            Some(national) => parse_vietnamese(national, false),
            None => foreign_without_prefix(digits),
        };
    }

    if EXTENSION_DIGITS.contains(&digits.len()) {
        return Ok(PhoneNumber::new(digits.to_owned(), PhoneKind::Extension));
    }
    Err(PhoneError::TooShort)
}

/// A country code written without `+` or `00`, as German and other PBXs
/// deliver caller ID (`491715000000`). Taken as international only when the
/// digits cannot be a Vietnamese number that lost its trunk `0`
/// (`912345678`): that would be a guess.
fn foreign_without_prefix(digits: &str) -> Result<PhoneNumber, PhoneError> {
    if parse_vietnamese(digits, false).is_ok() {
        return Err(PhoneError::Invalid);
    }
    if digits.len() > MAX_E164_DIGITS {
        return Err(PhoneError::TooLong);
    }
    validate_e164(digits)
}

/// `+CC…` or `00CC…`; `skip` is the length of the `00` prefix in `digits`.
fn parse_international(written: &Written, skip: usize) -> Result<PhoneNumber, PhoneError> {
    // Drop the "(0)" that many people write between the country code and the
    // number to show the domestic trunk prefix (`+84 (0) 912…`, `+44 (0) 20…`):
    // it is never dialled from abroad.
    let mut digits = String::with_capacity(written.digits.len());
    for (i, c) in written.digits.char_indices().skip(skip) {
        let in_trunk_group =
            written.paren_group() == Some("0") && written.parens.as_ref().is_some_and(|r| r.contains(&i));
        if !in_trunk_group {
            digits.push(c);
        }
    }

    if digits.is_empty() {
        return Err(PhoneError::NoDigits);
    }
    if let Some(national) = digits.strip_prefix(VN_COUNTRY_CODE) {
        // `+84 0912 345 678`: a stray trunk 0 is a common slip, and no
        // Vietnamese number starts with 0 after the country code.
        let national = national.strip_prefix('0').unwrap_or(national);
        return parse_vietnamese(national, false);
    }
    if digits.len() > MAX_E164_DIGITS {
        return Err(PhoneError::TooLong);
    }
    validate_e164(&digits)
}

/// `(08) 3822 1234`: the pre-2017 Ho Chi Minh City area code. Only trusted in
/// parentheses, because a bare `08…` is nowadays a mobile number.
fn old_hcmc_area_code(written: &Written) -> bool {
    written.parens == Some(0..2) && written.paren_group() == Some("08")
        // The old HCMC subscriber numbers were 8 digits.
        && written.digits.len() == 2 + 8
}

/// A Vietnamese national significant number (after `0` or `+84`).
fn parse_vietnamese(national: &str, old_hcmc_landline: bool) -> Result<PhoneNumber, PhoneError> {
    if service_prefix(national).is_some() {
        return service_number(national);
    }

    let national = if old_hcmc_landline {
        // `08` + 8 digits → `028` + the same 8 digits.
        format!("28{}", &national[1..])
    } else {
        renumber_2018(national).unwrap_or_else(|| national.to_owned())
    };

    if national.len() < MIN_VN_NATIONAL_DIGITS {
        return Err(PhoneError::TooShort);
    }
    if VN_COUNTRY_CODE.len() + national.len() > MAX_E164_DIGITS {
        return Err(PhoneError::TooLong);
    }
    validate_e164(&format!("{VN_COUNTRY_CODE}{national}"))
}

/// Whether `raw` is written as a pre-2018 11-digit mobile (`0162 345 6789`,
/// `+84 162…`), which [`PhoneNumber::parse`] maps to today's number. Lets a
/// screen-pop tell an exact match from one found through the renumbering.
#[must_use]
pub fn is_pre_2018_mobile(raw: &str) -> bool {
    if raw.chars().take(MAX_INPUT_CHARS + 1).count() > MAX_INPUT_CHARS {
        return false;
    }
    let digits: String = normalize_chars(raw).chars().filter(char::is_ascii_digit).collect();
    let national = digits
        .strip_prefix("0084")
        .or_else(|| digits.strip_prefix("84").filter(|_| digits.len() == 12))
        .or_else(|| digits.strip_prefix('0'))
        .unwrap_or(&digits);
    renumber_2018(national).is_some()
}

/// Translate a pre-2018 11-digit mobile (10 digits without the trunk 0).
fn renumber_2018(national: &str) -> Option<String> {
    if national.len() != 10 {
        return None;
    }
    let (old, subscriber) = national.split_at(3);
    MOBILE_RENUMBERING_2018
        .iter()
        .find(|(from, _)| *from == old)
        .map(|(_, to)| format!("{to}{subscriber}"))
}

/// Final say for anything on the public network: libphonenumber's metadata.
/// It is only ever handed `+` followed by 1–15 ASCII digits, a shape it
/// handles without surprises (it has panicked on odd punctuation in the past).
fn validate_e164(digits: &str) -> Result<PhoneNumber, PhoneError> {
    debug_assert!(!digits.is_empty() && digits.len() <= MAX_E164_DIGITS);
    debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));

    if digits.strip_prefix(VN_COUNTRY_CODE).is_some_and(vn_plan::valid) {
        return Ok(PhoneNumber::new(format!("+{digits}"), PhoneKind::E164));
    }
    validate_by_crate(digits)
}

/// [`validate_e164`] by the `phonenumber` crate alone.
fn validate_by_crate(digits: &str) -> Result<PhoneNumber, PhoneError> {
    let parsed = phonenumber::parse(None, format!("+{digits}")).map_err(|e| match e {
        phonenumber::ParseError::TooShortAfterIdd | phonenumber::ParseError::TooShortNsn => PhoneError::TooShort,
        phonenumber::ParseError::TooLong => PhoneError::TooLong,
        _ => PhoneError::Invalid,
    })?;
    if !phonenumber::is_valid(&parsed) {
        return Err(PhoneError::Invalid);
    }
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    Ok(PhoneNumber::new(e164, PhoneKind::E164))
}

/// `Some(prefix)` when `digits` starts like a 1900 (premium) or 1800
/// (toll-free) service number.
fn service_prefix(digits: &str) -> Option<&'static str> {
    ["1900", "1800"].into_iter().find(|p| digits.starts_with(p))
}

/// 1900/1800 followed by 4 or 6 digits, kept as dialled. A 1900 prefix with
/// any other length is rejected rather than taken for an extension, so a
/// truncated hotline number is reported instead of silently stored.
fn service_number(digits: &str) -> Result<PhoneNumber, PhoneError> {
    match digits.len() {
        8 | 10 => Ok(PhoneNumber::new(digits.to_owned(), PhoneKind::Service)),
        n if n < 8 => Err(PhoneError::TooShort),
        _ => Err(PhoneError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled +84 patterns call valid exactly the national numbers
    /// the `phonenumber` crate calls valid, and write them the same: every
    /// one- and two-digit prefix, every length from 7 to 11 digits, with
    /// pseudo-random digits after the prefix.
    #[test]
    fn vietnamese_fast_path_agrees_with_the_crate() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next_digit = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from(b'0' + (seed % 10) as u8)
        };
        let (mut valid, mut checked) = (0, 0);
        for prefix in (1..10).map(|p| p.to_string()).chain((10..100).map(|p| p.to_string())) {
            for len in 7..=11 {
                for _ in 0..8 {
                    let mut national = prefix.clone();
                    while national.len() < len {
                        national.push(next_digit());
                    }
                    let digits = format!("{VN_COUNTRY_CODE}{national}");
                    let by_crate = validate_by_crate(&digits).ok().map(|n| n.as_str().to_owned());
                    let fast = vn_plan::valid(&national).then(|| format!("+{digits}"));
                    assert_eq!(fast, by_crate, "+{digits}");
                    valid += usize::from(fast.is_some());
                    checked += 1;
                }
            }
        }
        assert!(
            valid > 100 && valid < checked,
            "{valid} of {checked} valid: the sample covers both"
        );
    }

    /// Parse and expect a number; shows the input on failure.
    fn ok(raw: &str) -> PhoneNumber {
        match PhoneNumber::parse(raw) {
            Ok(Some(n)) => n,
            other => panic!("{raw:?} should parse, got {other:?}"),
        }
    }

    fn e164(raw: &str) -> String {
        let n = ok(raw);
        assert_eq!(n.kind(), PhoneKind::E164, "{raw:?}");
        n.as_str().to_owned()
    }

    fn err(raw: &str) -> PhoneError {
        match PhoneNumber::parse(raw) {
            Err(e) => e,
            other => panic!("{raw:?} should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn vietnamese_mobile_spellings() {
        for raw in [
            "0912345678",
            "0912 345 678",
            "0912-345-678",
            "0912.345.678",
            "0912/345/678",
            "(0912) 345 678",
            "+84 912 345 678",
            "+84912345678",
            "+84-912-345-678",
            "+84 (0) 912 345 678",
            "+84(0)912345678",
            "+84 0912 345 678",
            "84912345678",
            "84 912 345 678",
            "0084912345678",
            "0084 912 345 678",
            "0084 (0) 912 345 678",
            "  0912 345 678  ",
            "\t0912345678\n",
        ] {
            assert_eq!(e164(raw), "+84912345678", "{raw:?}");
        }
    }

    #[test]
    fn unicode_spaces_dashes_and_fullwidth_digits() {
        for raw in [
            "0912\u{00A0}345\u{00A0}678", // no-break space
            "0912\u{202F}345\u{202F}678", // narrow no-break space
            "0912\u{2009}345\u{2009}678", // thin space
            "0912\u{3000}345\u{3000}678", // ideographic space
            "0912\u{200B}345678",         // zero-width space
            "\u{FEFF}0912345678",         // byte-order mark from a CSV
            "0912\u{2013}345\u{2013}678", // en dash
            "0912\u{2011}345\u{2011}678", // non-breaking hyphen
            "０９１２３４５６７８",
            "０９１２ ３４５ ６７８",
            "＋８４ ９１２ ３４５ ６７８",
            "（０９１２）３４５６７８",
            "ｔｅｌ：＋８４９１２３４５６７８",
        ] {
            assert_eq!(e164(raw), "+84912345678", "{raw:?}");
        }
    }

    #[test]
    fn tel_and_sip_uris() {
        for raw in [
            "tel:+84912345678",
            "TEL:+84912345678",
            "tel:+84-912-345-678",
            "tel:+84912345678;phone-context=example",
            "sip:0912345678@pbx.local",
            "SIP:0912345678@pbx.local",
            "sip:+84912345678@pbx.local;user=phone",
            "sips:84912345678@carrier.example",
            "sip:0912345678",
        ] {
            assert_eq!(e164(raw), "+84912345678", "{raw:?}");
        }
        let ext = ok("sip:101@pbx.local");
        assert_eq!((ext.as_str(), ext.kind()), ("101", PhoneKind::Extension));
    }

    #[test]
    fn landlines() {
        for raw in [
            "(028) 3822 1234",
            "028 3822 1234",
            "02838221234",
            "028-3822-1234",
            "+84 28 3822 1234",
            "+84 (0) 28 3822 1234",
            "842838221234",
            "00842838221234",
            "(08) 3822 1234",
            "(08)38221234",
            "(08) 3822-1234",
        ] {
            assert_eq!(e164(raw), "+842838221234", "{raw:?}");
        }
        // Other provinces under the 2017 three-digit area codes.
        assert_eq!(e164("(0251) 382 2123"), "+842513822123"); // Đồng Nai
        assert_eq!(e164("0292 382 2123"), "+842923822123"); // Cần Thơ
        assert_eq!(e164("024 3822 1234"), "+842438221234"); // Hà Nội
    }

    #[test]
    fn bare_08_is_a_mobile_not_an_old_landline() {
        assert_eq!(e164("0838221234"), "+84838221234");
        assert_eq!(e164("083 822 1234"), "+84838221234");
        // Only the exact old shape `(08)` + 8 digits is translated.
        assert_eq!(e164("(083) 822 1234"), "+84838221234");
    }

    #[test]
    fn every_2018_renumbering_prefix() {
        // (old national prefix, new national prefix); subscriber part kept.
        let table = [
            ("0120", "070"),
            ("0121", "079"),
            ("0122", "077"),
            ("0126", "076"),
            ("0128", "078"),
            ("0123", "083"),
            ("0124", "084"),
            ("0125", "085"),
            ("0127", "081"),
            ("0129", "082"),
            ("0162", "032"),
            ("0163", "033"),
            ("0164", "034"),
            ("0165", "035"),
            ("0166", "036"),
            ("0167", "037"),
            ("0168", "038"),
            ("0169", "039"),
            ("0186", "056"),
            ("0188", "058"),
            ("0199", "059"),
        ];
        assert_eq!(table.len(), MOBILE_RENUMBERING_2018.len());
        for (old, new) in table {
            let expected = format!("+84{}3456789", &new[1..]);
            let old_cc = &old[1..];
            for raw in [
                format!("{old}3456789"),
                format!("{old} 345 6789"),
                format!("+84 {old_cc} 345 6789"),
                format!("+84{old_cc}3456789"),
                format!("84{old_cc}3456789"),
                format!("0084{old_cc}3456789"),
                format!("+84 (0) {old_cc} 345 6789"),
            ] {
                assert_eq!(e164(&raw), expected, "{raw:?}");
            }
            // The new number written directly is of course accepted too.
            assert_eq!(e164(&format!("{new}3456789")), expected);
        }
    }

    #[test]
    fn renumbering_examples_from_the_spec() {
        assert_eq!(e164("01623456789"), "+84323456789");
        assert_eq!(e164("+84 1653 456 789"), "+84353456789");
    }

    #[test]
    fn old_prefix_that_was_never_in_the_map_is_rejected() {
        // 0130… was never a mobile prefix.
        assert_eq!(err("01301234567"), PhoneError::Invalid);
        // A renumbered prefix with the wrong length is not renumbered.
        assert_eq!(err("0162345678"), PhoneError::Invalid);
    }

    #[test]
    fn withheld_numbers() {
        for raw in [
            "",
            " ",
            "\t\n",
            "\u{00A0}\u{3000}",
            "anonymous",
            "Anonymous",
            "ANONYMOUS",
            "  anonymous  ",
            "unknown",
            "Unknown",
            "private",
            "PRIVATE",
            "restricted",
            "withheld",
            "unavailable",
            "blocked",
            "Blocked",
            "sip:anonymous@anonymous.invalid",
            "SIP:Anonymous@anonymous.invalid",
            "tel:",
            "ａｎｏｎｙｍｏｕｓ",
        ] {
            assert_eq!(PhoneNumber::parse(raw), Ok(None), "{raw:?}");
        }
    }

    #[test]
    fn service_numbers() {
        let cases = [
            ("1900 1006", "19001006"),
            ("19001006", "19001006"),
            ("1900-1006", "19001006"),
            ("1900.1006", "19001006"),
            ("1800 1234", "18001234"),
            ("1900 54 54 54", "1900545454"),
            ("1900 545 454", "1900545454"),
            ("1800 58 88 99", "1800588899"),
            ("+84 1900 1006", "19001006"),
            ("+8419001006", "19001006"),
            ("0084 1900 1006", "19001006"),
            ("84 1900 1006", "19001006"),
            ("tel:19001006", "19001006"),
            ("１９００ １００６", "19001006"),
        ];
        for (raw, expected) in cases {
            let n = ok(raw);
            assert_eq!(n.as_str(), expected, "{raw:?}");
            assert_eq!(n.kind(), PhoneKind::Service, "{raw:?}");
        }
    }

    #[test]
    fn malformed_service_numbers() {
        assert_eq!(err("1900"), PhoneError::TooShort);
        assert_eq!(err("1900 10"), PhoneError::TooShort);
        assert_eq!(err("1900 100"), PhoneError::TooShort);
        assert_eq!(err("1900 10061"), PhoneError::Invalid);
        assert_eq!(err("1900 1006 123"), PhoneError::Invalid);
        assert_eq!(err("+84 1900 10"), PhoneError::TooShort);
    }

    #[test]
    fn extensions() {
        for raw in ["10", "101", "2001", "12345", "999999", " 101 ", "sip:2001@pbx.local"] {
            let n = ok(raw);
            assert_eq!(n.kind(), PhoneKind::Extension, "{raw:?}");
            assert_eq!(
                n.as_str(),
                raw.trim().trim_start_matches("sip:").trim_end_matches("@pbx.local")
            );
        }
        assert_eq!(err("1"), PhoneError::TooShort);
        assert_eq!(err("9"), PhoneError::TooShort);
        // Seven digits without a trunk prefix: neither extension nor number.
        assert_eq!(err("1234567"), PhoneError::Invalid);
        // Leading 0 means a national number, and this one is far too short.
        assert_eq!(err("0101"), PhoneError::TooShort);
    }

    #[test]
    fn foreign_numbers() {
        let cases = [
            ("+1 202 555 0143", "+12025550143"),
            ("+1 (202) 555-0143", "+12025550143"),
            ("001 202 555 0143", "+12025550143"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+44 (0) 20 7946 0958", "+442079460958"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+65 6123 4567", "+6561234567"),
            ("+65 9123 4567", "+6591234567"),
            ("+33 1 23 45 67 89", "+33123456789"),
            ("+49 30 123456", "+4930123456"),
            ("+39 06 1234 5678", "+390612345678"), // Italian leading zero kept
            ("+86 138 0013 8000", "+8613800138000"),
            ("+855 12 345 678", "+85512345678"),
            ("tel:+442079460958", "+442079460958"),
        ];
        for (raw, expected) in cases {
            assert_eq!(e164(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn foreign_numbers_without_plus_or_00() {
        let cases = [
            ("491715000000", "+491715000000"),
            ("49 171 5000000", "+491715000000"),
            ("12025550143", "+12025550143"),
            ("442079460958", "+442079460958"),
            ("6591234567", "+6591234567"),
        ];
        for (raw, expected) in cases {
            assert_eq!(e164(raw), expected, "{raw:?}");
        }
        // Could be a Vietnamese mobile without its 0: not guessed.
        assert_eq!(err("912345678"), PhoneError::Invalid);
        assert_eq!(err("2838221234"), PhoneError::Invalid);
        // Neither a valid foreign number nor Vietnamese.
        assert_eq!(err("9991234567"), PhoneError::Invalid);
        assert_eq!(err("4912345678901234"), PhoneError::TooLong);
    }

    #[test]
    fn invalid_foreign_numbers() {
        assert_eq!(err("+1 202 555"), PhoneError::Invalid);
        assert_eq!(err("+44 12"), PhoneError::Invalid);
        assert_eq!(err("+999 1234 5678"), PhoneError::Invalid); // unassigned country code
        assert_eq!(err("+0 123 456 789"), PhoneError::Invalid);
        assert_eq!(err("+44 1234 5678 9012 3456"), PhoneError::TooLong);
    }

    #[test]
    fn letters_are_reported_as_letters() {
        for raw in [
            "abc",
            "0912abc678",
            "0912 345 67x",
            "O912345678", // capital O for zero
            "call me",
            "'; DROP TABLE calls; --",
            "1 OR 1=1",
            "0912345678 ext 12",
            "sip:abc@pbx.local",
            "số 0912345678",
        ] {
            assert_eq!(err(raw), PhoneError::ContainsLetters, "{raw:?}");
        }
    }

    #[test]
    fn other_junk_is_rejected() {
        assert_eq!(err("0912345678😀"), PhoneError::InvalidCharacter);
        assert_eq!(err("📞"), PhoneError::InvalidCharacter);
        assert_eq!(err("0912\u{0}345678"), PhoneError::InvalidCharacter);
        assert_eq!(err("\u{0}"), PhoneError::InvalidCharacter);
        assert_eq!(err("0912#345678"), PhoneError::InvalidCharacter);
        assert_eq!(err("0912*345"), PhoneError::InvalidCharacter);
        assert_eq!(err("0912_345_678"), PhoneError::InvalidCharacter);
        assert_eq!(err("①②③"), PhoneError::InvalidCharacter);
        assert_eq!(err("+"), PhoneError::NoDigits);
        assert_eq!(err("---"), PhoneError::NoDigits);
        assert_eq!(err("()"), PhoneError::NoDigits);
        assert_eq!(err("+(0)"), PhoneError::NoDigits);
        assert_eq!(err("++84912345678"), PhoneError::Malformed);
        assert_eq!(err("0912+345678"), PhoneError::Malformed);
        assert_eq!(err("(028 3822 1234"), PhoneError::Malformed);
        assert_eq!(err("028) 3822 1234"), PhoneError::Malformed);
        assert_eq!(err("((028)) 3822 1234"), PhoneError::Malformed);
        assert_eq!(err("(028) (3822) 1234"), PhoneError::Malformed);
    }

    #[test]
    fn numbers_libphonenumber_rejects() {
        assert_eq!(err("0912"), PhoneError::TooShort);
        assert_eq!(err("091234567"), PhoneError::TooShort);
        assert_eq!(err("0112345678"), PhoneError::Invalid);
        assert_eq!(err("0212345678"), PhoneError::Invalid); // 021 is no area code
        assert_eq!(err("028 3822 123"), PhoneError::Invalid);
        assert_eq!(err("09123456789"), PhoneError::Invalid); // mobile + 1 digit
        assert_eq!(err("+84 912 345"), PhoneError::TooShort);
        assert_eq!(err("0000000000"), PhoneError::Invalid);
        assert_eq!(err("912345678"), PhoneError::Invalid); // trunk 0 missing
        assert_eq!(err("0912345678901234567"), PhoneError::TooLong);
    }

    #[test]
    fn input_length_is_capped_before_parsing() {
        let at_limit = format!("0912345678{}", " ".repeat(MAX_INPUT_CHARS - 10));
        assert_eq!(e164(&at_limit), "+84912345678");
        let over = format!("0912345678{}", " ".repeat(MAX_INPUT_CHARS - 9));
        assert_eq!(err(&over), PhoneError::TooLong);
        assert_eq!(err(&"9".repeat(10_000_000)), PhoneError::TooLong);
        assert_eq!(err(&"a".repeat(65)), PhoneError::TooLong);
        // The limit counts characters, not bytes: 64 three-byte characters fit.
        let wide = format!("０９１２３４５６７８{}", "\u{3000}".repeat(MAX_INPUT_CHARS - 10));
        assert_eq!(wide.len(), 3 * MAX_INPUT_CHARS);
        assert_eq!(e164(&wide), "+84912345678");
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // Deterministic xorshift so the test needs no extra dependency and a
        // failure is reproducible.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> = "0123456789+()-. /:;@#*abcsipteló０＋（\u{0}\u{A0}\u{301}😀"
            .chars()
            .collect();
        for _ in 0..2_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = PhoneNumber::parse(&s);
        }
        // Random `+` and 1–15 digits: the only shape libphonenumber is given.
        for _ in 0..500 {
            let len = 1 + (next() % 15) as usize;
            let s: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let _ = PhoneNumber::parse(&format!("+{s}"));
            let _ = PhoneNumber::parse(&s);
        }
        // Raw bytes decoded lossily, as a request body might be.
        for _ in 0..2_000 {
            let bytes: Vec<u8> = (0..(next() % 40)).map(|_| next() as u8).collect();
            let _ = PhoneNumber::parse(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn accepted_values_round_trip() {
        for raw in ["0912 345 678", "(08) 3822 1234", "1900 1006", "101", "+44 20 7946 0958"] {
            let n = ok(raw);
            // Parsing the canonical form again is a fixed point…
            assert_eq!(ok(n.as_str()), n, "{raw:?}");
            // …and from_stored recovers the same value and kind.
            assert_eq!(PhoneNumber::from_stored(n.as_str().to_owned()), n, "{raw:?}");
        }
    }

    #[test]
    fn from_stored_infers_kind_without_validating() {
        let stale = PhoneNumber::from_stored("+841623456789".to_owned());
        assert_eq!(stale.kind(), PhoneKind::E164);
        assert_eq!(stale.as_str(), "+841623456789");
        assert_eq!(PhoneNumber::from_stored("18001234".into()).kind(), PhoneKind::Service);
        assert_eq!(PhoneNumber::from_stored("19001006".into()).kind(), PhoneKind::Service);
        assert_eq!(PhoneNumber::from_stored("101".into()).kind(), PhoneKind::Extension);
    }

    #[test]
    fn display_string_and_serde_use_the_canonical_form() {
        let n = ok("0912 345 678");
        assert_eq!(n.to_string(), "+84912345678");
        assert_eq!(String::from(n.clone()), "+84912345678");
        assert_eq!(serde_json::to_string(&n).unwrap(), r#""+84912345678""#);
        let service = ok("1900 1006");
        assert_eq!(serde_json::to_string(&service).unwrap(), r#""19001006""#);
    }

    #[test]
    fn equal_numbers_are_equal_and_hash_alike() {
        use std::collections::HashSet;
        let set: HashSet<PhoneNumber> = ["0912345678", "+84 912 345 678", "tel:+84912345678", "84912345678"]
            .into_iter()
            .map(ok)
            .collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn error_messages_read_well_after_a_field_name() {
        assert_eq!(PhoneError::Invalid.to_string(), "is not a valid phone number");
        assert_eq!(PhoneError::ContainsLetters.to_string(), "contains letters");
        assert_eq!(PhoneError::TooLong.to_string(), "is too long");
        assert_eq!(PhoneError::TooShort.to_string(), "is too short");
    }

    #[test]
    fn tells_pre_2018_mobiles_apart() {
        for old in [
            "01623456789",
            "0162 345 6789",
            "+84 162 345 6789",
            "84 1623456789",
            "0084 1623456789",
        ] {
            assert!(is_pre_2018_mobile(old), "{old}");
        }
        for new in [
            "0323456789",
            "+84 323 456 789",
            "0912345678",
            "(028) 3822 1234",
            "19001006",
            "",
            "abc",
        ] {
            assert!(!is_pre_2018_mobile(new), "{new}");
        }
    }
}
