//! Which rule matches: order, conditions, area subtrees, time windows.

use super::*;

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
