//! A complaint about staff conduct: whom it concerns, what verifying it
//! found, the answer given to the customer and when, and the action taken.
//! Restricted, as the work order is, to supervisors and admins.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FactsInput;
use crate::codes::{self, TeamCode};
use crate::validation::{Validation, optional_text};

pub const MAX_TEXT: usize = 4000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConductFacts {
    pub staff_name: Option<String>,
    pub team_code: Option<TeamCode>,
    pub verification_finding: Option<String>,
    /// The answer given to the customer, and the day it was given.
    pub answer_text: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub action_taken: Option<String>,
}

pub(super) fn check(v: &mut Validation, input: &FactsInput, today: NaiveDate) -> ConductFacts {
    let staff_name = optional_text(v, "facts.staff_name", input.staff_name.as_deref(), 200);
    let team_code: Option<TeamCode> = codes::optional(v, "facts.team_code", input.team_code.as_deref());
    if input.staff_name.as_deref().is_none_or(|s| s.trim().is_empty())
        && input.team_code.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        v.add("facts.staff_name", "give the staff member or the team concerned");
    }
    let finding = optional_text(
        v,
        "facts.verification_finding",
        input.verification_finding.as_deref(),
        MAX_TEXT,
    );
    let answer = optional_text(v, "facts.answer_text", input.answer_text.as_deref(), MAX_TEXT);
    let answered_on = input.answered_on.as_deref().and_then(|raw| {
        let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d");
        v.check("facts.answered_on", d.map_err(|_| "must be a date as YYYY-MM-DD"))
    });
    if answered_on.is_some_and(|d| d > today) {
        v.add("facts.answered_on", "must not be in the future");
    }
    if answered_on.is_some() && answer.is_none() {
        v.add("facts.answer_text", "is required with answered_on");
    }
    if answer.is_some() && input.answered_on.is_none() {
        v.add("facts.answered_on", "is required with answer_text");
    }
    let action = optional_text(v, "facts.action_taken", input.action_taken.as_deref(), MAX_TEXT);
    ConductFacts {
        staff_name,
        team_code,
        verification_finding: finding,
        answer_text: answer,
        answered_on,
        action_taken: action,
    }
}
