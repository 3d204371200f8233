use chrono::{Duration, TimeZone};

use super::report::monthly;
use super::*;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn input() -> NewPlannedOutage {
    NewPlannedOutage {
        unit_code: Some("pb12".into()),
        kind: Some("tree_cutting".into()),
        reason: Some("Phát quang hành lang tuyến 22 kV".into()),
        starts_at: Some(at(20, 0)),
        expected_end_at: Some(at(20, 8)),
        area_codes: vec!["CM01".into(), "cm01".into()],
        stations: vec![" TBA Tân Thành 1 ".into()],
        customer_codes: vec![],
    }
}

fn draft() -> PlannedOutage {
    PlannedOutage::create(input(), "KH-26-000001".into(), "user:thu", at(1, 0)).unwrap()
}

fn fields(e: DomainError) -> Vec<String> {
    match e {
        DomainError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn publish(reason: Option<&str>) -> Transition {
    Transition {
        late_reason: reason.map(Into::into),
        ..Transition::new(NoticeAction::Publish)
    }
}

#[test]
fn a_submission_is_checked_and_normalised() {
    let d = draft();
    assert_eq!(d.unit_code, "PB12");
    assert_eq!(d.area_codes, ["CM01"]);
    assert_eq!(d.stations, ["TBA Tân Thành 1"]);
    assert_eq!(d.status, NoticeStatus::Draft);
    let bad = NewPlannedOutage {
        unit_code: None,
        kind: Some("fixing".into()),
        reason: Some("   ".into()),
        starts_at: Some(at(20, 8)),
        expected_end_at: Some(at(20, 8)),
        area_codes: vec![],
        stations: vec![],
        customer_codes: vec!["!!".into()],
    };
    let f = fields(PlannedOutage::create(bad, "KH-26-000002".into(), "x", at(1, 0)).unwrap_err());
    for name in [
        "unit_code",
        "kind",
        "reason",
        "expected_end_at",
        "area_codes",
        "customer_codes[0]",
    ] {
        assert!(f.iter().any(|x| x == name), "{name} in {f:?}");
    }
}

#[test]
fn five_days_exactly_is_on_time_and_a_minute_less_is_late() {
    let start = at(20, 0);
    assert!(!notice::is_late(start - Duration::hours(120), start));
    assert!(notice::is_late(
        start - Duration::hours(120) + Duration::minutes(1),
        start
    ));
    assert!(!notice::is_late(start - Duration::days(10), start));
}

#[test]
fn a_late_publish_needs_a_reason_and_is_flagged() {
    let d = draft();
    let on_time = d.acted(&publish(None), at(15, 0)).unwrap();
    assert_eq!(on_time.status, NoticeStatus::Published);
    assert!(!on_time.late_notice);
    assert_eq!(on_time.published_at, Some(at(15, 0)));
    let late_at = at(15, 1);
    assert_eq!(
        fields(d.acted(&publish(Some("  ")), late_at).unwrap_err()),
        ["late_reason"]
    );
    let late = d
        .acted(&publish(Some("Sự cố lưới điện cần xử lý gấp")), late_at)
        .unwrap();
    assert!(late.late_notice);
    assert_eq!(late.late_reason.as_deref(), Some("Sự cố lưới điện cần xử lý gấp"));
    assert_eq!(
        fields(d.acted(&publish(Some("x")), at(20, 0)).unwrap_err()),
        ["starts_at"]
    );
}

#[test]
fn the_machine_allows_only_its_steps() {
    let d = draft();
    let now = at(2, 0);
    let conflict = |r: Result<PlannedOutage, DomainError>| matches!(r, Err(DomainError::Conflict(_)));
    assert!(conflict(d.acted(&Transition::new(NoticeAction::Start), now)));
    let p = d.acted(&publish(None), now).unwrap();
    let running = p.acted(&Transition::new(NoticeAction::Start), now).unwrap();
    assert_eq!(running.status, NoticeStatus::InProgress);
    assert!(conflict(running.acted(&Transition::new(NoticeAction::Cancel), now)));
    let done = running.acted(&Transition::new(NoticeAction::Complete), now).unwrap();
    assert_eq!(allowed_actions(done.status), &[] as &[NoticeAction]);
    assert!(conflict(done.acted(&publish(None), now)));
    let cancelled = p.acted(&Transition::new(NoticeAction::Cancel), now).unwrap();
    assert_eq!(cancelled.status, NoticeStatus::Cancelled);
    assert_eq!(cancelled.version, p.version + 1);
}

#[test]
fn a_postponement_moves_the_window_and_is_published_again() {
    let p = draft().acted(&publish(None), at(2, 0)).unwrap();
    let mut t = Transition::new(NoticeAction::Postpone);
    assert_eq!(
        fields(p.acted(&t, at(3, 0)).unwrap_err()),
        ["starts_at", "expected_end_at"]
    );
    t.starts_at = Some(at(27, 0));
    t.expected_end_at = Some(at(26, 0));
    assert_eq!(fields(p.acted(&t, at(3, 0)).unwrap_err()), ["expected_end_at"]);
    t.expected_end_at = Some(at(27, 6));
    let moved = p.acted(&t, at(3, 0)).unwrap();
    assert_eq!((moved.status, moved.postponements), (NoticeStatus::Postponed, 1));
    assert_eq!((moved.starts_at, moved.expected_end_at), (at(27, 0), at(27, 6)));
    // Published again three days before the new start: late, with a reason.
    assert_eq!(
        fields(moved.acted(&publish(None), at(24, 0)).unwrap_err()),
        ["late_reason"]
    );
    let again = moved.acted(&publish(None), at(4, 0)).unwrap();
    assert_eq!(again.status, NoticeStatus::Published);
    assert!(!again.late_notice);
}

#[test]
fn published_notices_move_only_by_postponement() {
    let d = draft();
    let patch = PlannedOutagePatch {
        starts_at: Some(at(21, 0)),
        expected_end_at: Some(at(21, 8)),
        ..Default::default()
    };
    assert_eq!(d.patched(patch.clone(), at(2, 0)).unwrap().starts_at, at(21, 0));
    let p = d.acted(&publish(None), at(2, 0)).unwrap();
    assert_eq!(fields(p.patched(patch, at(3, 0)).unwrap_err()), ["starts_at"]);
    let longer = PlannedOutagePatch {
        expected_end_at: Some(at(20, 10)),
        reason: Some("Thay máy biến áp".into()),
        ..Default::default()
    };
    let edited = p.patched(longer, at(3, 0)).unwrap();
    assert_eq!(edited.reason, "Thay máy biến áp");
    let done = p.acted(&Transition::new(NoticeAction::Cancel), at(3, 0)).unwrap();
    assert!(matches!(
        done.patched(PlannedOutagePatch::default(), at(4, 0)),
        Err(DomainError::Conflict(_))
    ));
}

#[test]
fn coverage_and_the_monthly_report() {
    let d = draft();
    assert!(d.covers(&["CM0101".into(), "CM01".into(), "CM".into()]));
    assert!(!d.covers(&["CM".into()]));
    let on_time = d.acted(&publish(None), at(2, 0)).unwrap();
    let mut late = draft();
    late.code = "KH-26-000002".into();
    let late = late.acted(&publish(Some("Khẩn cấp")), at(18, 0)).unwrap();
    let mut january = draft();
    january.starts_at = Utc.with_ymd_and_hms(2026, 12, 31, 18, 0, 0).unwrap(); // 1 January, 01:00 local
    let rows = monthly(&[on_time, late, january], &[]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].month, "2026-12");
    assert_eq!(
        (rows[0].notices, rows[0].published, rows[0].on_time, rows[0].late),
        (2, 2, 1, 1)
    );
    assert_eq!(rows[0].late_notices[0].reason.as_deref(), Some("Khẩn cấp"));
    assert_eq!((rows[1].month.as_str(), rows[1].published), ("2027-01", 0));
}

#[test]
fn who_was_told_follows_the_list_or_the_directory_at_publication() {
    let pb = |s: &str| CustomerCode::parse(s).unwrap();
    let d = draft();
    assert!(
        !notice::was_notified(&d, &pb("PB12000001"), at(1, 0)),
        "a draft told no one"
    );
    let published = d.acted(&publish(None), at(10, 0)).unwrap();
    // No list: the customers of its areas as the directory stood then.
    assert!(notice::was_notified(&published, &pb("PB12000001"), at(9, 0)));
    assert!(
        !notice::was_notified(&published, &pb("PB12000001"), at(11, 0)),
        "added after"
    );
    // A list: only those named.
    let mut listed = published.clone();
    listed.customer_codes = vec![pb("PB12000002")];
    assert!(notice::was_notified(&listed, &pb("PB12000002"), at(11, 0)));
    assert!(!notice::was_notified(&listed, &pb("PB12000001"), at(9, 0)));
}
