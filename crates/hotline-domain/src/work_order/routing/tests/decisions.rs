//! Whole decisions: escalation, fallback to the dispatcher, staff conduct, storage.

use super::*;

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

#[test]
fn the_default_rules_try_the_area_owner_then_the_least_loaded_then_the_dispatcher() {
    let rules = default_rules();
    assert!(check_rules(&rules).is_ok());
    // CM01-A owns the district; CM-P (the province) is less busy.
    let teams = vec![team("CM01-A", &["CM01"], 3, 5), team("CM-P", &["CM"], 0, 5)];
    let first = route(&rules, &teams, &outage(), 0);
    assert_eq!(first.team_code.as_deref(), Some("CM01-A"), "{:?}", first.explanation);
    assert_eq!(first.timeout_minutes, Some(DEFAULT_TIMEOUT_MINUTES));
    let second = route(&rules, &teams, &outage(), 1);
    assert_eq!(second.team_code.as_deref(), Some("CM-P"), "{:?}", second.explanation);
    let last = route(&rules, &teams, &outage(), 2);
    assert!(last.fallback_to_dispatcher && last.team_code.is_none());
    // No team with the skill: the dispatcher.
    let billing = RoutingInput {
        category: Category::Billing,
        ..outage()
    };
    let none = route(&rules, &teams, &billing, 0);
    assert!(none.fallback_to_dispatcher, "{:?}", none.explanation);
}
