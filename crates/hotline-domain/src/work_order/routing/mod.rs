//! Which field team gets a work order: the model of Twilio TaskRouter's
//! workflows applied to field teams, as pure functions over plain data.
//!
//! Rules are tried in order and the first whose conditions all hold wins
//! (the rest are not looked at). The winning rule lists targets, tried in
//! order; each target's strategy picks a team or none. When a picked team
//! does not acknowledge within the target's timeout, the escalation worker
//! routes again with `skip_targets` one higher. When no target yields a
//! team, the work order waits in the unit's dispatcher queue.
//!
//! Every decision carries its explanation (which rule, why earlier ones did
//! not match, which team each target chose and why the others were passed
//! over); it is stored with the work order and answered by the simulator.
//!
//! Codes (areas, units, teams) compare without regard to ASCII case.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use super::Priority;
use crate::call::Category;
use crate::codes::{AreaCode, TeamCode, UnitCode};

mod rule;
mod strategy;
#[cfg(test)]
mod tests;

pub use rule::{check_rule, check_rules, in_window};

/// A field team as routing sees it: where it works, what it handles, and
/// how busy it is right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub code: TeamCode,
    pub unit_code: UnitCode,
    /// The areas it serves; each covers its whole subtree.
    pub area_codes: Vec<AreaCode>,
    /// The categories it handles.
    pub skills: Vec<Category>,
    /// Open work orders it takes at once; at or above it, it gets no more.
    pub capacity: u32,
    pub open_count: u32,
    /// On its on-call roster right now.
    pub on_shift: bool,
}

/// A rule's conditions, all of which must hold. An empty list (or no hours)
/// places no condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// Subtrees: the work order's area or any of its ancestors must be one
    /// of these (`CM` matches a commune of Cà Mau).
    #[serde(default)]
    pub area_codes: Vec<String>,
    /// The work order's unit, exactly.
    #[serde(default)]
    pub unit_codes: Vec<String>,
    /// Local time window `[start, end)`; `start > end` wraps midnight
    /// (22:00–06:00 is the night).
    #[serde(default)]
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

/// How a target picks its team. JSON: `"area_owner"`, `"least_loaded"`,
/// `"on_call"`, `{"named": "PB98LL01"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The team that owns the most specific area of the work order.
    AreaOwner,
    /// Among the teams with the skill covering the area, the least busy.
    LeastLoaded,
    /// Like `least_loaded`, among the teams on shift only.
    OnCall,
    /// This team, whatever its load: an administrator's explicit choice.
    Named(String),
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Strategy::AreaOwner => f.write_str("area_owner"),
            Strategy::LeastLoaded => f.write_str("least_loaded"),
            Strategy::OnCall => f.write_str("on_call"),
            Strategy::Named(code) => write!(f, "named {code}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub strategy: Strategy,
    /// Minutes the chosen team has to acknowledge before the work order
    /// moves on to the next target.
    pub timeout_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// Unique: stored decisions name their rule.
    pub name: String,
    #[serde(default)]
    pub matches: Match,
    /// May be empty: matching work orders then go straight to the
    /// dispatcher queue (and no later rule is tried).
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// Minutes a team chosen by a default rule has to acknowledge.
pub const DEFAULT_TIMEOUT_MINUTES: u32 = 30;

/// The rule set a fresh installation starts with, edited like any other:
/// every work order goes to the team that owns its area, then (when that
/// team does not acknowledge in time, or none can take it) to the least
/// busy team with the skill covering the area, then to the dispatcher
/// queue. Staff-conduct complaints still go to the unit's management.
pub fn default_rules() -> Vec<RoutingRule> {
    vec![RoutingRule {
        name: "default: area owner, then least loaded, then dispatcher".into(),
        matches: Match::default(),
        targets: [Strategy::AreaOwner, Strategy::LeastLoaded]
            .into_iter()
            .map(|strategy| Target {
                strategy,
                timeout_minutes: DEFAULT_TIMEOUT_MINUTES,
            })
            .collect(),
    }]
}

/// What routing needs to know about a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingInput {
    pub category: Category,
    pub priority: Priority,
    /// The work order's area first, then its parent, up to the root. Empty
    /// when the area is unknown (then only named teams can be chosen).
    pub area_ancestry: Vec<String>,
    pub unit_code: Option<UnitCode>,
    /// Local time (Asia/Ho_Chi_Minh) for the rules' hours. The escalation
    /// worker passes the time of the first routing, so that `skip_targets`
    /// counts the targets of the same rule.
    pub local_time: NaiveTime,
}

/// The outcome of routing, kept with the work order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The rule that matched.
    pub rule: Option<String>,
    /// 0-based index of the target that chose the team, within the rule.
    pub target_index: Option<usize>,
    pub team_code: Option<TeamCode>,
    /// The chosen team's unit: the work order moves to it with the team.
    #[serde(skip)]
    pub team_unit_code: Option<UnitCode>,
    /// The chosen target's timeout, for the escalation worker.
    pub timeout_minutes: Option<u32>,
    /// No team: the work order waits in the unit's dispatcher queue.
    pub fallback_to_dispatcher: bool,
    /// A staff-conduct complaint: for the unit's management, not a team.
    pub to_unit_management: bool,
    pub explanation: Vec<String>,
}

/// Routes one work order. `skip_targets` is how many of the matching rule's
/// targets were already tried (0 for a new work order; the escalation worker
/// adds one per timeout).
///
/// Staff-conduct complaints skip the rules entirely and go to the unit's
/// management: they are about the utility's own people, often the very crew
/// a rule would pick, so no field team may see them; the unit verifies the
/// complaint and answers the customer by the promised date, and only that
/// unit's supervisors and admins read it.
pub fn route(rules: &[RoutingRule], teams: &[Team], input: &RoutingInput, skip_targets: usize) -> Decision {
    if input.category == Category::StaffConduct {
        return Decision {
            to_unit_management: true,
            explanation: vec![format!(
                "staff-conduct complaint: goes to the management of {}, never to a field team; routing rules are not applied",
                unit_name(input)
            )],
            ..Decision::default()
        };
    }
    let mut explanation = Vec::new();
    for r in rules {
        match rule::first_mismatch(&r.matches, input) {
            Some(why) => explanation.push(format!("rule \"{}\" did not match: {why}", r.name)),
            None => {
                explanation.push(format!("rule \"{}\" matched", r.name));
                return run_targets(r, teams, input, skip_targets, explanation);
            }
        }
    }
    explanation.push(if rules.is_empty() {
        "no routing rules".to_string()
    } else {
        "no rule matched".to_string()
    });
    to_dispatcher(None, input, explanation)
}

fn run_targets(
    r: &RoutingRule,
    teams: &[Team],
    input: &RoutingInput,
    skip_targets: usize,
    mut explanation: Vec<String>,
) -> Decision {
    let total = r.targets.len();
    if total == 0 {
        explanation.push("the rule has no targets".into());
    } else if skip_targets >= total {
        explanation.push(format!("all {total} targets already tried"));
    } else if skip_targets > 0 {
        explanation.push(format!(
            "targets 1–{skip_targets} already tried (escalation); continuing with target {}/{total}",
            skip_targets + 1
        ));
    }
    for (i, target) in r.targets.iter().enumerate().skip(skip_targets) {
        let label = format!("target {}/{total} ({})", i + 1, target.strategy);
        let pick = strategy::pick(&target.strategy, teams, input);
        explanation.extend(pick.lines.into_iter().map(|l| format!("{label}: {l}")));
        if let Some(team) = pick.team {
            explanation.push(format!(
                "{label}: escalates after {} min without acknowledgement",
                target.timeout_minutes
            ));
            return Decision {
                rule: Some(r.name.clone()),
                target_index: Some(i),
                team_code: Some(team.code.clone()),
                team_unit_code: Some(team.unit_code.clone()),
                timeout_minutes: Some(target.timeout_minutes),
                explanation,
                ..Decision::default()
            };
        }
    }
    to_dispatcher(Some(r.name.clone()), input, explanation)
}

fn to_dispatcher(rule: Option<String>, input: &RoutingInput, mut explanation: Vec<String>) -> Decision {
    explanation.push(format!(
        "no team chosen: to the dispatcher queue of {}",
        unit_name(input)
    ));
    Decision {
        rule,
        fallback_to_dispatcher: true,
        explanation,
        ..Decision::default()
    }
}

fn unit_name(input: &RoutingInput) -> String {
    match &input.unit_code {
        Some(u) => format!("unit {u}"),
        None => "the work order's unit".into(),
    }
}
