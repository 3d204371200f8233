use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    // 2026-12-04, local time (UTC+7).
    Utc.with_ymd_and_hms(2026, 12, 4, h, m, 0).unwrap() - Duration::hours(7)
}

fn abandoned(now: DateTime<Utc>) -> Callback {
    let number = PhoneNumber::parse("0912 345 678").unwrap().unwrap();
    let mut cb = Callback::opened(number, Reason::Abandoned, now + Duration::minutes(30), "system", 3, now);
    cb.calls.push(SourceCall {
        id: Uuid::now_v7(),
        at: now,
        closing: false,
    });
    cb
}

fn attempt(outcome: AttemptOutcome, when: DateTime<Utc>) -> AttemptInput {
    AttemptInput {
        outcome,
        by: "user:lan".into(),
        at: when,
        call_id: None,
        note: Some("Khách không nghe máy".into()),
    }
}

#[test]
fn a_typed_callback_needs_a_callable_number_and_is_the_creators_without_an_owner() {
    let now = at(9, 0);
    let input = NewCallback {
        number: Some("0912345678".into()),
        note: Some("Gọi lại lúc 15:00 về hoá đơn".into()),
        ..NewCallback::default()
    };
    let cb = Callback::create(input, "user:lan", "lan", 3, now).unwrap();
    assert_eq!(cb.number.as_str(), "+84912345678");
    assert_eq!(cb.reason, Reason::Requested);
    assert_eq!(cb.agent.as_deref(), Some("lan"));
    assert_eq!(cb.due_at, now);
    assert_eq!(cb.day, chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());

    let withheld = NewCallback {
        number: Some("anonymous".into()),
        ..NewCallback::default()
    };
    let Err(DomainError::Validation(errors)) = Callback::create(withheld, "user:lan", "lan", 3, now) else {
        panic!("a withheld number was accepted");
    };
    assert_eq!(errors[0].field, "number");
    let automatic = NewCallback {
        number: Some("0912345678".into()),
        reason: Some(Reason::Abandoned),
        ..NewCallback::default()
    };
    assert!(Callback::create(automatic, "user:lan", "lan", 3, now).is_err());
}

#[test]
fn calls_merge_once_and_only_while_open() {
    let now = at(9, 0);
    let cb = abandoned(now);
    let second = Uuid::now_v7();
    let merged = cb.merged(second, at(9, 5), at(9, 5)).unwrap();
    assert_eq!(merged.calls.len(), 2);
    assert_eq!(merged.version, 2);
    assert_eq!(merged.first_call_at(), Some(now));
    assert!(
        merged.merged(second, at(9, 5), at(9, 6)).is_none(),
        "the same call merged twice"
    );
    let done = merged.got_through(Uuid::now_v7(), at(10, 0), at(10, 0)).unwrap();
    assert_eq!(done.status, CallbackStatus::Done);
    assert_eq!(done.closed_at, Some(at(10, 0)));
    assert!(done.merged(Uuid::now_v7(), at(11, 0), at(11, 0)).is_none());
}

#[test]
fn reached_is_done_and_the_last_failed_attempt_gives_up() {
    let cb = abandoned(at(9, 0));
    let reached = cb
        .attempted(attempt(AttemptOutcome::Reached, at(9, 10)), at(9, 10))
        .unwrap();
    assert_eq!(reached.status, CallbackStatus::Done);

    let one = cb
        .attempted(attempt(AttemptOutcome::NoAnswer, at(9, 10)), at(9, 10))
        .unwrap();
    let two = one
        .attempted(attempt(AttemptOutcome::Busy, at(9, 20)), at(9, 20))
        .unwrap();
    assert_eq!(two.status, CallbackStatus::Open);
    assert_eq!(two.failed_attempts(), 2);
    let three = two
        .attempted(attempt(AttemptOutcome::NoAnswer, at(9, 30)), at(9, 30))
        .unwrap();
    assert_eq!(three.status, CallbackStatus::GivenUp);
    assert_eq!(three.closed_at, Some(at(9, 30)));
    assert!(matches!(
        three.attempted(attempt(AttemptOutcome::Reached, at(9, 40)), at(9, 40)),
        Err(DomainError::Conflict(_))
    ));

    let wrong = cb
        .attempted(attempt(AttemptOutcome::WrongNumber, at(9, 10)), at(9, 10))
        .unwrap();
    assert_eq!(wrong.status, CallbackStatus::GivenUp);
}

#[test]
fn owners_and_due_times_change_until_it_is_cancelled() {
    let cb = abandoned(at(9, 0));
    let patch = CallbackPatch {
        agent: Some(Some("minh".into())),
        due_at: Some(at(15, 0)),
        ..CallbackPatch::default()
    };
    let mine = cb.patched(patch, at(9, 1)).unwrap();
    assert_eq!((mine.agent.as_deref(), mine.due_at), (Some("minh"), at(15, 0)));
    assert!(mine.is_overdue(at(15, 1)) && !mine.is_overdue(at(14, 59)));
    let ownerless = CallbackPatch {
        agent: Some(None),
        ..CallbackPatch::default()
    };
    assert!(mine.patched(ownerless, at(9, 2)).is_err());
    let cancel = CallbackPatch {
        cancel: true,
        ..CallbackPatch::default()
    };
    let cancelled = mine.patched(cancel.clone(), at(9, 3)).unwrap();
    assert_eq!(cancelled.status, CallbackStatus::Cancelled);
    assert!(!cancelled.is_overdue(at(16, 0)));
    assert!(matches!(
        cancelled.patched(cancel, at(9, 4)),
        Err(DomainError::Conflict(_))
    ));
}

#[test]
fn the_local_day_turns_at_midnight_in_vietnam() {
    assert_eq!(
        local_day(at(23, 59)),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    );
    assert_eq!(
        local_day(at(23, 59) + Duration::minutes(1)),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    );
}
