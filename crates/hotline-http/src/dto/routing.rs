//! Routing rules and decisions as the API shows them.

use chrono::{DateTime, NaiveTime, Utc};
use hotline_domain::work_order::{Decision, Match, RoutingRule, Strategy, Target};
use hotline_domain::{DomainError, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::enums::CategoryDto;
use super::work_orders::PriorityDto;

/// How a target picks its team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = RoutingStrategy)]
pub enum StrategyDto {
    /// The team owning the most specific area of the work order.
    AreaOwner,
    /// Among the teams with the skill covering the area, the least busy.
    LeastLoaded,
    /// Like `least_loaded`, among the teams on shift only.
    OnCall,
    /// The team in `team_code`, whatever its load.
    Named,
}

/// One step of a rule: a team chosen by the strategy, who has
/// `timeout_minutes` to acknowledge before the work order moves on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RoutingTarget)]
pub struct TargetDto {
    pub strategy: StrategyDto,
    /// For `named`: the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_code: Option<String>,
    #[schema(minimum = 1)]
    pub timeout_minutes: u32,
}

/// A local time window `[start, end)`; `start > end` wraps midnight.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RoutingHours)]
pub struct HoursDto {
    /// `HH:MM`, Vietnam time.
    #[schema(example = "22:00")]
    pub start: String,
    #[schema(example = "06:00")]
    pub end: String,
}

/// A rule's conditions, all of which must hold; an empty list places none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RoutingMatch)]
pub struct MatchDto {
    #[serde(default)]
    pub categories: Vec<CategoryDto>,
    #[serde(default)]
    pub priorities: Vec<PriorityDto>,
    /// Subtrees: the work order's area or one of its parents.
    #[serde(default)]
    pub area_codes: Vec<String>,
    #[serde(default)]
    pub unit_codes: Vec<String>,
    #[serde(default)]
    pub hours: Option<HoursDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RoutingRule)]
pub struct RuleDto {
    /// Unique (without regard to case): decisions name their rule.
    pub name: String,
    #[serde(default)]
    pub matches: MatchDto,
    /// Tried in order; none: matching work orders go to the dispatcher queue.
    #[serde(default)]
    pub targets: Vec<TargetDto>,
}

/// The whole ordered list, replacing the current one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRulesBody {
    pub rules: Vec<RuleDto>,
}

/// The rules in force, tried in order; the first that matches wins.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingRulesView {
    pub rules: Vec<RuleDto>,
    /// 0 until first set; also the ETag.
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A routing decision and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// The rule that matched.
    pub rule: Option<String>,
    /// 0-based index of the target that chose the team.
    pub target_index: Option<usize>,
    pub team_code: Option<String>,
    /// Minutes the team has to acknowledge.
    pub timeout_minutes: Option<u32>,
    /// No team: the work order waits in the unit's dispatcher queue.
    pub fallback_to_dispatcher: bool,
    /// A staff-conduct complaint: for the unit's management.
    pub to_unit_management: bool,
    /// Which rule, which target, why others were passed over.
    pub explanation: Vec<String>,
}

impl From<Decision> for DecisionView {
    fn from(d: Decision) -> Self {
        DecisionView {
            rule: d.rule,
            target_index: d.target_index,
            team_code: d.team_code.map(String::from),
            timeout_minutes: d.timeout_minutes,
            fallback_to_dispatcher: d.fallback_to_dispatcher,
            to_unit_management: d.to_unit_management,
            explanation: d.explanation,
        }
    }
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .ok()
}

impl From<&RoutingRule> for RuleDto {
    fn from(r: &RoutingRule) -> Self {
        RuleDto {
            name: r.name.clone(),
            matches: MatchDto {
                categories: r.matches.categories.iter().map(|c| (*c).into()).collect(),
                priorities: r.matches.priorities.iter().map(|p| (*p).into()).collect(),
                area_codes: r.matches.area_codes.clone(),
                unit_codes: r.matches.unit_codes.clone(),
                hours: r.matches.hours.map(|(s, e)| HoursDto {
                    start: hm(s),
                    end: hm(e),
                }),
            },
            targets: r
                .targets
                .iter()
                .map(|t| {
                    let (strategy, team_code) = match &t.strategy {
                        Strategy::AreaOwner => (StrategyDto::AreaOwner, None),
                        Strategy::LeastLoaded => (StrategyDto::LeastLoaded, None),
                        Strategy::OnCall => (StrategyDto::OnCall, None),
                        Strategy::Named(code) => (StrategyDto::Named, Some(code.clone())),
                    };
                    TargetDto {
                        strategy,
                        team_code,
                        timeout_minutes: t.timeout_minutes,
                    }
                })
                .collect(),
        }
    }
}

fn codes(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|c| c.trim().to_ascii_uppercase()).collect()
}

impl RoutingRulesBody {
    /// The domain rules, checked: every problem named by field
    /// (`rules[1].targets[0].timeout_minutes`, `rules[0].matches.hours.start`).
    pub fn into_rules(self) -> Result<Vec<RoutingRule>, DomainError> {
        let mut v = Validation::new();
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.into_iter().enumerate() {
            let hours = r.matches.hours.and_then(|h| {
                let start = parse_time(&h.start);
                let end = parse_time(&h.end);
                if start.is_none() {
                    v.add(format!("rules[{i}].matches.hours.start"), "must be a time HH:MM");
                }
                if end.is_none() {
                    v.add(format!("rules[{i}].matches.hours.end"), "must be a time HH:MM");
                }
                Some((start?, end?))
            });
            let mut targets = Vec::with_capacity(r.targets.len());
            for (j, t) in r.targets.into_iter().enumerate() {
                let named = t.team_code.map(|c| c.trim().to_ascii_uppercase());
                let strategy = match t.strategy {
                    StrategyDto::AreaOwner => Strategy::AreaOwner,
                    StrategyDto::LeastLoaded => Strategy::LeastLoaded,
                    StrategyDto::OnCall => Strategy::OnCall,
                    StrategyDto::Named => Strategy::Named(named.clone().unwrap_or_default()),
                };
                if t.strategy != StrategyDto::Named && named.is_some() {
                    v.add(
                        format!("rules[{i}].targets[{j}].team_code"),
                        "only for the named strategy",
                    );
                }
                targets.push(Target {
                    strategy,
                    timeout_minutes: t.timeout_minutes,
                });
            }
            rules.push(RoutingRule {
                name: r.name.trim().to_string(),
                matches: Match {
                    categories: r.matches.categories.into_iter().map(Into::into).collect(),
                    priorities: r.matches.priorities.into_iter().map(Into::into).collect(),
                    area_codes: codes(r.matches.area_codes),
                    unit_codes: codes(r.matches.unit_codes),
                    hours,
                },
                targets,
            });
        }
        if let Err(DomainError::Validation(errors)) = hotline_domain::work_order::routing::check_rules(&rules) {
            for e in errors {
                v.add(e.field, e.message);
            }
        }
        v.finish()?;
        Ok(rules)
    }
}
