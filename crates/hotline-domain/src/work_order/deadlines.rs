//! A work order's deadlines from its SLA policy: counted from when it was
//! opened, in the policy's calendar, with time on hold left out; a
//! staff-conduct complaint is due by the date promised to the customer.

use chrono::{DateTime, Days, Utc};

use super::WorkOrder;
use crate::calendar::{Calendar, due_with_pauses};
use crate::sla::SlaPolicy;
use crate::time::local_midnight;

/// `(response_due, resolution_due)`; a deadline is None while the work
/// order is on hold (suspended) or when the policy sets none.
pub fn due_dates(
    policy: Option<&SlaPolicy>,
    calendar: &Calendar,
    wo: &WorkOrder,
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let promised = wo
        .promised_answer_date
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .and_then(local_midnight);
    let Some(policy) = policy else {
        return (None, promised);
    };
    let due = |target| due_with_pauses(target, calendar, wo.created_at, &wo.pauses, now);
    let response = policy.response.and_then(due);
    // The promise made to the customer is the deadline that counts.
    let resolution = promised.or_else(|| due(policy.resolution));
    (response, resolution)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Target;
    use crate::call::Category;
    use crate::work_order::{NewWorkOrder, WorkOrderCode};
    use chrono::{NaiveDate, TimeZone};
    use uuid::Uuid;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        // Local time in Vietnam is UTC+7.
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap() - chrono::Duration::hours(7)
    }

    fn policy(resolution: Target, response: Option<Target>) -> SlaPolicy {
        SlaPolicy {
            id: Uuid::nil(),
            name: "test".into(),
            category: Category::Outage,
            unit_code: None,
            area_kind: None,
            effective_from: NaiveDate::from_ymd_opt(2016, 1, 1).unwrap(),
            response,
            resolution,
            calendar_code: "default".into(),
            created_at: at(1, 0, 0),
            updated_at: at(1, 0, 0),
            version: 1,
        }
    }

    fn wo(category: Category, opened: DateTime<Utc>) -> WorkOrder {
        let input = NewWorkOrder {
            category: Some(category),
            promised_answer_date: (category == Category::StaffConduct)
                .then(|| NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            ..Default::default()
        };
        WorkOrder::create(input, WorkOrderCode::new("CM", 2026, 1).unwrap(), "u", opened).unwrap()
    }

    #[test]
    fn an_outage_is_due_two_hours_later_around_the_clock() {
        let cal = Calendar::default_vietnam();
        let p = policy(Target::ClockHours(2), Some(Target::ClockHours(1)));
        let w = wo(Category::Outage, at(20, 22, 30));
        assert_eq!(
            due_dates(Some(&p), &cal, &w, at(20, 22, 31)),
            (Some(at(20, 23, 30)), Some(at(21, 0, 30)))
        );
    }

    #[test]
    fn time_on_hold_does_not_count_and_an_open_hold_suspends() {
        let cal = Calendar::default_vietnam();
        let p = policy(Target::ClockHours(2), None);
        let mut w = wo(Category::Outage, at(20, 8, 0));
        w.pauses = vec![(at(20, 8, 30), Some(at(20, 9, 30)))];
        assert_eq!(due_dates(Some(&p), &cal, &w, at(20, 10, 0)).1, Some(at(20, 11, 0)));
        w.pauses.push((at(20, 10, 0), None));
        assert_eq!(due_dates(Some(&p), &cal, &w, at(20, 10, 5)).1, None);
    }

    #[test]
    fn working_days_and_the_promised_date() {
        let cal = Calendar::default_vietnam();
        let p = policy(Target::WorkingDays(3), None);
        // Friday 20 November 2026 → Wednesday 25th, end of the working day.
        let w = wo(Category::NewSupply, at(20, 10, 0));
        assert_eq!(due_dates(Some(&p), &cal, &w, at(20, 10, 0)).1, Some(at(25, 17, 0)));
        let complaint = wo(Category::StaffConduct, at(20, 10, 0));
        let end_of_promised_day = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap();
        assert_eq!(
            due_dates(Some(&p), &cal, &complaint, at(20, 10, 0)).1,
            Some(end_of_promised_day)
        );
        assert_eq!(due_dates(None, &cal, &w, at(20, 10, 0)), (None, None));
    }
}
