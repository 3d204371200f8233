//! After-contact feedback (the 1–5 score on a work order) attributed to
//! the agent who took the work order's first call and the team that
//! resolved it, and the report over it.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::codes::{TeamCode, UnitCode};

/// Who the feedback on a work order is credited to, kept with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackAttribution {
    pub work_order_id: Uuid,
    /// The agent of the work order's first linked call, if any.
    pub agent: Option<String>,
    /// The work order's team when it was resolved.
    pub team_code: Option<TeamCode>,
    pub unit_code: Option<UnitCode>,
}

/// One feedback as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackMark {
    pub score: u8,
    pub agent: Option<String>,
    pub team_code: Option<TeamCode>,
    pub unit_code: Option<UnitCode>,
}

named_enum!(
    FeedbackGrouping {
        Agent => "agent",
        Team => "team",
        Unit => "unit",
    }
);

/// The feedback of one agent, team or unit.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackGroup {
    /// None for feedback credited to no agent, team or unit.
    pub group: Option<String>,
    pub count: u64,
    pub average: f64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}

/// Counts the feedback per group, by group code (the unattributed last).
pub fn feedback_report(marks: &[FeedbackMark], by: FeedbackGrouping) -> Vec<FeedbackGroup> {
    let mut groups: BTreeMap<(bool, String), [u64; 5]> = BTreeMap::new();
    for m in marks.iter().filter(|m| (1..=5).contains(&m.score)) {
        let key = match by {
            FeedbackGrouping::Agent => m.agent.clone(),
            FeedbackGrouping::Team => m.team_code.as_ref().map(ToString::to_string),
            FeedbackGrouping::Unit => m.unit_code.as_ref().map(ToString::to_string),
        };
        let slot = groups.entry((key.is_none(), key.unwrap_or_default())).or_default();
        slot[usize::from(m.score - 1)] += 1;
    }
    groups
        .into_iter()
        .map(|((none, group), distribution)| {
            let count: u64 = distribution.iter().sum();
            let total: u64 = distribution.iter().zip(1..).map(|(n, s)| n * s).sum();
            FeedbackGroup {
                group: (!none).then_some(group),
                count,
                average: total as f64 / count as f64,
                distribution,
            }
        })
        .collect()
}
