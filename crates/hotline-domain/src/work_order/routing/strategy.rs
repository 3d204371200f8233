//! How each target strategy picks a team, with a line for the explanation
//! per decision: the team chosen and why, and why each other team was
//! passed over.
//!
//! A team is eligible when it has the skill for the category, covers the
//! work order's area (directly or through a parent area) and is below its
//! capacity. Off-shift teams take new work only when no eligible team is on
//! shift (`area_owner`, `least_loaded`) or never (`on_call`). A named team
//! is taken as named: an administrator chose it on purpose.

use std::cmp::Ordering;

use super::{RoutingInput, Strategy, Team};

/// Teams listed by name per reason in the explanation; the rest are counted.
const NAMES_LISTED: usize = 10;

pub(super) struct Pick<'a> {
    pub team: Option<&'a Team>,
    pub lines: Vec<String>,
}

/// Why a team cannot take the work order at all.
#[derive(Debug, PartialEq, Eq)]
enum Unfit {
    NoSkill,
    NotCovering,
    AtCapacity,
}

/// An eligible team and how close its area is (0: the work order's own).
struct Candidate<'a> {
    team: &'a Team,
    level: usize,
}

/// Where the first team's area is in the ancestry, or why it is unfit.
fn assess(team: &Team, input: &RoutingInput) -> Result<usize, Unfit> {
    if !team.skills.contains(&input.category) {
        return Err(Unfit::NoSkill);
    }
    let level = input
        .area_ancestry
        .iter()
        .position(|a| team.area_codes.iter().any(|c| c.eq_ignore_ascii_case(a)))
        .ok_or(Unfit::NotCovering)?;
    if team.open_count >= team.capacity {
        return Err(Unfit::AtCapacity);
    }
    Ok(level)
}

/// Compares open/capacity ratios without floating point.
fn by_load(a: &Team, b: &Team) -> Ordering {
    let lhs = u64::from(a.open_count) * u64::from(b.capacity);
    let rhs = u64::from(b.open_count) * u64::from(a.capacity);
    lhs.cmp(&rhs)
}

fn load(t: &Team) -> String {
    format!("{}/{}", t.open_count, t.capacity)
}

pub(super) fn pick<'a>(strategy: &Strategy, teams: &'a [Team], input: &RoutingInput) -> Pick<'a> {
    match strategy {
        Strategy::Named(code) => named(code, teams, input),
        Strategy::AreaOwner => pooled(true, true, teams, input),
        Strategy::LeastLoaded => pooled(false, true, teams, input),
        Strategy::OnCall => pooled(false, false, teams, input),
    }
}

fn area(input: &RoutingInput) -> &str {
    input.area_ancestry.first().map_or("(unknown area)", String::as_str)
}

/// `area_owner` (closest area first, then load) and `least_loaded` /
/// `on_call` (load only); ties go to the smaller team code, so the same
/// data always gives the same decision.
fn pooled<'a>(closest_first: bool, off_shift_fallback: bool, teams: &'a [Team], input: &RoutingInput) -> Pick<'a> {
    let mut no_skill = Vec::new();
    let mut not_covering = Vec::new();
    let mut candidates = Vec::new();
    for team in teams {
        match assess(team, input) {
            Ok(level) => candidates.push(Candidate { team, level }),
            Err(Unfit::NoSkill) => no_skill.push(team.code.as_str()),
            Err(Unfit::NotCovering) => not_covering.push(team.code.as_str()),
            Err(Unfit::AtCapacity) => {}
        }
    }
    let any_on_shift = candidates.iter().any(|c| c.team.on_shift);
    let in_pool = |c: &Candidate| c.team.on_shift || (!any_on_shift && off_shift_fallback);
    let order = |a: &Candidate, b: &Candidate| {
        let level = if closest_first {
            a.level.cmp(&b.level)
        } else {
            Ordering::Equal
        };
        level
            .then_with(|| by_load(a.team, b.team))
            .then_with(|| a.team.code.cmp(&b.team.code))
    };
    let chosen = candidates.iter().filter(|c| in_pool(c)).min_by(|a, b| order(a, b));

    let mut lines = Vec::new();
    match chosen {
        Some(c) => {
            let mut why = if !closest_first {
                format!("least loaded ({})", load(c.team))
            } else if c.level == 0 {
                format!("owns the work order's area {}; load {}", area(input), load(c.team))
            } else {
                let on_shift = if c.team.on_shift { " on shift" } else { "" };
                format!(
                    "owns {}, the closest area above {} with an eligible team{on_shift}; load {}",
                    input.area_ancestry[c.level],
                    area(input),
                    load(c.team)
                )
            };
            if !c.team.on_shift {
                why.push_str("; off shift, taken because no eligible team is on shift");
            }
            lines.push(format!("chose {}: {why}", c.team.code));
        }
        None if candidates.is_empty() => {
            lines.push(format!("no eligible team for {} in {}", input.category, area(input)))
        }
        None => lines.push("no eligible team on shift".into()),
    }
    for team in teams {
        let reason = match assess(team, input) {
            Err(Unfit::AtCapacity) => format!("at capacity ({})", load(team)),
            Ok(level) => {
                let c = Candidate { team, level };
                if chosen.is_some_and(|ch| std::ptr::eq(ch.team, team)) {
                    continue;
                } else if !in_pool(&c) {
                    "off shift".to_string()
                } else {
                    let Some(ch) = chosen else { continue };
                    if closest_first && level > ch.level {
                        format!(
                            "owns only {}, less specific than {}",
                            input.area_ancestry[level], input.area_ancestry[ch.level]
                        )
                    } else if by_load(team, ch.team) == Ordering::Greater {
                        format!("more loaded ({})", load(team))
                    } else {
                        format!("as loaded ({}), later in code order", load(team))
                    }
                }
            }
            Err(_) => continue,
        };
        lines.push(format!("passed over {}: {reason}", team.code));
    }
    grouped(
        &mut lines,
        format!("passed over for lacking the {} skill", input.category),
        &no_skill,
    );
    grouped(
        &mut lines,
        format!("passed over for not covering {} or its parent areas", area(input)),
        &not_covering,
    );
    Pick {
        team: chosen.map(|c| c.team),
        lines,
    }
}

fn grouped(lines: &mut Vec<String>, what: String, codes: &[&str]) {
    if codes.is_empty() {
        return;
    }
    let mut text = codes.iter().take(NAMES_LISTED).copied().collect::<Vec<_>>().join(", ");
    if codes.len() > NAMES_LISTED {
        text.push_str(&format!(" and {} more", codes.len() - NAMES_LISTED));
    }
    lines.push(format!("{what}: {text}"));
}

/// The named team if it exists, with notes on whatever would have
/// disqualified it elsewhere, so a dispatcher sees the risk.
fn named<'a>(code: &str, teams: &'a [Team], input: &RoutingInput) -> Pick<'a> {
    let Some(team) = teams.iter().find(|t| t.code.eq_ignore_ascii_case(code)) else {
        return Pick {
            team: None,
            lines: vec![format!("no team {code} exists")],
        };
    };
    let mut notes = Vec::new();
    if !team.skills.contains(&input.category) {
        notes.push(format!("lacks the {} skill", input.category));
    }
    if !input
        .area_ancestry
        .iter()
        .any(|a| team.area_codes.iter().any(|c| c.eq_ignore_ascii_case(a)))
    {
        notes.push(format!("does not cover {}", area(input)));
    }
    if team.open_count >= team.capacity {
        notes.push(format!("at capacity ({})", load(team)));
    }
    if !team.on_shift {
        notes.push("off shift".into());
    }
    let mut line = format!("chose {}: named in the rule", team.code);
    if !notes.is_empty() {
        line.push_str(&format!(" (note: {})", notes.join(", ")));
    }
    Pick {
        team: Some(team),
        lines: vec![line],
    }
}
