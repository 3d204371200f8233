//! Routing decisions end to end: rules, strategies, escalation and the
//! explanation a dispatcher reads.

use chrono::NaiveTime;

use super::*;
use crate::call::Category;
use crate::work_order::Priority;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn team(code: &str, areas: &[&str], open: u32, capacity: u32) -> Team {
    Team {
        code: code.into(),
        unit_code: "PB12".into(),
        area_codes: areas.iter().map(|a| a.to_string()).collect(),
        skills: vec![Category::Outage, Category::SafetyHazard],
        capacity,
        open_count: open,
        on_shift: true,
    }
}

fn off(mut t: Team) -> Team {
    t.on_shift = false;
    t
}

fn skilled(mut t: Team, skills: &[Category]) -> Team {
    t.skills = skills.to_vec();
    t
}

/// An outage in commune CM0101 of former district CM01 of province CM.
fn outage() -> RoutingInput {
    RoutingInput {
        category: Category::Outage,
        priority: Priority::High,
        area_ancestry: vec!["CM0101".into(), "CM01".into(), "CM".into()],
        unit_code: Some("PB12".into()),
        local_time: t(14, 0),
    }
}

fn target(strategy: Strategy, timeout_minutes: u32) -> Target {
    Target {
        strategy,
        timeout_minutes,
    }
}

fn rule(name: &str, matches: Match, targets: Vec<Target>) -> RoutingRule {
    RoutingRule {
        name: name.into(),
        matches,
        targets,
    }
}

fn one(strategy: Strategy) -> Vec<RoutingRule> {
    vec![rule("all", Match::default(), vec![target(strategy, 30)])]
}

fn says(d: &Decision, needle: &str) -> bool {
    d.explanation.iter().any(|l| l.contains(needle))
}

#[track_caller]
fn assert_says(d: &Decision, needle: &str) {
    assert!(
        says(d, needle),
        "explanation lacks {needle:?}:\n{}",
        d.explanation.join("\n")
    );
}

#[test]
fn first_matching_rule_wins_in_order() {
    let rules = vec![
        rule(
            "billing",
            Match {
                categories: vec![Category::Billing],
                ..Match::default()
            },
            vec![target(Strategy::Named("BILL".into()), 60)],
        ),
        rule(
            "outages in Cà Mau",
            Match {
                categories: vec![Category::Outage],
                area_codes: vec!["CM".into()],
                ..Match::default()
            },
            vec![target(Strategy::Named("CM-A".into()), 30)],
        ),
        rule(
            "everything",
            Match::default(),
            vec![target(Strategy::Named("CM-B".into()), 10)],
        ),
    ];
    let teams = [
        team("BILL", &[], 0, 5),
        team("CM-A", &["CM"], 0, 5),
        team("CM-B", &["CM"], 0, 5),
    ];
    let d = route(&rules, &teams, &outage(), 0);
    assert_eq!(d.rule.as_deref(), Some("outages in Cà Mau"));
    assert_eq!(d.team_code.as_deref(), Some("CM-A"));
    assert_eq!((d.target_index, d.timeout_minutes), (Some(0), Some(30)));
    assert!(!d.fallback_to_dispatcher && !d.to_unit_management);
    assert_eq!(
        d.explanation[0],
        "rule \"billing\" did not match: category outage is not one of billing"
    );
    assert_eq!(d.explanation[1], "rule \"outages in Cà Mau\" matched");
    assert!(!says(&d, "everything"), "later rules are not looked at");

    let mut billing = outage();
    billing.category = Category::Billing;
    assert_eq!(route(&rules, &teams, &billing, 0).rule.as_deref(), Some("billing"));
}

#[test]
fn earlier_rules_explain_their_first_failing_condition() {
    let rules = vec![
        rule(
            "emergencies",
            Match {
                priorities: vec![Priority::Emergency],
                ..Match::default()
            },
            vec![],
        ),
        rule(
            "Bạc Liêu",
            Match {
                area_codes: vec!["BL".into()],
                ..Match::default()
            },
            vec![],
        ),
        rule(
            "other unit",
            Match {
                unit_codes: vec!["PB13".into()],
                ..Match::default()
            },
            vec![],
        ),
        rule(
            "nights",
            Match {
                hours: Some((t(22, 0), t(6, 0))),
                ..Match::default()
            },
            vec![],
        ),
        rule("default", Match::default(), vec![target(Strategy::AreaOwner, 30)]),
    ];
    let d = route(&rules, &[team("CM-A", &["CM0101"], 0, 3)], &outage(), 0);
    assert_eq!(d.rule.as_deref(), Some("default"));
    assert_eq!(
        &d.explanation[..5],
        [
            "rule \"emergencies\" did not match: priority high is not one of emergency",
            "rule \"Bạc Liêu\" did not match: area CM0101 is not within BL",
            "rule \"other unit\" did not match: unit PB12 is not one of PB13",
            "rule \"nights\" did not match: local time 14:00 is outside 22:00–06:00",
            "rule \"default\" matched",
        ]
    );
}

#[test]
fn rule_areas_match_whole_subtrees() {
    let rules = vec![
        rule(
            "province CM",
            Match {
                area_codes: vec!["cm".into()],
                ..Match::default()
            },
            vec![target(Strategy::Named("CM-A".into()), 30)],
        ),
        rule(
            "rest",
            Match::default(),
            vec![target(Strategy::Named("OTHER".into()), 30)],
        ),
    ];
    let teams = [team("CM-A", &["CM"], 0, 5), team("OTHER", &["BL"], 0, 5)];
    assert_eq!(route(&rules, &teams, &outage(), 0).team_code.as_deref(), Some("CM-A"));
    let mut elsewhere = outage();
    elsewhere.area_ancestry = vec!["BL0201".into(), "BL02".into(), "BL".into()];
    assert_eq!(route(&rules, &teams, &elsewhere, 0).team_code.as_deref(), Some("OTHER"));
}

#[test]
fn time_windows_choose_day_and_night_rules() {
    let rules = vec![
        rule(
            "night",
            Match {
                hours: Some((t(22, 0), t(6, 0))),
                ..Match::default()
            },
            vec![target(Strategy::Named("NIGHT".into()), 15)],
        ),
        rule(
            "office",
            Match {
                hours: Some((t(7, 0), t(17, 0))),
                ..Match::default()
            },
            vec![target(Strategy::Named("DAY".into()), 60)],
        ),
    ];
    let teams = [team("NIGHT", &["CM"], 0, 5), team("DAY", &["CM"], 0, 5)];
    let at = |h, m| {
        let mut i = outage();
        i.local_time = t(h, m);
        route(&rules, &teams, &i, 0)
    };
    assert_eq!(at(23, 30).team_code.as_deref(), Some("NIGHT"));
    assert_eq!(at(0, 0).team_code.as_deref(), Some("NIGHT"));
    assert_eq!(at(5, 59).team_code.as_deref(), Some("NIGHT"));
    assert_eq!(at(7, 0).team_code.as_deref(), Some("DAY"));
    assert_eq!(at(16, 59).team_code.as_deref(), Some("DAY"));
    let evening = at(18, 0);
    assert!(evening.fallback_to_dispatcher && evening.rule.is_none());
    assert_says(&evening, "local time 18:00 is outside 07:00–17:00");
    assert_says(&evening, "no rule matched");
    let dawn = at(6, 0);
    assert_says(&dawn, "local time 06:00 is outside 22:00–06:00");
    assert!(dawn.fallback_to_dispatcher);
}

#[test]
fn area_owner_takes_the_team_of_the_closest_area() {
    let teams = [
        team("PROVINCE", &["CM"], 0, 10),
        team("DISTRICT", &["CM01"], 0, 10),
        team("COMMUNE", &["CM0101"], 4, 5),
        team("NEIGHBOUR", &["CM0102"], 0, 10),
    ];
    let d = route(&one(Strategy::AreaOwner), &teams, &outage(), 0);
    assert_eq!(d.team_code.as_deref(), Some("COMMUNE"));
    assert_says(&d, "chose COMMUNE: owns the work order's area CM0101; load 4/5");
    assert_says(&d, "passed over PROVINCE: owns only CM, less specific than CM0101");
    assert_says(&d, "passed over DISTRICT: owns only CM01, less specific than CM0101");
    assert_says(&d, "passed over for not covering CM0101 or its parent areas: NEIGHBOUR");
}

#[test]
fn area_owner_moves_up_when_the_closest_owner_cannot_take_it() {
    let teams = [
        team("PROVINCE", &["CM"], 0, 10),
        team("DISTRICT", &["CM01"], 2, 10),
        team("COMMUNE", &["CM0101"], 5, 5),
        skilled(team("METER", &["CM0101"], 0, 5), &[Category::Metering]),
    ];
    let d = route(&one(Strategy::AreaOwner), &teams, &outage(), 0);
    assert_eq!(d.team_code.as_deref(), Some("DISTRICT"));
    assert_says(
        &d,
        "chose DISTRICT: owns CM01, the closest area above CM0101 with an eligible team; load 2/10",
    );
    assert_says(&d, "passed over COMMUNE: at capacity (5/5)");
    assert_says(&d, "passed over for lacking the outage skill: METER");
    assert_says(&d, "passed over PROVINCE: owns only CM, less specific than CM01");
}

#[test]
fn area_owner_breaks_ties_by_load_then_code() {
    let teams = [
        team("B", &["CM0101"], 1, 4),
        team("A", &["CM0101"], 2, 4),
        team("C", &["CM0101"], 1, 4),
    ];
    let d = route(&one(Strategy::AreaOwner), &teams, &outage(), 0);
    assert_eq!(d.team_code.as_deref(), Some("B"));
    assert_says(&d, "passed over A: more loaded (2/4)");
    assert_says(&d, "passed over C: as loaded (1/4), later in code order");
}

#[test]
fn least_loaded_takes_the_lowest_ratio_ties_by_code() {
    let teams = [
        team("D", &["CM"], 2, 4),
        team("C", &["CM01"], 1, 3),
        team("B", &["CM0101"], 2, 6),
        team("E", &["CM"], 0, 0),
        team("F", &["CM"], 3, 3),
        team("G", &["BL"], 0, 9),
    ];
    let d = route(&one(Strategy::LeastLoaded), &teams, &outage(), 0);
    // C 1/3 and B 2/6 are both a third: B comes first by code.
    assert_eq!(d.team_code.as_deref(), Some("B"));
    assert_says(&d, "chose B: least loaded (2/6)");
    assert_says(&d, "passed over C: as loaded (1/3), later in code order");
    assert_says(&d, "passed over D: more loaded (2/4)");
    assert_says(&d, "passed over E: at capacity (0/0)");
    assert_says(&d, "passed over F: at capacity (3/3)");
    assert_says(&d, "passed over for not covering CM0101 or its parent areas: G");
}

#[test]
fn off_shift_teams_only_when_no_eligible_team_is_on_shift() {
    let quiet_but_off = off(team("OFF", &["CM0101"], 0, 5));
    let busy_on = team("ON", &["CM"], 3, 5);
    for strategy in [Strategy::AreaOwner, Strategy::LeastLoaded, Strategy::OnCall] {
        let d = route(
            &one(strategy.clone()),
            &[quiet_but_off.clone(), busy_on.clone()],
            &outage(),
            0,
        );
        assert_eq!(d.team_code.as_deref(), Some("ON"), "{strategy}");
        assert_says(&d, "passed over OFF: off shift");
    }
    // Nobody eligible is on shift (ON is full): area_owner and least_loaded
    // fall back to the off-shift team and say so; on_call does not.
    let full_on = team("ON", &["CM"], 5, 5);
    for strategy in [Strategy::AreaOwner, Strategy::LeastLoaded] {
        let d = route(
            &one(strategy.clone()),
            &[quiet_but_off.clone(), full_on.clone()],
            &outage(),
            0,
        );
        assert_eq!(d.team_code.as_deref(), Some("OFF"), "{strategy}");
        assert_says(&d, "off shift, taken because no eligible team is on shift");
        assert_says(&d, "passed over ON: at capacity (5/5)");
    }
    let d = route(&one(Strategy::OnCall), &[quiet_but_off, full_on], &outage(), 0);
    assert!(d.fallback_to_dispatcher && d.team_code.is_none());
    assert_says(&d, "target 1/1 (on_call): no eligible team on shift");
    assert_says(&d, "passed over OFF: off shift");
}

#[test]
fn on_call_picks_the_least_loaded_team_on_shift() {
    let teams = [
        team("ON-BUSY", &["CM"], 4, 5),
        team("ON-QUIET", &["CM01"], 1, 5),
        off(team("OFF-IDLE", &["CM0101"], 0, 5)),
    ];
    let d = route(&one(Strategy::OnCall), &teams, &outage(), 0);
    assert_eq!(d.team_code.as_deref(), Some("ON-QUIET"));
    assert_says(&d, "passed over ON-BUSY: more loaded (4/5)");
    assert_says(&d, "passed over OFF-IDLE: off shift");
}

#[test]
fn named_team_is_taken_as_named_or_skipped_when_missing() {
    let full = off(skilled(team("STORM", &["BL"], 9, 9), &[Category::Billing]));
    let d = route(
        &one(Strategy::Named("storm".into())),
        std::slice::from_ref(&full),
        &outage(),
        0,
    );
    assert_eq!(d.team_code.as_deref(), Some("STORM"));
    assert_says(
        &d,
        "chose STORM: named in the rule (note: lacks the outage skill, does not cover CM0101, at capacity (9/9), off shift)",
    );
    let d = route(&one(Strategy::Named("GONE".into())), &[full], &outage(), 0);
    assert!(d.fallback_to_dispatcher && d.team_code.is_none());
    assert_says(&d, "target 1/1 (named GONE): no team GONE exists");
}

fn escalation_rules() -> Vec<RoutingRule> {
    vec![rule(
        "outages",
        Match {
            categories: vec![Category::Outage],
            ..Match::default()
        },
        vec![
            target(Strategy::AreaOwner, 15),
            target(Strategy::Named("GONE".into()), 20),
            target(Strategy::OnCall, 30),
            target(Strategy::Named("DESK".into()), 45),
        ],
    )]
}

#[test]
fn skip_targets_continues_down_the_list_after_timeouts() {
    let teams = [
        team("OWNER", &["CM0101"], 0, 5),
        team("ONCALL", &["CM"], 2, 5),
        off(team("DESK", &[], 0, 50)),
    ];
    let rules = escalation_rules();
    let first = route(&rules, &teams, &outage(), 0);
    assert_eq!(
        (first.team_code.as_deref(), first.target_index, first.timeout_minutes),
        (Some("OWNER"), Some(0), Some(15))
    );
    assert_says(
        &first,
        "target 1/4 (area_owner): escalates after 15 min without acknowledgement",
    );

    // OWNER did not acknowledge: target 2 names a missing team, target 3 on_call.
    let second = route(&rules, &teams, &outage(), 1);
    assert_eq!(
        (second.team_code.as_deref(), second.target_index, second.timeout_minutes),
        (Some("OWNER"), Some(2), Some(30))
    );
    assert_says(
        &second,
        "targets 1–1 already tried (escalation); continuing with target 2/4",
    );
    assert_says(&second, "target 2/4 (named GONE): no team GONE exists");
    assert!(!says(&second, "target 1/4"));

    let third = route(&rules, &teams, &outage(), 3);
    assert_eq!(
        (third.team_code.as_deref(), third.target_index, third.timeout_minutes),
        (Some("DESK"), Some(3), Some(45))
    );

    let exhausted = route(&rules, &teams, &outage(), 4);
    assert!(exhausted.fallback_to_dispatcher && exhausted.team_code.is_none());
    assert_eq!(exhausted.rule.as_deref(), Some("outages"));
    assert_eq!((exhausted.target_index, exhausted.timeout_minutes), (None, None));
    assert_says(&exhausted, "all 4 targets already tried");
    assert_says(&exhausted, "no team chosen: to the dispatcher queue of unit PB12");
}

#[test]
fn falls_back_to_the_dispatcher_when_no_target_yields_a_team() {
    let rules = escalation_rules();
    let teams = [team("FULL", &["CM0101"], 5, 5), off(team("SLEEPING", &["CM"], 0, 5))];
    let mut i = outage();
    i.unit_code = None;
    // AreaOwner falls back to the off-shift team …
    assert_eq!(route(&rules, &teams, &i, 0).team_code.as_deref(), Some("SLEEPING"));
    // … but after it, nothing works: GONE is missing, on_call finds nobody
    // on shift, DESK does not exist here.
    let d = route(&rules, &teams, &i, 1);
    assert!(d.fallback_to_dispatcher);
    assert_eq!((d.rule.as_deref(), d.team_code.as_deref()), (Some("outages"), None));
    assert_says(&d, "target 3/4 (on_call): no eligible team on shift");
    assert_says(&d, "target 4/4 (named DESK): no team DESK exists");
    assert_eq!(
        d.explanation.last().unwrap(),
        "no team chosen: to the dispatcher queue of the work order's unit"
    );

    let none = route(&[], &teams, &outage(), 0);
    assert!(none.fallback_to_dispatcher && none.rule.is_none());
    assert_says(&none, "no routing rules");

    let straight = route(&[rule("to the desk", Match::default(), vec![])], &teams, &outage(), 0);
    assert!(straight.fallback_to_dispatcher);
    assert_eq!(straight.rule.as_deref(), Some("to the desk"));
    assert_says(&straight, "the rule has no targets");
}

#[test]
fn unknown_area_leaves_only_named_teams() {
    let mut i = outage();
    i.area_ancestry.clear();
    let teams = [team("CM-A", &["CM"], 0, 5)];
    let d = route(&one(Strategy::LeastLoaded), &teams, &i, 0);
    assert!(d.fallback_to_dispatcher);
    assert_says(&d, "no eligible team for outage in (unknown area)");
    let d = route(&one(Strategy::Named("CM-A".into())), &teams, &i, 0);
    assert_eq!(d.team_code.as_deref(), Some("CM-A"));
}

#[test]
fn staff_conduct_goes_to_unit_management_whatever_the_rules() {
    let rules = vec![rule(
        "complaints",
        Match {
            categories: vec![Category::StaffConduct],
            ..Match::default()
        },
        vec![target(Strategy::Named("CREW".into()), 30)],
    )];
    let crew = skilled(team("CREW", &["CM"], 0, 5), Category::ALL);
    let mut i = outage();
    i.category = Category::StaffConduct;
    let d = route(&rules, std::slice::from_ref(&crew), &i, 0);
    assert!(d.to_unit_management);
    assert!(!d.fallback_to_dispatcher);
    assert_eq!(
        (d.rule, d.team_code, d.target_index, d.timeout_minutes),
        (None, None, None, None)
    );
    assert_eq!(
        d.explanation,
        [
            "staff-conduct complaint: goes to the management of unit PB12, never to a field team; routing rules are not applied"
        ]
    );
    // Escalation never moves it to a team either.
    assert!(route(&rules, &[crew], &i, 3).to_unit_management);
}

#[test]
fn explanations_group_long_lists_of_passed_over_teams() {
    let mut teams: Vec<Team> = (0..13)
        .map(|n| skilled(team(&format!("M{n:02}"), &["CM"], 0, 5), &[Category::Metering]))
        .collect();
    teams.push(team("OK", &["CM"], 0, 5));
    let d = route(&one(Strategy::LeastLoaded), &teams, &outage(), 0);
    assert_eq!(d.team_code.as_deref(), Some("OK"));
    assert_says(
        &d,
        "passed over for lacking the outage skill: M00, M01, M02, M03, M04, M05, M06, M07, M08, M09 and 3 more",
    );
}

#[test]
fn rules_and_decisions_travel_as_json() {
    let rules = escalation_rules();
    let json = serde_json::to_value(&rules).unwrap();
    assert_eq!(
        json[0]["targets"][0],
        serde_json::json!({"strategy": "area_owner", "timeout_minutes": 15})
    );
    assert_eq!(json[0]["targets"][1]["strategy"], serde_json::json!({"named": "GONE"}));
    assert_eq!(json[0]["matches"]["categories"], serde_json::json!(["outage"]));
    let back: Vec<RoutingRule> = serde_json::from_value(json).unwrap();
    assert_eq!(back, rules);
    let minimal: RoutingRule = serde_json::from_value(serde_json::json!({
        "name": "nights",
        "matches": {"hours": ["22:00:00", "06:00:00"], "priorities": ["emergency"]},
        "targets": [{"strategy": "on_call", "timeout_minutes": 10}]
    }))
    .unwrap();
    assert_eq!(minimal.matches.hours, Some((t(22, 0), t(6, 0))));
    assert!(minimal.matches.categories.is_empty());
    let d = route(&[minimal], &[team("X", &["CM"], 0, 1)], &outage(), 0);
    let back: Decision = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}
