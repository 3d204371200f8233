//! Answers in the language of the people who read them. Call-takers,
//! dispatchers and supervisors work in Vietnamese: with `Accept-Language:
//! vi` (or, without one, the server's default language) every problem's
//! `title`, `detail` and field messages, and a CSV export's header row and
//! status names, come in Vietnamese. The machine-readable parts — problem
//! `type`, field names, codes, JSON keys — never change.
//!
//! The texts are written once, in English, where the error is made; the
//! translation happens on the way out ([`localise`]), from one catalogue
//! ([`catalogue`]) that tests check covers every message the API sends.

pub mod catalogue;
#[cfg(test)]
mod coverage;
mod csv;
mod middleware;
mod problem;

pub use csv::untranslated as untranslated_csv;
pub use hotline_domain::language::Language as Lang;
pub use middleware::{Preferred, localise};
pub use problem::{translate_problem, untranslated};
