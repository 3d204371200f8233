use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::DomainError;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

fn fields(e: DomainError) -> Vec<String> {
    match e {
        DomainError::Validation(errs) => errs.into_iter().map(|e| e.field).collect(),
        other => panic!("not a validation error: {other:?}"),
    }
}

fn bill() -> FactsInput {
    FactsInput {
        meter_number: Some(" pe-1234567 ".into()),
        bill_period: Some("2026-10".into()),
        disputed_amount_vnd: Some(1_250_000),
        ..FactsInput::default()
    }
}

#[test]
fn a_bill_complaint_keeps_its_meter_period_and_adjustment() {
    let mut input = bill();
    input.outcome = Some("bill_adjusted".into());
    input.adjusted_amount_vnd = Some(-300_000);
    let Facts::Metering(m) = Facts::check(Category::Billing, &input, today()).unwrap() else {
        panic!("metering facts")
    };
    assert_eq!(m.meter_number, "PE-1234567");
    assert_eq!(m.bill_period.as_deref(), Some("2026-10"));
    assert_eq!(m.outcome, Some(Outcome::BillAdjusted));
    assert_eq!(m.adjusted_amount_vnd, Some(-300_000));
}

#[test]
fn metering_outcomes_need_their_own_details() {
    let mut input = bill();
    input.outcome = Some("meter_tested".into());
    let e = Facts::check(Category::Metering, &input, today()).unwrap_err();
    assert_eq!(fields(e), ["facts.meter_within_tolerance"]);
    input.outcome = Some("unfounded".into());
    input.unfounded_reason = Some("   ".into());
    let e = Facts::check(Category::Metering, &input, today()).unwrap_err();
    assert_eq!(fields(e), ["facts.unfounded_reason"]);
    let e = Facts::check(
        Category::Metering,
        &FactsInput {
            meter_number: Some("x".into()),
            bill_period: Some("2026-13".into()),
            ..FactsInput::default()
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(
        fields(e),
        ["facts.meter_number", "facts.bill_period", "facts.disputed_amount_vnd"]
    );
}

#[test]
fn an_outcome_of_another_category_is_refused_by_name() {
    let mut input = bill();
    input.outcome = Some("accepted".into());
    assert_eq!(
        fields(Facts::check(Category::Billing, &input, today()).unwrap_err()),
        ["facts.outcome"]
    );
    let voltage = FactsInput {
        outcome: Some("bill_adjusted".into()),
        ..FactsInput::default()
    };
    assert_eq!(
        fields(Facts::check(Category::VoltageQuality, &voltage, today()).unwrap_err()),
        ["facts.outcome"]
    );
    assert!(Outcome::MeterTested.belongs_to(Category::Billing));
    assert!(!Outcome::Rejected.belongs_to(Category::StaffConduct));
}

#[test]
fn fields_of_another_category_are_refused() {
    let mut input = bill();
    input.transformer_station = Some("TBA Tân Thành".into());
    assert_eq!(
        fields(Facts::check(Category::Billing, &input, today()).unwrap_err()),
        ["facts.transformer_station"]
    );
    assert!(matches!(
        Facts::check(Category::Outage, &bill(), today()),
        Err(DomainError::Validation(_))
    ));
}

#[test]
fn a_voltage_claim_adds_up_and_needs_the_amount_paid() {
    let input = FactsInput {
        measured_voltage_v: Some(172.5),
        measured_at: Some("2026-12-01T19:30:00+07:00".into()),
        transformer_station: Some("TBA Tân Thành 3".into()),
        damaged_appliances: Some(vec![
            ApplianceInput {
                name: Some("Tủ lạnh".into()),
                claimed_amount_vnd: Some(6_000_000),
            },
            ApplianceInput {
                name: Some("Quạt".into()),
                claimed_amount_vnd: Some(500_000),
            },
        ]),
        outcome: Some("partly_accepted".into()),
        amount_paid_vnd: Some(3_000_000),
        ..FactsInput::default()
    };
    let facts = Facts::check(Category::VoltageQuality, &input, today()).unwrap();
    let Facts::VoltageQuality(v) = &facts else { panic!() };
    assert_eq!(v.claimed_vnd(), 6_500_000);
    assert_eq!(facts.transformer_station(), Some("TBA Tân Thành 3"));
    let mut unpaid = input.clone();
    unpaid.amount_paid_vnd = None;
    unpaid.measured_voltage_v = Some(0.0);
    unpaid.damaged_appliances.as_mut().unwrap()[1].name = None;
    assert_eq!(
        fields(Facts::check(Category::VoltageQuality, &unpaid, today()).unwrap_err()),
        [
            "facts.measured_voltage_v",
            "facts.damaged_appliances[1].name",
            "facts.amount_paid_vnd"
        ]
    );
}

#[test]
fn staff_conduct_names_someone_and_dates_its_answer() {
    let e = Facts::check(
        Category::StaffConduct,
        &FactsInput {
            answered_on: Some("2026-12-06".into()),
            ..FactsInput::default()
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(
        fields(e),
        ["facts.staff_name", "facts.answered_on", "facts.answer_text"]
    );
    let ok = FactsInput {
        team_code: Some("pb98-t1".into()),
        answer_text: Some("Đã xin lỗi khách hàng".into()),
        answered_on: Some("2026-12-04".into()),
        ..FactsInput::default()
    };
    let Facts::StaffConduct(c) = Facts::check(Category::StaffConduct, &ok, today()).unwrap() else {
        panic!()
    };
    assert_eq!(c.team_code.as_deref(), Some("PB98-T1"));
    assert_eq!(c.answered_on, NaiveDate::from_ymd_opt(2026, 12, 4));
}

#[test]
fn a_compliment_is_for_someone() {
    let e = Facts::check(Category::Compliment, &FactsInput::default(), today()).unwrap_err();
    assert_eq!(fields(e), ["facts.agent"]);
    let ok = FactsInput {
        staff_name: Some("Nguyễn Văn Hùng".into()),
        ..FactsInput::default()
    };
    assert!(Facts::check(Category::Compliment, &ok, today()).is_ok());
}

fn mark(code: &str, area: Option<&str>, station: Option<&str>, days_ago: i64) -> VoltageMark {
    let now = Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap();
    VoltageMark {
        id: uuid::Uuid::now_v7(),
        code: code.into(),
        unit_code: Some(crate::UnitCode::stored("PB98")),
        area_code: area.map(crate::AreaCode::stored),
        transformer_station: station.map(String::from),
        opened_at: now - chrono::TimeDelta::days(days_ago),
    }
}

#[test]
fn repeats_reach_back_ninety_days_by_area_or_transformer() {
    let this = mark("NEW", Some("A1"), Some("TBA Tân Thành"), 0);
    let others = [
        mark("AREA89", Some("A1"), None, 89),
        mark("AREA91", Some("A1"), None, 91),
        mark("TBA30", Some("B2"), Some("tba tan  thanh"), 30),
        mark("OTHER", Some("B2"), Some("TBA Khác"), 10),
    ];
    let r = Repeats::of(&this, &others);
    assert_eq!(r.codes, ["AREA89", "TBA30"]);
    assert_eq!(r.count, 2);
    let mut elsewhere = mark("ELSE", Some("A1"), None, 5);
    elsewhere.unit_code = Some(crate::UnitCode::stored("PB97"));
    assert_eq!(Repeats::of(&this, &[elsewhere]).count, 0);
}

#[test]
fn facts_are_kept_for_complaints_and_compliments_only() {
    for kept in [
        Category::Metering,
        Category::Billing,
        Category::VoltageQuality,
        Category::StaffConduct,
        Category::Compliment,
    ] {
        assert!(Facts::kept_for(kept), "{kept:?}");
        // And what is kept can be recorded: an empty input is refused by field, not by category.
        if let Err(DomainError::Validation(errs)) = Facts::check(kept, &FactsInput::default(), today()) {
            assert!(errs.iter().all(|e| e.field != "facts"), "{kept:?}: {errs:?}");
        }
    }
    for none in [Category::Outage, Category::NewSupply] {
        assert!(!Facts::kept_for(none), "{none:?}");
        assert!(Facts::check(none, &FactsInput::default(), today()).is_err());
    }
}
