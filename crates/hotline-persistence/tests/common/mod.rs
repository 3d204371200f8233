//! What the store tests share: a database of their own for each test, on
//! SQLite or, when `HOTLINE_TEST_DATABASE_URL` names a server, on
//! PostgreSQL.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use hotline_domain::call::{Call, Direction, NewCall};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_persistence::{Db, DbConfig};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// A database for one test: a SQLite file, or a PostgreSQL database of
/// its own when `HOTLINE_TEST_DATABASE_URL` names a server.
pub struct TempDb {
    pub db: Db,
    /// What `db` was opened with.
    pub url: String,
    file: Option<std::path::PathBuf>,
    postgres: Option<(String, String)>,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            if let Some(file) = &self.file {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if let Some((admin, name)) = self.postgres.take() {
            // Drop runs outside async: a runtime on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async { admin_sql(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await })
            })
            .join();
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) -> Option<()> {
    let admin = sea_orm::Database::connect(admin_url).await.ok()?;
    admin.execute_unprepared(sql).await.ok()?;
    admin.close().await.ok()
}

/// A fresh, migrated database, its settings adjusted by `configure`.
pub async fn temp_db(configure: impl FnOnce(&mut DbConfig)) -> TempDb {
    let (url, file, postgres) = match std::env::var("HOTLINE_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("hotline_store_{}", Uuid::now_v7().simple());
            admin_sql(&admin, &format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            let (base, query) = admin.split_once('?').map_or((admin.as_str(), ""), |(b, q)| (b, q));
            let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
            let url = if query.is_empty() {
                format!("{server}/{name}")
            } else {
                format!("{server}/{name}?{query}")
            };
            (url, None, Some((admin.clone(), name)))
        }
        _ => {
            let file = std::env::temp_dir().join(format!("hotline-store-{}.db", Uuid::now_v7()));
            (format!("sqlite:{}", file.display()), Some(file), None)
        }
    };
    let mut config = DbConfig::new(url.clone());
    configure(&mut config);
    let db = Db::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    TempDb {
        db,
        url,
        file,
        postgres,
    }
}

/// How many rows of `table` `condition` holds for, read on a connection of
/// its own.
pub async fn count(url: &str, table: &str, condition: &str) -> i64 {
    let conn = sea_orm::Database::connect(url).await.expect("connected");
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}"),
        ))
        .await
        .expect("counted")
        .expect("a row");
    row.try_get("", "n").expect("a count")
}

/// How long [`settled`] asks: the event log's 5 s hold-up and some room.
const SETTLING: std::time::Duration = std::time::Duration::from_secs(15);

/// Asks `probe` until it answers, for up to [`SETTLING`]. On PostgreSQL
/// the event log is read only below the oldest transaction running in the
/// database, and one of autovacuum's (an ANALYZE writes statistics) holds
/// readers up for up to 5 s: what reads the log sees new events
/// eventually, not at once.
pub async fn settled<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + SETTLING;
    loop {
        if let Some(answer) = probe().await {
            return answer;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: nothing within {SETTLING:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

pub fn agent() -> Principal {
    Principal {
        id: Uuid::now_v7(),
        name: "lan".into(),
        role: Role::Agent,
        kind: PrincipalKind::User,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

/// An inbound call from one number, started at `at`, with `notes`.
pub fn inbound_call(at: DateTime<Utc>, notes: &str) -> Call {
    let input = NewCall {
        direction: Some(Direction::Inbound),
        caller_number: Some("0912345678".into()),
        started_at: Some(at),
        notes: Some(notes.into()),
        ..Default::default()
    };
    Call::create(input, &agent(), at).expect("a valid call")
}
