//! Sample work orders: a year of them across the sample provinces and forty
//! teams, most resolved (some late), a few cancelled or still open, with
//! feedback on about a third of the resolved ones.

use chrono::{DateTime, Datelike, Duration, Utc};
use hotline_domain::TeamCode;
use hotline_domain::call::Category;
use hotline_domain::work_order::{Feedback, NewWorkOrder, Status, WorkOrder, WorkOrderCode};

use super::people::{PROVINCES, mix};

/// New-supply requests are not among them: each needs its application,
/// and `new_supply` seeds those through the use case.
const CATEGORIES: [Category; 6] = [
    Category::Outage,
    Category::Outage,
    Category::Outage,
    Category::Billing,
    Category::Metering,
    Category::VoltageQuality,
];

/// The `i`th sample work order (codes `SA-yy-nnnnnn`, unique per `i`
/// below 999,999), and its feedback if it has any.
pub fn sample_work_order(i: u64, now: DateTime<Utc>) -> Option<(WorkOrder, Option<Feedback>)> {
    let r = mix(i ^ 0x0DE5_0000);
    let created = now - Duration::minutes(((r >> 8) % (365 * 24 * 60)) as i64 + 1);
    let category = CATEGORIES[(r % CATEGORIES.len() as u64) as usize];
    let (unit, _) = PROVINCES[((r >> 20) % PROVINCES.len() as u64) as usize];
    let input = NewWorkOrder {
        category: Some(category),
        unit_code: Some(unit.to_string()),
        area_code: Some(format!("SAMPLE-{unit}")),
        description: Some("Sample data".into()),
        ..Default::default()
    };
    let code = WorkOrderCode::new("SA", created.year(), (i % 999_999) as u32 + 1).ok()?;
    let mut wo = WorkOrder::create(input, code, "system:seed", created).ok()?;
    wo.team_code = Some(TeamCode::stored(format!("SAMPLE-T{:02}", (r >> 28) % 40 + 1)));
    wo.response_due = Some(created + Duration::minutes(60));
    let allowed = if category == Category::Outage {
        Duration::hours(2)
    } else {
        Duration::days(3)
    };
    wo.resolution_due = Some(created + allowed);
    let ack = created + Duration::minutes(((r >> 34) % 90) as i64 + 2);
    // Outages take minutes to hours, the rest hours to days; about one in
    // eight runs late.
    let took = if category == Category::Outage {
        Duration::minutes(((r >> 40) % 150) as i64 + 20)
    } else {
        Duration::minutes(((r >> 40) % (4 * 24 * 60)) as i64 + 60)
    };
    let age = now - created;
    let fate = (r >> 50) % 100;
    wo.status = if fate < 2 {
        Status::Cancelled
    } else if age < took + Duration::minutes(2) || fate < 5 {
        if age > Duration::minutes(95) {
            Status::OnSite
        } else {
            Status::Assigned
        }
    } else if fate < 60 {
        Status::Closed
    } else {
        Status::Resolved
    };
    let mut feedback = None;
    match wo.status {
        Status::Cancelled => wo.updated_at = created + Duration::minutes(30),
        Status::Closed | Status::Resolved => {
            wo.acknowledged_at = Some(ack.min(created + took));
            wo.resolved_at = Some(created + took);
            wo.updated_at = created + took;
            if (r >> 57).is_multiple_of(3) {
                let given = (created + took + Duration::hours(20)).min(now);
                feedback = Feedback::new(((r >> 59) % 5 + 1) as i64, None, "system:seed", given).ok();
            }
        }
        _ => {
            if age > Duration::minutes(95) {
                wo.acknowledged_at = Some(ack);
            }
        }
    }
    Some((wo, feedback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_work_orders_are_consistent() {
        let now = Utc::now();
        let mut open = 0;
        for i in 0..2000 {
            let (wo, fb) = sample_work_order(i, now).unwrap();
            assert!(wo.created_at < now);
            if let Some(r) = wo.resolved_at {
                assert!(r >= wo.created_at && !wo.status.is_open());
            }
            assert!(fb.is_none() || wo.resolved_at.is_some());
            open += usize::from(wo.status.is_open());
        }
        assert!(open > 0 && open < 400, "{open}");
    }
}
