//! What the customer thought of the work once it was done: a score from 1
//! to 5 and an optional comment, for satisfaction reporting.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Status, WorkOrder};
use crate::DomainError;
use crate::validation::{Validation, optional_text};

pub const MAX_COMMENT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// 1 (very unhappy) to 5 (very happy).
    pub score: u8,
    /// NFC, trimmed, at most [`MAX_COMMENT`] characters.
    pub comment: Option<String>,
    pub given_by: String,
    pub given_at: DateTime<Utc>,
}

impl Feedback {
    /// Checks a score and comment as submitted.
    pub fn new(score: i64, comment: Option<&str>, actor: &str, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let mut v = Validation::new();
        let score = match u8::try_from(score) {
            Ok(s @ 1..=5) => s,
            _ => {
                v.add("score", "must be from 1 to 5");
                0
            }
        };
        let comment = optional_text(&mut v, "comment", comment, MAX_COMMENT);
        v.finish()?;
        Ok(Feedback {
            score,
            comment,
            given_by: actor.to_string(),
            given_at: now,
        })
    }

    /// Feedback is taken once the work is done: resolved or closed.
    pub fn allowed_for(wo: &WorkOrder) -> Result<(), DomainError> {
        if matches!(wo.status, Status::Resolved | Status::Closed) {
            Ok(())
        } else {
            Err(DomainError::Conflict(format!(
                "the work order is {}; feedback is taken once it is resolved or closed",
                wo.status
            )))
        }
    }

    pub fn audit_view(&self) -> Value {
        json!({ "score": self.score, "comment": self.comment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scores_and_comments_are_checked() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
        let ok = Feedback::new(5, Some("  Nhanh che\u{302}\u{301}  "), "user:lan", now).unwrap();
        assert_eq!((ok.score, ok.comment.as_deref()), (5, Some("Nhanh chế")));
        assert_eq!(Feedback::new(1, Some("  "), "u", now).unwrap().comment, None);
        for bad in [0, 6, -1, 300] {
            assert_eq!(fields(Feedback::new(bad, None, "u", now).unwrap_err()), ["score"]);
        }
        let long = "a".repeat(MAX_COMMENT + 1);
        assert_eq!(
            fields(Feedback::new(0, Some(&long), "u", now).unwrap_err()),
            ["score", "comment"]
        );
    }
}
