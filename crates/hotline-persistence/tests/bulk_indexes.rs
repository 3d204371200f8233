//! A bulk load into a table with fewer rows than it loads sets the
//! table's secondary indexes aside and builds the same ones again after
//! it; the key stays, and a table already larger keeps everything. Runs
//! on PostgreSQL when `HOTLINE_TEST_DATABASE_URL` names one.

mod common;

use chrono::Utc;
use hotline_domain::call::{Call, Direction, NewCall};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use common::{agent, temp_db};

/// The names of `calls`' indexes, sorted, and whether its key is there.
async fn call_indexes(conn: &sea_orm::DatabaseConnection) -> (Vec<String>, bool) {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'calls'"
        }
        _ => "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls'",
    };
    let rows = conn
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("listed");
    let mut names: Vec<String> = rows.iter().map(|r| r.try_get("", "name").expect("a name")).collect();
    names.sort();
    let key = names
        .iter()
        .any(|n| n == "calls_pkey" || n.starts_with("sqlite_autoindex_calls"));
    (names, key)
}

#[tokio::test]
async fn indexes_set_aside_come_back_the_same_and_the_key_stays() {
    let t = temp_db(|_| {}).await;
    let conn = sea_orm::Database::connect(t.url.as_str()).await.expect("connect");
    let (before, key) = call_indexes(&conn).await;
    assert!(key && before.len() >= 10, "{before:?}");

    // Nothing to load: nothing set aside.
    assert!(t.db.set_indexes_aside("calls", 0).await.expect("asked").is_empty());

    let aside = t.db.set_indexes_aside("calls", 1000).await.expect("set aside");
    assert_eq!(aside.len(), before.len() - 1, "all but the key: {aside:?}");
    let (during, key) = call_indexes(&conn).await;
    assert!(key, "the key stays: {during:?}");
    assert_eq!(during.len(), 1, "{during:?}");

    t.db.restore_indexes(&aside).await.expect("built again");
    assert_eq!(call_indexes(&conn).await.0, before);
    // The partial one comes back partial.
    assert!(
        aside
            .iter()
            .any(|d| d.contains("calls_contact_idx") && d.contains("IS NOT NULL")),
        "{aside:?}"
    );
}

#[tokio::test]
async fn a_table_larger_than_the_load_keeps_its_indexes() {
    let t = temp_db(|_| {}).await;
    let calls: Vec<Call> = (0..3)
        .map(|_| {
            let input = NewCall {
                direction: Some(Direction::Inbound),
                caller_number: Some("0912345678".into()),
                started_at: Some(Utc::now()),
                ..Default::default()
            };
            Call::create(input, &agent(), Utc::now()).expect("a valid call")
        })
        .collect();
    t.db.bulk_insert_calls(&calls).await.expect("loaded");
    assert!(t.db.set_indexes_aside("calls", 2).await.expect("asked").is_empty());
    let conn = sea_orm::Database::connect(t.url.as_str()).await.expect("connect");
    assert!(call_indexes(&conn).await.0.len() >= 10);
}
