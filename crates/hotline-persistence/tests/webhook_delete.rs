//! A subscription deleted while the worker fans events out to it or
//! records an attempt on one of its deliveries: both finish, and nothing
//! of the subscription is left. On PostgreSQL the attempt and the delete
//! once took their row locks in opposite orders (delivery then
//! subscription, subscription then deliveries) and one of them died in a
//! deadlock: the admin's DELETE answered 500. The tests run on PostgreSQL
//! when `HOTLINE_TEST_DATABASE_URL` names one.

use std::sync::Arc;

use chrono::Utc;
use hotline_domain::audit::AuditEntry;
use hotline_domain::ports::{CallStore, StoreResult};
use hotline_domain::webhook::{
    ALL_EVENTS, Attempt, AttemptOutcome, Subscription, SubscriptionInput, WebhookSecret, WebhookStore,
};
use hotline_persistence::Db;
use uuid::Uuid;

mod common;

use common::agent;

/// Rounds of the race; the old lock order deadlocked within a few.
const ROUNDS: usize = 25;

async fn subscribe(db: &Db) -> Subscription {
    let input = SubscriptionInput {
        url: "https://receiver.example/hook".into(),
        events: vec![ALL_EVENTS.into()],
        unit_code: None,
        include_restricted: false,
        description: None,
    };
    let now = Utc::now();
    let s = Subscription::create(input, false, now).expect("a valid subscription");
    let secret = WebhookSecret::from_key(&[7; 32]).expect("a secret");
    let entry = AuditEntry::new("webhook", s.id, "create", &agent(), now, serde_json::json!({}));
    WebhookStore::create(db, &s, &secret, &entry).await.expect("subscribe");
    s
}

async fn log_call(db: &Db) {
    let call = common::inbound_call(Utc::now(), "mất điện cả xóm");
    let entry = AuditEntry::derived_creation("call", call.id, &agent(), Utc::now());
    CallStore::create(db, &call, &[], &entry, None).await.expect("call");
}

/// Runs `work` and the deletion of `s` at once; both must succeed.
async fn delete_during<T: std::fmt::Debug + Send + 'static>(
    db: &Arc<Db>,
    s: &Subscription,
    round: usize,
    work: impl Future<Output = StoreResult<T>> + Send + 'static,
) {
    let worked = tokio::spawn(work);
    let deleted = {
        let db = db.clone();
        let entry = AuditEntry::new("webhook", s.id, "delete", &agent(), Utc::now(), serde_json::json!({}));
        let id = s.id;
        tokio::spawn(async move { WebhookStore::delete(&*db, id, &entry).await })
    };
    let worked = worked.await.expect("the worker's task");
    let deleted = deleted.await.expect("the delete's task");
    assert!(worked.is_ok(), "round {round}: the worker failed: {worked:?}");
    assert!(
        matches!(deleted, Ok(true)),
        "round {round}: the delete failed: {deleted:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_deleted_during_a_fan_out_keeps_no_deliveries() {
    let t = common::temp_db(|_| {}).await;
    let db = Arc::new(t.db.clone());
    for round in 0..ROUNDS {
        let s = subscribe(&db).await;
        log_call(&db).await;
        let worker = db.clone();
        delete_during(&db, &s, round, async move { worker.fan_out(Utc::now(), 100).await }).await;
        assert_eq!(
            common::count(&t.url, "webhook_deliveries", "TRUE").await,
            0,
            "round {round}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_deleted_while_an_attempt_is_recorded_goes_whole() {
    let t = common::temp_db(|_| {}).await;
    let db = Arc::new(t.db.clone());
    for round in 0..ROUNDS {
        let s = subscribe(&db).await;
        log_call(&db).await;
        let fanned = common::settled(&format!("round {round}: the fan-out"), async || {
            let fanned = db.fan_out(Utc::now(), 100).await.expect("fan out");
            (fanned.events > 0).then_some(fanned)
        })
        .await;
        assert_eq!(fanned.deliveries, 1, "round {round}: {fanned:?}");
        let now = Utc::now();
        let mut due = db
            .claim_due(now, now + chrono::Duration::seconds(30), 10)
            .await
            .expect("claim");
        assert_eq!(due.len(), 1, "round {round}");
        let due = due.remove(0);

        let worker = db.clone();
        let attempt = Attempt {
            id: Uuid::now_v7(),
            delivery_id: due.id,
            attempted_at: Utc::now(),
            duration_ms: 12,
            status_code: Some(204),
            error: None,
            response_body: None,
        };
        let sent = async move {
            worker
                .record_attempt(&due, &attempt, AttemptOutcome::Delivered, "unreachable")
                .await
        };
        delete_during(&db, &s, round, sent).await;
        assert!(
            WebhookStore::get(&*db, s.id).await.expect("get").is_none(),
            "round {round}"
        );
        // Whichever finished first, the attempt did not outlive its
        // delivery: the attempts are read with their delivery only.
        assert_eq!(
            common::count(&t.url, "webhook_deliveries", "TRUE").await,
            0,
            "round {round}"
        );
        assert_eq!(
            common::count(&t.url, "webhook_attempts", "TRUE").await,
            0,
            "round {round}"
        );
    }
}
