//! Collects per-field validation failures so a client hears about every bad
//! field at once, not one per round trip.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field as the client named it (`caller_number`, `items[2].name`).
    pub field: String,
    pub message: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Keeps the value when `result` is Ok, records the error under `field` otherwise.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// Ok when nothing was recorded, the collected errors otherwise.
    pub fn finish(self) -> Result<(), crate::DomainError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(crate::DomainError::Validation(self.errors))
        }
    }
}

/// A required value once [`Validation::finish`] has passed: the check that
/// left it `None` recorded its failure, so this only answers for `field`
/// when a caller forgot to.
pub fn present<T>(value: Option<T>, field: &str) -> Result<T, crate::DomainError> {
    value.ok_or_else(|| {
        crate::DomainError::Validation(vec![FieldError {
            field: field.into(),
            message: "is required".into(),
        }])
    })
}

/// Checks an optional free-text field: NFC, trimmed, empty → None, at most `max` characters.
pub fn optional_text(v: &mut Validation, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let text = crate::text::nfc(value?);
    if text.is_empty() {
        return None;
    }
    if text.contains('\0') {
        v.add(field, "must not contain NUL characters");
        return None;
    }
    if text.chars().count() > max {
        v.add(field, format!("must be at most {max} characters"));
        return None;
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut v = Validation::new();
        v.add("a", "bad");
        assert_eq!(v.check::<u8, _>("b", Err("worse")), None);
        assert_eq!(v.check::<u8, &str>("c", Ok(3)), Some(3));
        let errs = v.errors().to_vec();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[1].field, "b");
        assert!(v.finish().is_err());
    }

    #[test]
    fn optional_text_trims_limits_and_drops_empty() {
        let mut v = Validation::new();
        assert_eq!(optional_text(&mut v, "n", Some("  Cà Mau "), 10), Some("Cà Mau".into()));
        assert_eq!(optional_text(&mut v, "n", Some("   "), 10), None);
        assert_eq!(optional_text(&mut v, "n", None, 10), None);
        assert!(v.is_empty());
        assert_eq!(optional_text(&mut v, "long", Some("ươươươ"), 5), None);
        assert_eq!(optional_text(&mut v, "nul", Some("a\0b"), 5), None);
        let fields: Vec<_> = v.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["long", "nul"]);
    }
}
