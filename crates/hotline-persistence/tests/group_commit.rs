//! Calls created at once share commits (on SQLite a transaction, on
//! PostgreSQL a statement); each still gets its own answer, and one that
//! fails leaves the others in its batch stored. The same holds with group
//! commit off, where each call is its own transaction or statement. The
//! tests run on PostgreSQL when `HOTLINE_TEST_DATABASE_URL` names one.

use std::sync::Arc;

use chrono::Utc;
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, CallFilter};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::{CallStore, Created};
use hotline_persistence::Db;

mod common;

use common::{TempDb, agent};

async fn temp_db(group_commit: bool) -> TempDb {
    common::temp_db(|c| c.group_commit = group_commit).await
}

fn new_call(notes: &str) -> (Call, AuditEntry) {
    let now = Utc::now();
    let call = common::inbound_call(now, notes);
    let entry = AuditEntry::new("call", call.id, "create", &agent(), now, call.audit_view());
    (call, entry)
}

fn record(key: &str) -> IdempotencyRecord {
    IdempotencyRecord {
        scope: "user:lan".into(),
        key: key.into(),
        fingerprint: "f".into(),
        status: 201,
        body: "{}".into(),
        location: None,
        created_at: Utc::now(),
    }
}

async fn stored(db: &Db) -> u64 {
    let page = CallStore::list(db, &CallFilter::default(), None, 1, true)
        .await
        .expect("list");
    page.total.expect("total")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_call_does_not_fail_the_calls_committed_with_it() {
    a_failing_call_leaves_the_others(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_group_commit_a_failing_call_leaves_the_others() {
    a_failing_call_leaves_the_others(false).await;
}

async fn a_failing_call_leaves_the_others(group_commit: bool) {
    let t = temp_db(group_commit).await;
    let (taken, taken_audit) = new_call("first");
    let first = t.db.create(&taken, &[], &taken_audit, None).await.expect("first");
    assert!(matches!(first, Created::Stored(())));

    let db = Arc::new(t.db.clone());
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = db.clone();
        let taken = taken.clone();
        tasks.push(tokio::spawn(async move {
            // Every tenth one reuses the stored call's id: a constraint
            // error, not a taken key, even when it carries a key of its own.
            let (call, entry, key) = if i % 10 == 5 {
                let (_, entry) = new_call("again");
                (taken, entry, Some(record(&format!("own-{i}"))))
            } else {
                let (call, entry) = new_call(&format!("call {i}"));
                (call, entry, None)
            };
            (i, db.create(&call, &[], &entry, key.as_ref()).await)
        }));
    }
    for task in tasks {
        match task.await.expect("task") {
            (i, Err(StoreError::Duplicate(_))) if i % 10 == 5 => {}
            (i, Ok(Created::Stored(()))) if i % 10 != 5 => {}
            (i, other) => panic!("call {i}: {other:?}"),
        }
    }
    assert_eq!(stored(&t.db).await, 1 + 36);
    // The failed ones left nothing behind: not even their keys' claims.
    let (call, entry) = new_call("retried");
    let retried =
        t.db.create(&call, &[], &entry, Some(&record("own-5")))
            .await
            .expect("retry");
    assert!(matches!(retried, Created::Stored(())), "{retried:?}");
    assert_eq!(stored(&t.db).await, 1 + 36 + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_key_raced_in_a_batch_stores_one_call_and_replays_it() {
    one_key_raced_stores_one_call(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_group_commit_one_raced_key_stores_one_call() {
    one_key_raced_stores_one_call(false).await;
}

async fn one_key_raced_stores_one_call(group_commit: bool) {
    let t = temp_db(group_commit).await;
    let db = Arc::new(t.db.clone());
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let (call, entry) = new_call(&format!("call {i}"));
            let key = if i % 2 == 0 {
                "storm".to_string()
            } else {
                format!("own-{i}")
            };
            let mut rec = record(&key);
            rec.body = format!("answer {i}");
            (i, db.create(&call, &[], &entry, Some(&rec)).await.expect("create"))
        }));
    }
    let mut winners = Vec::new();
    let mut replays = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            (i, Created::Stored(())) => winners.push(i),
            (i, Created::KeyTaken(first)) => {
                assert_eq!(i % 2, 0, "only the shared key is taken");
                replays.push(first.body);
            }
        }
    }
    let storm_winners: Vec<_> = winners.iter().filter(|i| *i % 2 == 0).collect();
    assert_eq!(storm_winners.len(), 1, "{winners:?}");
    let answer = format!("answer {}", storm_winners[0]);
    assert_eq!(replays.len(), 11);
    assert!(replays.iter().all(|b| *b == answer), "every replay is the first answer");
    assert_eq!(stored(&t.db).await, 13);
}
