//! Sample planned outages: a few notices of the sample units in each
//! state, one of them published late with its reason, so the list, the
//! screen-pop look-up and the monthly report have something to show.

use chrono::{DateTime, Datelike, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::planned_outage::{
    CODE_PREFIX, NewPlannedOutage, NoticeAction, PlannedOutage, SEQUENCE, Transition,
};
use hotline_domain::ports::Store;
use hotline_domain::role::Role;
use hotline_domain::work_order::WorkOrderCode;
use hotline_persistence::Db;

use super::people::PROVINCES;

struct Sample {
    unit: usize,
    kind: &'static str,
    reason: &'static str,
    /// Days from now to the start.
    starts_in: i64,
    hours: i64,
    /// Taken yesterday (the notice was drafted the day before).
    steps: &'static [(NoticeAction, Option<&'static str>)],
}

const SAMPLES: [Sample; 4] = [
    Sample {
        unit: 0,
        kind: "maintenance",
        reason: "Bảo dưỡng định kỳ trạm biến áp và đường dây trung thế 22 kV",
        starts_in: 10,
        hours: 8,
        steps: &[(NoticeAction::Publish, None)],
    },
    Sample {
        unit: 7,
        kind: "tree_cutting",
        reason: "Phát quang, cắt tỉa cây xanh trong hành lang an toàn lưới điện",
        starts_in: 3,
        hours: 6,
        steps: &[(
            NoticeAction::Publish,
            Some("Cây ngã nghiêng vào đường dây sau mưa bão, cần xử lý gấp"),
        )],
    },
    Sample {
        unit: 3,
        kind: "upgrade",
        reason: "Nâng cấp, cải tạo lưới điện hạ thế khu vực chợ",
        starts_in: 20,
        hours: 10,
        steps: &[],
    },
    Sample {
        unit: 1,
        kind: "connection_work",
        reason: "Đấu nối trạm biến áp khách hàng mới vào lưới",
        starts_in: 12,
        hours: 4,
        steps: &[(NoticeAction::Publish, None), (NoticeAction::Cancel, None)],
    },
];

/// Stores the sample notices (with their history) as of `now`.
pub async fn planned_outages(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let who = super::seeder("seed", Role::Admin);
    let store: &dyn Store = db;
    let fail = |e: &dyn std::fmt::Display| format!("seeding planned outages: {e}");
    for s in &SAMPLES {
        let (unit, _) = PROVINCES[s.unit];
        let starts_at = now + Duration::days(s.starts_in);
        let input = NewPlannedOutage {
            unit_code: Some(unit.into()),
            kind: Some(s.kind.into()),
            reason: Some(s.reason.into()),
            starts_at: Some(starts_at),
            expected_end_at: Some(starts_at + Duration::hours(s.hours)),
            area_codes: vec![format!("SAMPLE-{unit}")],
            stations: vec![format!("TBA {unit}-01")],
            customer_codes: Vec::new(),
        };
        let created_at = now - Duration::days(2);
        let year = created_at.year();
        let seq = store
            .work_orders()
            .next_sequence(SEQUENCE, year)
            .await
            .map_err(|e| fail(&e))?;
        let code = WorkOrderCode::new(CODE_PREFIX, year, seq).map_err(|e| fail(&e))?;
        let mut notice =
            PlannedOutage::create(input, code.to_string(), "system:seed", created_at).map_err(|e| fail(&e))?;
        let entry = AuditEntry::new(
            "planned_outage",
            notice.id,
            "create",
            &who,
            created_at,
            notice.audit_view(),
        );
        store
            .planned_outages()
            .create(&notice, &entry, None)
            .await
            .map_err(|e| fail(&e))?;
        let at = now - Duration::days(1);
        for (action, late_reason) in s.steps {
            let step = Transition {
                late_reason: late_reason.map(Into::into),
                ..Transition::new(*action)
            };
            let next = notice.acted(&step, at).map_err(|e| fail(&e))?;
            let entry = AuditEntry::new(
                "planned_outage",
                notice.id,
                action.as_str(),
                &who,
                at,
                next.audit_view(),
            );
            store
                .planned_outages()
                .update(&next, notice.version, &entry, &[])
                .await
                .map_err(|e| fail(&e))?;
            notice = next;
        }
    }
    eprintln!("planned outages: {}", SAMPLES.len());
    Ok(())
}
