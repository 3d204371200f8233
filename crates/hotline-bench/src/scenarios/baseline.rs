//! `baseline`: what the store alone takes, to measure `ingest` against.
//!
//! Each write is what one `POST /api/v1/calls` writes — the call row, its
//! audit line, its `call.created` event and, for half of them (as in
//! `ingest`), the idempotency key with the stored answer — written by the
//! server's own store (`CallStore::create`, the same statements as the
//! server's), with no HTTP and no request handling: one call per
//! transaction (SQLite without group commit; on PostgreSQL the store's
//! single statement), as many workers as `ingest` has connections, through
//! a pool as large as the server's. It runs on the database the server
//! migrated, with the server's durability settings (SQLite: WAL and
//! synchronous=FULL).

use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, Category, Direction, NewCall};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::{CallStore, Created};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_persistence::{Db, DbConfig};
use hyper::StatusCode;
use uuid::Uuid;

use super::rand;
use crate::client::Answer;
use crate::load::{Stats, drive};
use crate::options::Options;

/// The server's store on `url`, one commit per call: group commit (SQLite)
/// would share commits between workers, which is what `ingest` is
/// measured for, not the baseline.
async fn connect(url: &str, size: u32) -> Result<Db, String> {
    let mut config = DbConfig::new(url);
    config.max_connections = size;
    config.acquire_timeout = Duration::from_secs(30);
    config.group_commit = false;
    Db::connect(&config).await.map_err(|e| e.to_string())
}

/// The rows of one logged call.
struct Rows {
    call: Call,
    audit: AuditEntry,
    key: Option<IdempotencyRecord>,
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
    let audit = AuditEntry::derived_creation("call", call.id, actor, now);
    let key = r.is_multiple_of(2).then(|| IdempotencyRecord {
        scope: "api_key:bench".into(),
        key: format!("baseline-{worker}-{n}"),
        fingerprint: "0".repeat(64),
        status: 201,
        body: call.audit_view().to_string(),
        location: Some(format!("/api/v1/calls/{}", call.id)),
        created_at: call.created_at,
    });
    Rows { call, audit, key }
}

async fn write(db: &Db, rows: Rows) -> Result<(), String> {
    match db.create(&rows.call, &[], &rows.audit, rows.key.as_ref()).await {
        Ok(Created::Stored(())) => Ok(()),
        Ok(Created::KeyTaken(_)) => Err("idempotency key already taken".into()),
        Err(e) => Err(e.to_string()),
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
        language: None,
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
    if let Err(e) = pool.close().await {
        eprintln!("baseline: closing the pool: {e}");
    }
    stats.print(&format!(
        "baseline: one call's rows per transaction, through the store without HTTP ({} workers, pool of {pool_size})",
        opts.connections
    ));
    Ok(stats)
}
