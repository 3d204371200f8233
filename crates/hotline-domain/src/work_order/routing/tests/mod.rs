//! Routing decisions end to end: rules, strategies, escalation and the
//! explanation a dispatcher reads. Fixtures here; tests by topic below.

use chrono::NaiveTime;

use super::*;
use crate::call::Category;
use crate::work_order::Priority;

mod decisions;
mod rules;
mod strategies;

pub(super) fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

pub(super) fn team(code: &str, areas: &[&str], open: u32, capacity: u32) -> Team {
    Team {
        code: code.into(),
        unit_code: "PB12".into(),
        area_codes: areas.iter().map(|a| (*a).into()).collect(),
        skills: vec![Category::Outage, Category::SafetyHazard],
        capacity,
        open_count: open,
        on_shift: true,
    }
}

pub(super) fn off(mut t: Team) -> Team {
    t.on_shift = false;
    t
}

pub(super) fn skilled(mut t: Team, skills: &[Category]) -> Team {
    t.skills = skills.to_vec();
    t
}

/// An outage in commune CM0101 of former district CM01 of province CM.
pub(super) fn outage() -> RoutingInput {
    RoutingInput {
        category: Category::Outage,
        priority: Priority::High,
        area_ancestry: vec!["CM0101".into(), "CM01".into(), "CM".into()],
        unit_code: Some("PB12".into()),
        local_time: t(14, 0),
    }
}

pub(super) fn target(strategy: Strategy, timeout_minutes: u32) -> Target {
    Target {
        strategy,
        timeout_minutes,
    }
}

pub(super) fn rule(name: &str, matches: Match, targets: Vec<Target>) -> RoutingRule {
    RoutingRule {
        name: name.into(),
        matches,
        targets,
    }
}

pub(super) fn one(strategy: Strategy) -> Vec<RoutingRule> {
    vec![rule("all", Match::default(), vec![target(strategy, 30)])]
}

pub(super) fn says(d: &Decision, needle: &str) -> bool {
    d.explanation.iter().any(|l| l.contains(needle))
}

#[track_caller]
pub(super) fn assert_says(d: &Decision, needle: &str) {
    assert!(
        says(d, needle),
        "explanation lacks {needle:?}:\n{}",
        d.explanation.join("\n")
    );
}
