//! A compliment: whom the customer praised, an agent (by username), a team
//! or crew, or a staff member by name; at least one.

use serde::{Deserialize, Serialize};

use super::FactsInput;
use crate::codes::{self, TeamCode};
use crate::validation::{Validation, optional_text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplimentFacts {
    /// The agent's username.
    pub agent: Option<String>,
    pub team_code: Option<TeamCode>,
    pub staff_name: Option<String>,
}

pub(super) fn check(v: &mut Validation, input: &FactsInput) -> ComplimentFacts {
    let agent = optional_text(v, "facts.agent", input.agent.as_deref(), 100);
    let team_code: Option<TeamCode> = codes::optional(v, "facts.team_code", input.team_code.as_deref());
    let staff_name = optional_text(v, "facts.staff_name", input.staff_name.as_deref(), 200);
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&input.agent) && blank(&input.team_code) && blank(&input.staff_name) {
        v.add("facts.agent", "name the agent, team or staff member complimented");
    }
    ComplimentFacts {
        agent,
        team_code,
        staff_name,
    }
}
