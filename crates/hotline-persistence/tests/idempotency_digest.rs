//! Migration 000045: idempotency records kept before it, under their scope
//! and key, are found after it by the same scope and key, with the same
//! first answer, and not under another scope. (Records claimed after it:
//! the API's idempotency tests.) Runs on PostgreSQL when
//! `HOTLINE_TEST_DATABASE_URL` names one.

mod common;

use chrono::{TimeZone, Utc};
use hotline_domain::ports::IdempotencyStore;
use hotline_persistence::migration::Migrator;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;

use common::temp_db;

const MIGRATION: &str = "m20261212_000045_idempotency_digest";

#[tokio::test]
async fn records_kept_before_the_digest_are_found_after_it() {
    let t = temp_db(|_| {}).await;
    let conn = sea_orm::Database::connect(t.url.as_str()).await.expect("connect");
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == MIGRATION)
        .expect("the digest's migration")
        + 1;
    Migrator::down(&conn, Some(steps as u32)).await.expect("migrated down");

    let backend = conn.get_database_backend();
    let marks = if backend == DbBackend::Postgres {
        "$1, $2, $3, $4, $5, $6, $7"
    } else {
        "?, ?, ?, ?, ?, ?, ?"
    };
    let at = Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap();
    let kept = [
        (
            "api_key:01a24875-696d-77d8-890c-5a4591b8c042",
            "cuoc-goi-1".to_string(),
            201,
            "",
            Some("/api/v1/calls/01a24875-69db-709a-9b55-afc945b83ca1"),
        ),
        ("user:lan", "x".repeat(255), 200, "{\"erased\":true}", None),
    ];
    for (scope, key, status, body, location) in &kept {
        let sql = format!(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, location, created_at) VALUES ({marks})"
        );
        let values = [
            (*scope).into(),
            key.clone().into(),
            "f".repeat(64).into(),
            (*status).into(),
            (*body).into(),
            location.map(str::to_string).into(),
            at.into(),
        ];
        conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .expect("kept before");
    }

    Migrator::up(&conn, None).await.expect("migrated up");
    for (scope, key, status, body, location) in &kept {
        let found = IdempotencyStore::find(&t.db, scope, key)
            .await
            .expect("read")
            .expect("found by its scope and key");
        assert_eq!(found.status, *status as u16);
        assert_eq!(found.body, *body);
        assert_eq!(found.location.as_deref(), *location);
        assert_eq!(found.created_at, at);
        assert_eq!(found.fingerprint, "f".repeat(64));
    }
    // The same key under another scope is another record, not found.
    assert!(
        IdempotencyStore::find(&t.db, "user:lan2", &kept[0].1)
            .await
            .expect("read")
            .is_none()
    );
}
