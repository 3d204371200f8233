//! The texts an erasure replaces wherever they were copied (audit
//! snapshots, events, webhook bodies, stored answers, search texts): each
//! form of the numbers by their pseudonym, names and addresses as typed
//! by [`ERASED`](super::ERASED) and folded (search texts) by nothing.

use crate::phone::PhoneNumber;
use crate::text::fold;

/// Shorter texts are not replaced: a two-letter name would be cut out of
/// every word that holds it.
pub const MIN_TEXT_CHARS: usize = 6;

/// The forms a stored number is written in: `+84909123456`,
/// `84909123456` and `0909123456` for a Vietnamese number; others as stored.
pub fn number_forms(stored: &str) -> Vec<String> {
    let mut forms = vec![stored.to_string()];
    if let Some(rest) = stored.strip_prefix("+84") {
        forms.push(format!("84{rest}"));
        forms.push(format!("0{rest}"));
    } else if let Some(rest) = stored.strip_prefix('+') {
        forms.push(rest.to_string());
    }
    forms
}

/// Pairs of (text, replacement), longest text first so that a longer form
/// is replaced before a shorter one inside it.
#[derive(Debug, Clone, Default)]
pub struct Scrub {
    pairs: Vec<(String, String)>,
}

impl Scrub {
    pub fn new() -> Self {
        Self::default()
    }

    /// A number (stored form, or as typed) and the pseudonym it becomes.
    pub fn number(&mut self, raw: &str, pseudonym: &str) {
        let stored = match PhoneNumber::parse(raw) {
            Ok(Some(p)) => p.as_str().to_string(),
            _ => raw.trim().to_string(),
        };
        for form in number_forms(&stored).into_iter().chain([raw.trim().to_string()]) {
            self.push(form, pseudonym.to_string());
        }
    }

    /// A name, address or e-mail: as typed, and folded as search texts hold it.
    pub fn text(&mut self, value: &str) {
        let value = value.trim();
        if value.chars().count() < MIN_TEXT_CHARS {
            return;
        }
        self.push(value.to_string(), super::ERASED.to_string());
        self.push(fold(value), String::new());
    }

    fn push(&mut self, from: String, to: String) {
        // Quotes and backslashes would break the JSON the text sits in.
        if from.chars().count() < MIN_TEXT_CHARS || from.contains(['"', '\\']) || from == to {
            return;
        }
        if !self.pairs.iter().any(|(f, _)| *f == from) {
            self.pairs.push((from, to));
            self.pairs
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The (text, replacement) pairs, longest text first.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// `text` with every pair replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (from, to) in &self.pairs {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_form_and_names_with_and_without_diacritics_are_replaced() {
        let mut s = Scrub::new();
        s.number("0909 123 456", "anon:x");
        s.text("Trần Thị Bích");
        s.text("An");
        let snapshot = r#"{"caller_number":"+84909123456","raw":"0909 123 456","n":"0909123456","name":"Trần Thị Bích","search":"tran thi bich 84909123456","who":"An"}"#;
        let out = s.apply(snapshot);
        assert_eq!(
            out,
            r#"{"caller_number":"anon:x","raw":"anon:x","n":"anon:x","name":"[erased]","search":" anon:x","who":"An"}"#
        );
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }

    #[test]
    fn forms_of_a_vietnamese_number() {
        assert_eq!(
            number_forms("+84909123456"),
            ["+84909123456", "84909123456", "0909123456"]
        );
        assert_eq!(number_forms("19001006"), ["19001006"]);
    }
}
