//! How each target strategy picks a team, and what it says about the others.

use super::*;

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
        "chose DISTRICT: owns CM01, the closest area above CM0101 with an eligible team on shift; load 2/10",
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
    let d = route(
        &one(Strategy::AreaOwner),
        &[quiet_but_off.clone(), busy_on.clone()],
        &outage(),
        0,
    );
    assert_says(
        &d,
        "chose ON: owns CM, the closest area above CM0101 with an eligible team on shift; load 3/5",
    );
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
