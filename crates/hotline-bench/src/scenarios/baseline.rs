//! `baseline`: what the database alone takes, to measure `ingest` against.
//!
//! Each transaction writes what one `POST /api/v1/calls` writes — the call
//! row, its audit line, its `call.created` event and, for half of them (as
//! in `ingest`), the idempotency key with the stored answer — inserted with
//! sqlx: no HTTP, no ORM, one call per transaction, as many workers as
//! `ingest` has connections, through a pool as large as the server's. It
//! runs on the database the server migrated, with the server's durability
//! settings (SQLite: WAL and synchronous=FULL).

use std::str::FromStr;
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, Category, Direction, NewCall};
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hyper::StatusCode;
use serde_json::json;
use sqlx::types::Json;
use sqlx::{PgPool, SqlitePool};
use uuid::Uuid;

use super::rand;
use crate::client::Answer;
use crate::load::{Stats, drive};
use crate::options::Options;

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

async fn connect(url: &str, size: u32) -> Result<Pool, String> {
    if url.starts_with("sqlite:") {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| e.to_string())?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(size)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Pool::Sqlite(pool))
    } else {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(size)
            .test_before_acquire(false)
            .connect(url)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Pool::Postgres(pool))
    }
}

/// The rows of one logged call.
struct Rows {
    call: Call,
    audit: AuditEntry,
    event: OutboxEvent,
    key: Option<String>,
}

fn rows(worker: usize, n: u64, actor: &Principal) -> Rows {
    let r = rand(worker, n);
    let now = Utc::now();
    let started = now - chrono::Duration::seconds((r % 3600) as i64 + 400);
    let input = NewCall {
        direction: Some(Direction::Inbound),
        caller_number: Some(hotline::seed::sample_phone(r % 10_000_000)),
        callee_number: Some("1900 1006".into()),
        started_at: Some(started),
        answered_at: Some(started + chrono::Duration::seconds((r % 60) as i64 + 5)),
        ended_at: Some(started + chrono::Duration::seconds((r % 300) as i64 + 70)),
        agent: Some(format!("agent{:02}", r % 40)),
        queue: Some("outage".into()),
        category: Some([Category::Outage, Category::Billing, Category::Metering][(r % 3) as usize]),
        caller_name: Some("Nguyễn Văn Á".into()),
        address: Some("Ấp 3, xã Tân Thành, Cà Mau".into()),
        notes: Some("Mất điện từ 7 giờ sáng".into()),
        ..Default::default()
    };
    let call = Call::create(input, actor, now).expect("a valid sample call");
    let audit = AuditEntry::new("call", call.id, "create", actor, now, call.audit_view());
    let event = OutboxEvent::call(event::CALL_CREATED, &call, now);
    let key = r.is_multiple_of(2).then(|| format!("baseline-{worker}-{n}"));
    Rows {
        call,
        audit,
        event,
        key,
    }
}

const INSERT_CALL: &str = "INSERT INTO calls (id, direction, caller_number, caller_number_raw, callee_number, \
    callee_number_raw, started_at, answered_at, ended_at, agent, queue, outcome, category, customer_code, \
    caller_name, address, notes, external_id, source, search_text, contact_id, created_by, created_at, updated_at, \
    version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
    $21, $22, $23, $24, $25)";
const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (id, entity, entity_id, action, actor, at, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_EVENT: &str = "INSERT INTO events (id, event_type, unit_code, team_code, agent, subject_id, payload, \
    created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_KEY: &str = "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, location, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The same statements on either backend (sqlx's query types differ).
macro_rules! write_call {
    ($pool:expr, $rows:expr) => {{
        let rows = $rows;
        let c = &rows.call;
        let mut txn = $pool.begin().await.map_err(|e| e.to_string())?;
        if let Some(key) = &rows.key {
            sqlx::query(INSERT_KEY)
                .bind("api_key:bench")
                .bind(key)
                .bind("0".repeat(64))
                .bind(201_i32)
                .bind(c.audit_view().to_string())
                .bind(format!("/api/v1/calls/{}", c.id))
                .bind(c.created_at)
                .execute(&mut *txn)
                .await
                .map_err(|e| e.to_string())?;
        }
        sqlx::query(INSERT_CALL)
            .bind(c.id)
            .bind(c.direction.as_str())
            .bind(c.caller_number.as_ref().map(|p| p.as_str().to_string()))
            .bind(&c.caller_number_raw)
            .bind(c.callee_number.as_ref().map(|p| p.as_str().to_string()))
            .bind(&c.callee_number_raw)
            .bind(c.started_at)
            .bind(c.answered_at)
            .bind(c.ended_at)
            .bind(&c.agent)
            .bind(&c.queue)
            .bind(c.outcome.map(|o| o.as_str()))
            .bind(c.category.map(|o| o.as_str()))
            .bind(&c.customer_code)
            .bind(&c.caller_name)
            .bind(&c.address)
            .bind(&c.notes)
            .bind(&c.external_id)
            .bind(&c.source)
            .bind(c.search_text())
            .bind(c.contact_id)
            .bind(&c.created_by)
            .bind(c.created_at)
            .bind(c.updated_at)
            .bind(c.version)
            .execute(&mut *txn)
            .await
            .map_err(|e| e.to_string())?;
        let a = &rows.audit;
        sqlx::query(INSERT_AUDIT)
            .bind(a.id)
            .bind(&a.entity)
            .bind(a.entity_id)
            .bind(&a.action)
            .bind(&a.actor)
            .bind(a.at)
            .bind(Json(&a.changes))
            .execute(&mut *txn)
            .await
            .map_err(|e| e.to_string())?;
        let e = &rows.event;
        sqlx::query(INSERT_EVENT)
            .bind(e.id)
            .bind(&e.event_type)
            .bind(&e.unit_code)
            .bind(&e.team_code)
            .bind(&e.agent)
            .bind(e.subject_id)
            .bind(json!({ "data": e.payload, "restricted": e.restricted }).to_string())
            .bind(e.created_at)
            .execute(&mut *txn)
            .await
            .map_err(|e| e.to_string())?;
        txn.commit().await.map_err(|e| e.to_string())
    }};
}

async fn write(pool: &Pool, rows: Rows) -> Result<(), String> {
    match pool {
        Pool::Sqlite(p) => write_call!(p, rows),
        Pool::Postgres(p) => write_call!(p, rows),
    }
}

static FIRST_ERROR_SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Drives the baseline on `database` and returns its figures.
pub async fn run(opts: &Options, database: &str, pool_size: u32) -> Result<Stats, String> {
    let pool = connect(database, pool_size).await?;
    let actor = Principal {
        id: Uuid::now_v7(),
        name: "bench".into(),
        role: Role::Integration,
        kind: PrincipalKind::ApiKey,
        unit_code: None,
        team_code: None,
    };
    let driven = pool.clone();
    let mut stats = drive(opts.connections, opts.duration, Duration::ZERO, move |w, n| {
        let pool = driven.clone();
        let rows = rows(w, n, &actor);
        async move {
            let started = std::time::Instant::now();
            let done = write(&pool, rows).await;
            if let Err(e) = &done
                && !FIRST_ERROR_SHOWN.swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                eprintln!("baseline: {e}");
            }
            // Counted like an HTTP answer: 201 when committed.
            vec![done.map(|()| Answer {
                status: StatusCode::CREATED,
                body: Bytes::new(),
                took: started.elapsed(),
            })]
        }
    })
    .await;
    // Nothing of the baseline stays open while `ingest` runs after it.
    match pool {
        Pool::Sqlite(p) => p.close().await,
        Pool::Postgres(p) => p.close().await,
    }
    stats.print(&format!(
        "baseline: one call's rows per transaction, straight into the database ({} workers, pool of {pool_size})",
        opts.connections
    ));
    Ok(stats)
}
