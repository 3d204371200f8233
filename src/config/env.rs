//! Reading `HOTLINE_*` values: blank counts as unset, and a wrong value is
//! an error that names its variable.

use std::fmt;

#[derive(Debug)]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

impl std::error::Error for ConfigError {}

pub(super) fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

/// A key → value source (the environment, or a test's map).
pub(super) struct Env<'a>(pub(super) &'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    /// The value, unless unset or blank.
    pub(super) fn text(&self, k: &str) -> Option<String> {
        (self.0)(k).filter(|v| !v.trim().is_empty())
    }

    /// A whole number from `min` to `max`, or `default` when unset.
    pub(super) fn number(&self, k: &'static str, default: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
        match self.text(k) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| err(k, format!("must be a whole number from {min} to {max}"))),
        }
    }

    /// `true`/`1`/`yes` or `false`/`0`/`no`, or `default` when unset.
    pub(super) fn flag(&self, k: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.text(k).as_deref().map(str::trim) {
            None => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(_) => Err(err(k, "must be true or false")),
        }
    }
}
