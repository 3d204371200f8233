//! Sample callbacks: abandoned and missed calls to return, restored
//! outages and requested calls, mostly open (some overdue), some done or
//! given up, owned by the hotline's queue or one of a few agents.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::{
    Attempt, AttemptOutcome, Callback, CallbackStatus, DEFAULT_MAX_ATTEMPTS, Reason, SourceCall,
};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::CallbackStore;
use hotline_domain::role::Role;
use hotline_persistence::Db;
use uuid::Uuid;

use super::people::{mix, sample_customer, sample_phone};

/// Sample callbacks at most: they are stored one by one.
const MOST: u64 = 2_000;
const AGENTS: [&str; 3] = ["lan", "minh", "thu"];
const QUEUE: &str = "cskh";
const NOTES: [&str; 4] = [
    "Khách gọi nhỡ, gọi lại trong 30 phút",
    "Khách hẹn gọi lại lúc 15:00 về hoá đơn",
    "Đã có điện trở lại, xác nhận với khách",
    "Khảo sát mức độ hài lòng",
];

/// Callback `i`: for one of the first `customers` sample customers (or a
/// stranger's number when there are none), opened within the last week.
pub fn sample_callback(i: u64, customers: u64, now: DateTime<Utc>) -> Callback {
    let r = mix(i + 17);
    let reason = [
        Reason::Abandoned,
        Reason::Missed,
        Reason::IncidentRestored,
        Reason::Requested,
        Reason::Survey,
    ][(r % 5) as usize];
    let opened = now - Duration::minutes((r >> 4) as i64 % (7 * 24 * 60));
    let (number, customer) = if customers > 0 {
        let c = sample_customer(i % customers, now);
        (c.phones[0].number.clone(), Some(c))
    } else {
        (PhoneNumber::from_stored(sample_phone(1_000_000 + i)), None)
    };
    let mut cb = Callback::opened(
        number,
        reason,
        opened + Duration::minutes(30),
        "user:seed",
        DEFAULT_MAX_ATTEMPTS,
        opened,
    );
    cb.note = Some(NOTES[(r >> 9) as usize % NOTES.len()].into());
    if let Some(c) = customer {
        cb.customer_code = Some(c.code);
        cb.unit_code = c.unit_code;
    }
    if (r >> 12).is_multiple_of(2) {
        cb.queue = Some(QUEUE.into());
    } else {
        cb.agent = Some(AGENTS[(r >> 13) as usize % AGENTS.len()].into());
    }
    if matches!(reason, Reason::Abandoned | Reason::Missed) {
        cb.calls.push(SourceCall {
            id: Uuid::now_v7(),
            at: opened,
            closing: false,
        });
    }
    let tries = (r >> 16) % 4;
    for n in 0..tries {
        let outcome = if n == tries - 1 && (r >> 20).is_multiple_of(2) {
            AttemptOutcome::Reached
        } else {
            AttemptOutcome::NoAnswer
        };
        cb.attempts.push(Attempt {
            at: opened + Duration::minutes(10 * (n as i64 + 1)),
            by: format!("user:{}", AGENTS[n as usize % AGENTS.len()]),
            outcome,
            call_id: None,
            note: None,
        });
    }
    cb.status = match cb.attempts.last().map(|a| a.outcome) {
        Some(AttemptOutcome::Reached) => CallbackStatus::Done,
        _ if cb.failed_attempts() >= cb.max_attempts => CallbackStatus::GivenUp,
        _ => CallbackStatus::Open,
    };
    if !cb.is_open() {
        cb.closed_at = cb.attempts.last().map(|a| a.at);
    }
    cb
}

/// About one callback per hundred calls (at most [`MOST`]), audited as the
/// seed.
pub async fn seed(db: &Db, calls: u64, customers: u64, now: DateTime<Utc>) -> Result<(), String> {
    let total = (calls / 100).min(MOST);
    let who = super::seeder("seed", Role::Admin);
    for i in 0..total {
        let cb = sample_callback(i, customers, now);
        let entry = AuditEntry::new("callback", cb.id, "create", &who, cb.created_at, cb.audit_view());
        db.create(&cb, &entry, &[], None)
            .await
            .map_err(|e| format!("inserting callbacks: {e}"))?;
    }
    if total > 0 {
        eprintln!("callbacks: {total}");
    }
    Ok(())
}
