//! Whether a rule's conditions hold, and why not (the first failing one,
//! for the explanation); and the checks an administrator's rules must pass.

use std::collections::HashSet;
use std::fmt::Display;

use chrono::NaiveTime;

use super::{Match, RoutingInput, RoutingRule, Strategy};
use crate::{DomainError, Validation};

/// Longest rule name.
pub const MAX_RULE_NAME: usize = 100;

/// None when every condition holds; otherwise the first that fails, in the
/// order category, priority, area, unit, hours.
pub(super) fn first_mismatch(m: &Match, input: &RoutingInput) -> Option<String> {
    if !m.categories.is_empty() && !m.categories.contains(&input.category) {
        return Some(format!(
            "category {} is not one of {}",
            input.category,
            join(&m.categories)
        ));
    }
    if !m.priorities.is_empty() && !m.priorities.contains(&input.priority) {
        return Some(format!(
            "priority {} is not one of {}",
            input.priority,
            join(&m.priorities)
        ));
    }
    let within = |a: &String| m.area_codes.iter().any(|c| c.eq_ignore_ascii_case(a));
    if !m.area_codes.is_empty() && !input.area_ancestry.iter().any(within) {
        return Some(match input.area_ancestry.first() {
            Some(area) => format!("area {area} is not within {}", join(&m.area_codes)),
            None => format!(
                "the area is unknown and the rule needs one within {}",
                join(&m.area_codes)
            ),
        });
    }
    if !m.unit_codes.is_empty() {
        match &input.unit_code {
            Some(u) if m.unit_codes.iter().any(|c| c.eq_ignore_ascii_case(u)) => {}
            Some(u) => return Some(format!("unit {u} is not one of {}", join(&m.unit_codes))),
            None => {
                return Some(format!(
                    "the unit is unknown and the rule needs {}",
                    join(&m.unit_codes)
                ));
            }
        }
    }
    if let Some((start, end)) = m.hours
        && !in_window(input.local_time, start, end)
    {
        return Some(format!(
            "local time {} is outside {}–{}",
            hm(input.local_time),
            hm(start),
            hm(end)
        ));
    }
    None
}

/// `[start, end)`; when `start > end` the window wraps midnight. Equal ends
/// mean the whole day (refused by [`check_rule`], tolerated here).
pub fn in_window(t: NaiveTime, start: NaiveTime, end: NaiveTime) -> bool {
    if start < end {
        start <= t && t < end
    } else if start > end {
        t >= start || t < end
    } else {
        true
    }
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn join<T: Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Checks one rule, recording errors under `field` (`rules[2]`).
pub fn check_rule(rule: &RoutingRule, v: &mut Validation, field: &str) {
    let name = rule.name.trim();
    if name.is_empty() || name.chars().count() > MAX_RULE_NAME {
        v.add(
            format!("{field}.name"),
            format!("must be 1 to {MAX_RULE_NAME} characters"),
        );
    }
    if rule.matches.hours.is_some_and(|(s, e)| s == e) {
        v.add(
            format!("{field}.matches.hours"),
            "start and end must differ (leave hours out for the whole day)",
        );
    }
    for (list, what) in [
        (&rule.matches.area_codes, "area_codes"),
        (&rule.matches.unit_codes, "unit_codes"),
    ] {
        if let Some(i) = list.iter().position(|c| c.trim().is_empty()) {
            v.add(format!("{field}.matches.{what}[{i}]"), "must not be empty");
        }
    }
    for (i, t) in rule.targets.iter().enumerate() {
        if t.timeout_minutes == 0 {
            v.add(format!("{field}.targets[{i}].timeout_minutes"), "must be at least 1");
        }
        if matches!(&t.strategy, Strategy::Named(code) if code.trim().is_empty()) {
            v.add(format!("{field}.targets[{i}].strategy"), "must name a team");
        }
    }
}

/// Checks a whole rule list: each rule, and that names are unique (a stored
/// decision and the escalation worker find their rule by name).
pub fn check_rules(rules: &[RoutingRule]) -> Result<(), DomainError> {
    let mut v = Validation::new();
    let mut seen = HashSet::new();
    for (i, r) in rules.iter().enumerate() {
        let field = format!("rules[{i}]");
        check_rule(r, &mut v, &field);
        if !seen.insert(r.name.trim().to_lowercase()) {
            v.add(format!("{field}.name"), "is already used by another rule");
        }
    }
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Category;
    use crate::work_order::Priority;
    use crate::work_order::routing::Target;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn input() -> RoutingInput {
        RoutingInput {
            category: Category::Outage,
            priority: Priority::High,
            area_ancestry: vec!["CM0101".into(), "CM01".into(), "CM".into()],
            unit_code: Some("PB12".into()),
            local_time: t(14, 0),
        }
    }

    #[test]
    fn day_window_includes_start_and_excludes_end() {
        let (s, e) = (t(7, 0), t(17, 0));
        assert!(in_window(t(7, 0), s, e));
        assert!(in_window(t(16, 59), s, e));
        assert!(!in_window(t(17, 0), s, e));
        assert!(!in_window(t(6, 59), s, e));
        assert!(!in_window(t(23, 0), s, e));
    }

    #[test]
    fn night_window_wraps_midnight() {
        let (s, e) = (t(22, 0), t(6, 0));
        for inside in [t(22, 0), t(23, 59), t(0, 0), t(3, 0), t(5, 59)] {
            assert!(in_window(inside, s, e), "{inside}");
        }
        for outside in [t(6, 0), t(12, 0), t(21, 59)] {
            assert!(!in_window(outside, s, e), "{outside}");
        }
        assert!(in_window(t(12, 0), t(8, 0), t(8, 0)));
    }

    #[test]
    fn empty_match_matches_everything() {
        assert_eq!(first_mismatch(&Match::default(), &input()), None);
        let mut unknown = input();
        unknown.area_ancestry.clear();
        unknown.unit_code = None;
        assert_eq!(first_mismatch(&Match::default(), &unknown), None);
    }

    #[test]
    fn area_matches_the_whole_subtree_without_case() {
        let m = |codes: &[&str]| Match {
            area_codes: codes.iter().map(|c| c.to_string()).collect(),
            ..Match::default()
        };
        assert_eq!(first_mismatch(&m(&["CM"]), &input()), None);
        assert_eq!(first_mismatch(&m(&["cm01"]), &input()), None);
        assert_eq!(first_mismatch(&m(&["BL", "CM0101"]), &input()), None);
        assert_eq!(
            first_mismatch(&m(&["CM02", "BL"]), &input()).unwrap(),
            "area CM0101 is not within CM02, BL"
        );
        // A child of the work order's area does not cover it.
        assert!(first_mismatch(&m(&["CM010101"]), &input()).is_some());
        let mut unknown = input();
        unknown.area_ancestry.clear();
        assert!(first_mismatch(&m(&["CM"]), &unknown).unwrap().contains("unknown"));
    }

    #[test]
    fn names_only_the_first_failing_condition() {
        let m = Match {
            categories: vec![Category::Billing],
            priorities: vec![Priority::Low],
            unit_codes: vec!["PB99".into()],
            hours: Some((t(22, 0), t(6, 0))),
            ..Match::default()
        };
        assert_eq!(
            first_mismatch(&m, &input()).unwrap(),
            "category outage is not one of billing"
        );
        let m = Match {
            categories: vec![],
            ..m
        };
        assert_eq!(first_mismatch(&m, &input()).unwrap(), "priority high is not one of low");
        let m = Match {
            priorities: vec![Priority::High, Priority::Emergency],
            ..m
        };
        assert_eq!(first_mismatch(&m, &input()).unwrap(), "unit PB12 is not one of PB99");
        let m = Match {
            unit_codes: vec!["pb12".into()],
            ..m
        };
        assert_eq!(
            first_mismatch(&m, &input()).unwrap(),
            "local time 14:00 is outside 22:00–06:00"
        );
        let mut night = input();
        night.local_time = t(2, 30);
        assert_eq!(first_mismatch(&m, &night), None);
        night.unit_code = None;
        assert!(first_mismatch(&m, &night).unwrap().starts_with("the unit is unknown"));
    }

    #[test]
    fn checks_rules_field_by_field() {
        let good = RoutingRule {
            name: "outages".into(),
            matches: Match::default(),
            targets: vec![Target {
                strategy: Strategy::AreaOwner,
                timeout_minutes: 30,
            }],
        };
        assert!(check_rules(std::slice::from_ref(&good)).is_ok());
        let bad = RoutingRule {
            name: " ".into(),
            matches: Match {
                hours: Some((t(8, 0), t(8, 0))),
                area_codes: vec!["CM".into(), "".into()],
                ..Match::default()
            },
            targets: vec![
                Target {
                    strategy: Strategy::Named(" ".into()),
                    timeout_minutes: 0,
                },
                Target {
                    strategy: Strategy::OnCall,
                    timeout_minutes: 15,
                },
            ],
        };
        let dup = RoutingRule {
            name: "Outages".into(),
            ..good.clone()
        };
        let fields: Vec<String> = match check_rules(&[good, bad, dup]).unwrap_err() {
            DomainError::Validation(e) => e.into_iter().map(|f| f.field).collect(),
            other => panic!("expected validation, got {other:?}"),
        };
        assert_eq!(
            fields,
            [
                "rules[1].name",
                "rules[1].matches.hours",
                "rules[1].matches.area_codes[1]",
                "rules[1].targets[0].timeout_minutes",
                "rules[1].targets[0].strategy",
                "rules[2].name",
            ]
        );
    }
}
