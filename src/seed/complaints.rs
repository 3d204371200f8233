//! Sample complaints with their facts, and compliments: a bill adjusted,
//! a meter tested, a voltage complaint repeating another at the same
//! transformer with a damage claim, a staff-conduct complaint answered by
//! its promised date, and compliments for an agent, a crew and a staff
//! member, so the work-order views and the complaints report show them.

use chrono::{DateTime, Datelike, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::complaint::{ApplianceInput, ComplaintFacts, Facts, FactsInput};
use hotline_domain::ports::Store;
use hotline_domain::role::Role;
use hotline_domain::sla::local_date;
use hotline_domain::work_order::{NewWorkOrder, WorkOrder, WorkOrderCode, WorkOrderEvent};
use hotline_persistence::Db;

use super::people::PROVINCES;

const PREFIX: &str = "SC";

/// The samples: category, days ago, description, facts.
fn samples() -> Vec<(Category, i64, &'static str, FactsInput)> {
    let appliances = vec![ApplianceInput {
        name: Some("Tủ lạnh".into()),
        claimed_amount_vnd: Some(6_500_000),
    }];
    vec![
        (
            Category::Billing,
            3,
            "Hoá đơn tháng 10 tăng bất thường",
            FactsInput {
                meter_number: Some("PE-14082213".into()),
                bill_period: Some("2026-10".into()),
                disputed_amount_vnd: Some(1_860_000),
                outcome: Some("bill_adjusted".into()),
                adjusted_amount_vnd: Some(-420_000),
                ..FactsInput::default()
            },
        ),
        (
            Category::Metering,
            20,
            "Khách nghi công tơ chạy nhanh",
            FactsInput {
                meter_number: Some("PE-22017745".into()),
                disputed_reading_kwh: Some(1532.0),
                outcome: Some("meter_tested".into()),
                meter_within_tolerance: Some(true),
                ..FactsInput::default()
            },
        ),
        (
            Category::VoltageQuality,
            40,
            "Điện yếu buổi tối",
            FactsInput {
                measured_voltage_v: Some(176.0),
                transformer_station: Some("TBA Tân Thành 3".into()),
                ..FactsInput::default()
            },
        ),
        (
            Category::VoltageQuality,
            5,
            "Điện chập chờn làm hỏng tủ lạnh",
            FactsInput {
                measured_voltage_v: Some(168.5),
                measured_where: Some("Đầu nguồn nhà khách hàng".into()),
                transformer_station: Some("TBA Tân Thành 3".into()),
                damaged_appliances: Some(appliances),
                outcome: Some("partly_accepted".into()),
                amount_paid_vnd: Some(3_000_000),
                ..FactsInput::default()
            },
        ),
        (
            Category::StaffConduct,
            6,
            "Nhân viên thu tiền thiếu lịch sự",
            FactsInput {
                staff_name: Some("Trần Văn Bình".into()),
                verification_finding: Some("Đã xác minh, phản ánh đúng".into()),
                answer_text: Some("Đã xin lỗi khách hàng và nhắc nhở nhân viên".into()),
                answered_on: Some("ANSWERED".into()),
                action_taken: Some("Nhắc nhở, ghi nhận thi đua".into()),
                ..FactsInput::default()
            },
        ),
        (
            Category::Compliment,
            2,
            "Khách khen tổng đài viên nhiệt tình",
            FactsInput {
                agent: Some("admin".into()),
                ..FactsInput::default()
            },
        ),
        (
            Category::Compliment,
            1,
            "Khách khen tổ sửa chữa đến nhanh",
            FactsInput {
                staff_name: Some("Nguyễn Thị Hoa".into()),
                ..FactsInput::default()
            },
        ),
    ]
}

/// Stores the sample complaints and compliments as of `now`.
pub async fn complaints(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let who = super::seeder("seed", Role::Admin);
    let store: &dyn Store = db;
    let fail = |e: &dyn std::fmt::Display| format!("seeding complaints: {e}");
    let (unit, _) = PROVINCES[0];
    for (category, days_ago, description, mut facts) in samples() {
        let opened = now - Duration::days(days_ago);
        let input = NewWorkOrder {
            category: Some(category),
            unit_code: Some(unit.into()),
            area_code: Some(format!("SAMPLE-{unit}")),
            description: Some(description.into()),
            promised_answer_date: (category == Category::StaffConduct).then(|| local_date(opened) + Duration::days(5)),
            ..NewWorkOrder::default()
        };
        if facts.answered_on.is_some() {
            facts.answered_on = Some((local_date(opened) + Duration::days(3)).to_string());
        }
        let seq = store
            .work_orders()
            .next_sequence(PREFIX, opened.year())
            .await
            .map_err(|e| fail(&e))?;
        let code = WorkOrderCode::new(PREFIX, opened.year(), seq).map_err(|e| fail(&e))?;
        let wo = WorkOrder::create(input, code, "system:seed", opened).map_err(|e| fail(&e))?;
        let line = WorkOrderEvent::new(&wo, "created", "system:seed", opened);
        let entry = AuditEntry::new("work_order", wo.id, "create", &who, opened, wo.audit_view());
        store
            .work_orders()
            .create(&wo, &[line], None, &entry, None)
            .await
            .map_err(|e| fail(&e))?;
        let checked = Facts::check(category, &facts, local_date(now)).map_err(|e| fail(&e))?;
        let recorded = ComplaintFacts::recorded(wo.id, None, checked, "system:seed", opened);
        let mut next = wo.clone();
        next.version += 1;
        let line = WorkOrderEvent::new(&next, "facts_changed", "system:seed", opened);
        let entry = AuditEntry::new("work_order", wo.id, "facts", &who, opened, recorded.facts.to_json());
        store
            .complaints()
            .save_facts(&recorded, &next, wo.version, std::slice::from_ref(&line), &entry, &[])
            .await
            .map_err(|e| fail(&e))?;
    }
    Ok(())
}
