//! Sample calls: a year of daily and hourly rhythm, with storm days.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use hotline_domain::call::{Call, Category, Direction, NewCall, Outcome};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::role::Role;
use uuid::Uuid;

use super::people::{mix, sample_customer, sample_phone};

/// Relative call volume by local hour (00–23).
const HOURLY: [u64; 24] = [
    2, 1, 1, 1, 1, 2, 5, 9, 12, 12, 11, 9, 7, 8, 10, 11, 10, 9, 8, 7, 6, 5, 4, 3,
];
const CATEGORIES: [(Category, u64); 9] = [
    (Category::Outage, 45),
    (Category::Billing, 15),
    (Category::Information, 12),
    (Category::Metering, 8),
    (Category::NewSupply, 8),
    (Category::VoltageQuality, 6),
    (Category::SafetyHazard, 3),
    (Category::Other, 2),
    (Category::StaffConduct, 1),
];
const NOTES: [&str; 6] = [
    "Mất điện cả xóm từ sáng",
    "Hỏi tiền điện tháng này",
    "Điện chập chờn, đèn nhấp nháy",
    "Đăng ký lắp điện mới",
    "Công tơ quay nhanh bất thường",
    "Dây điện võng thấp trước nhà",
];

fn weighted<T: Copy>(items: &[(T, u64)], r: u64) -> T {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut x = r % total;
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[0].0
}

/// Day 0..365 before `now`; about one day in forty is a storm day with ten
/// times the calls.
fn day(r: u64) -> u64 {
    let storm = r.is_multiple_of(4);
    if storm {
        // Storms cluster on a few days: 9 of them over the year.
        (mix(r) % 9) * 40 + 3
    } else {
        (r >> 3) % 365
    }
}

/// What every sample call shares, logged the way the API logs a call: an
/// inbound call to 1900 1006, source `sample`. Each sample sets what varies;
/// a field added to calls later takes its default from here.
fn template() -> &'static Call {
    static TEMPLATE: OnceLock<Call> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let at = DateTime::UNIX_EPOCH;
        let input = NewCall {
            direction: Some(Direction::Inbound),
            callee_number: Some("1900 1006".into()),
            started_at: Some(at),
            source: Some("sample".into()),
            ..NewCall::default()
        };
        let seeder = super::seeder("seed", Role::Admin);
        let mut call = Call::create(input, &seeder, at).expect("the sample template is a valid call");
        call.created_by = "system:seed".into();
        call
    })
}

pub fn sample_call(i: u64, customers: u64, now: DateTime<Utc>) -> Call {
    let r = mix(i ^ 0xC0FF_EE00);
    let hours: Vec<(u64, u64)> = HOURLY.iter().enumerate().map(|(h, w)| (h as u64, *w)).collect();
    let local_hour = weighted(&hours, r >> 5);
    // Local midnight is 17:00 UTC the day before.
    let start = now - Duration::days(day(r) as i64 + 1)
        + Duration::hours(local_hour as i64 - 7)
        + Duration::seconds(((r >> 20) % 3600) as i64);
    let category = weighted(&CATEGORIES, r >> 12);
    let withheld = r.is_multiple_of(50);
    // Most callers are sample customers, whom the agent identifies.
    let customer = (!withheld && customers > 0 && r % 10 < 8).then(|| (r >> 24) % customers);
    let caller = if withheld {
        None
    } else if let Some(c) = customer {
        Some(sample_phone(c))
    } else {
        Some(format!("+8491{:07}", (r >> 28) % 10_000_000))
    };
    let wait = ((r >> 36) % 90) as i64 + 3;
    let talk = ((r >> 42) % 400) as i64 + 20;
    let (outcome, answered_at, ended_at) = match r % 20 {
        0 => (Outcome::Missed, None, start + Duration::seconds(wait + 30)),
        1 => (Outcome::Abandoned, None, start + Duration::seconds(wait)),
        _ => {
            let answered = start + Duration::seconds(wait);
            (Outcome::Answered, Some(answered), answered + Duration::seconds(talk))
        }
    };
    let raw = caller
        .as_deref()
        .map(|c| format!("0{}", &c[3..]))
        .unwrap_or_else(|| "anonymous".into());
    Call {
        id: Uuid::from_u64_pair(
            0x5a3d_ca11_0000_7000 | (i >> 62),
            (i & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000,
        ),
        caller_number: caller.map(PhoneNumber::from_stored),
        caller_number_raw: raw,
        started_at: start,
        answered_at,
        ended_at: Some(ended_at),
        agent: answered_at.map(|_| format!("agent{:02}", (r >> 50) % 40 + 1)),
        queue: Some(category.as_str().to_string()),
        outcome: Some(outcome),
        category: Some(category),
        customer_code: customer.map(|c| sample_customer(c, now).code),
        notes: r
            .is_multiple_of(3)
            .then(|| NOTES[((r >> 54) % NOTES.len() as u64) as usize].to_string()),
        created_at: start,
        updated_at: start,
        ..template().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_calls_are_consistent() {
        let now = Utc::now();
        let mut storm_days = std::collections::HashMap::new();
        for i in 0..5000 {
            let c = sample_call(i, 1000, now);
            assert!(c.started_at < now && c.started_at > now - Duration::days(367));
            assert!(c.ended_at.unwrap() >= c.started_at);
            assert!(c.wait_seconds().unwrap() >= 0);
            *storm_days.entry((now - c.started_at).num_days()).or_insert(0) += 1;
        }
        let busiest = storm_days.values().max().copied().unwrap_or(0);
        assert!(busiest > 5000 / 365 * 5, "storm days stand out: {busiest}");
    }

    #[test]
    fn every_sample_is_an_inbound_call_to_the_hotline_logged_by_the_seed() {
        let c = sample_call(7, 1000, Utc::now());
        assert_eq!(c.direction, Direction::Inbound);
        assert_eq!(c.callee_number.as_ref().map(PhoneNumber::as_str), Some("19001006"));
        assert_eq!(c.callee_number_raw, "1900 1006");
        assert_eq!((c.source.as_str(), c.created_by.as_str()), ("sample", "system:seed"));
        assert_eq!((c.blocked, c.contact_id, c.version), (false, None, 1));
        assert_ne!(sample_call(8, 1000, Utc::now()).id, c.id);
    }
}
