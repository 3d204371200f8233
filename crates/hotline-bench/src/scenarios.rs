//! The scenarios: what load each one drives, and what it prints.

mod baseline;
mod footprint;
mod notes;
mod open;
mod ramp;
mod reports;
mod storm;
mod work_orders;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::Method;
use serde_json::{Value, json};

use crate::client::{Answer, Http};
use crate::load::{Stats, drive};
use crate::options::{Options, Scenario};
use crate::server::{ADMIN_PASSWORD, Server, pool_size};

/// The title of the `ingest` phase.
const INGEST: &str = "ingest: POST /api/v1/calls";

/// A cheap per-worker pseudo-random sequence (xorshift).
fn rand(worker: usize, n: u64) -> u64 {
    let mut x = (worker as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

async fn sign_in(http: &Http) -> Result<String, String> {
    let a = http
        .post_json(
            "/api/v1/auth/token",
            &json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await?;
    a.json()?["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no token".to_string())
}

async fn integration_key(http: &Http) -> Result<String, String> {
    let a = http
        .post_json("/api/v1/api-keys", &json!({"name": "bench", "role": "integration"}))
        .await?;
    a.json()?["key"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no key".to_string())
}

pub async fn run(opts: &Options) -> Result<(), String> {
    let server = Server::start(opts).await?;
    println!(
        "server: {} on {} ({}), ready in {} ms",
        if opts.postgres { "PostgreSQL" } else { "SQLite" },
        server.bases.join(" and "),
        redact(&server.database),
        server.startup.as_millis()
    );
    // Open loop keeps as many connections as requests are in flight.
    let open = opts.rate.is_some() || opts.scenario == Scenario::Ramp;
    let idle = if open { 1024 } else { opts.connections };
    let http = Http::spread(server.bases.clone(), idle + opts.dashboards);
    let admin = http.with_token(&sign_in(&http).await?);
    match opts.scenario {
        Scenario::Read => read(opts, &admin).await?,
        Scenario::Import => import(opts, &admin).await?,
        Scenario::Ingest => {
            let key = http.with_token(&integration_key(&admin).await?);
            match opts.rate {
                Some(rate) => open::ingest(opts, rate, &key).await,
                None => {
                    ingest(opts, &key, INGEST).await;
                }
            }
        }
        Scenario::Baseline => {
            baseline::run(opts, &server.database, pool_size(opts)).await?;
        }
        Scenario::IngestVsBaseline => {
            let base = baseline::run(opts, &server.database, pool_size(opts)).await?;
            let ingest = ingest(opts, &http.with_token(&integration_key(&admin).await?), INGEST).await;
            println!(
                "ingest / baseline: {:.0} / {:.0} calls/s = {:.2}",
                ingest.succeeded_per_second(),
                base.succeeded_per_second(),
                ingest.succeeded_per_second() / base.succeeded_per_second().max(1e-9)
            );
        }
        Scenario::Cti => match opts.rate {
            Some(rate) => open::cti(opts, rate, &http, &integration_key(&admin).await?).await,
            None => cti(opts, &http, &integration_key(&admin).await?).await,
        },
        Scenario::Reports => reports::run(opts, &admin).await?,
        Scenario::Storm => storm::run(opts, &admin, &http.with_token(&integration_key(&admin).await?)).await?,
        Scenario::WorkOrders => {
            work_orders::run(opts, &admin, &http.with_token(&integration_key(&admin).await?)).await?;
        }
        Scenario::Ramp => ramp::run(opts, &admin, &http, &integration_key(&admin).await?).await?,
        Scenario::Footprint => {
            let token = integration_key(&admin).await?;
            let key = http.with_token(&token);
            footprint::run(opts, &server.database, &key, (&http, &token)).await?
        }
    }
    match server.peak_memory_mib().as_deref() {
        Some([m]) => println!("server peak memory: {m:.1} MiB"),
        Some(each) => {
            let each: Vec<String> = each.iter().map(|m| format!("{m:.1}")).collect();
            println!("server peak memory: {} MiB", each.join(" + "));
        }
        None => println!("server peak memory: unknown (no /proc)"),
    }
    Ok(())
}

fn redact(url: &str) -> String {
    hotline::config::redact_url(url)
}

/// The request path for a random number and the number of seeded customers.
type PathFor = fn(u64, u64) -> String;

async fn read(opts: &Options, admin: &Http) -> Result<(), String> {
    let customers = opts.customers.max(1);
    let phases: [(&str, PathFor); 5] = [
        ("read: screen-pop lookup", |r, customers| {
            let phone = hotline::seed::sample_phone(r % customers);
            format!("/api/v1/cti/lookup?number=0{}", &phone[3..])
        }),
        ("read: call list page, filtered", |r, _| {
            let categories = ["outage", "billing", "metering", "information"];
            format!("/api/v1/calls?limit=50&category={}", categories[(r % 4) as usize])
        }),
        ("read: free-text search", |r, _| {
            let words = ["mat%20dien", "tien%20dien", "cong%20to", "day%20dien"];
            format!("/api/v1/calls?limit=20&q={}", words[(r % 4) as usize])
        }),
        // What no call holds: the search reads as far back as a page may.
        ("read: free-text search, a phrase no call holds", |r, _| {
            format!("/api/v1/calls?limit=20&q=cot%20dien%20nghieng%20{}", r % 4)
        }),
        ("read: customer search, a phrase no customer holds", |r, _| {
            format!("/api/v1/customers?limit=20&q=ho%20ten%20khong%20co%20{}", r % 4)
        }),
    ];
    // The server's first seconds carry its start-up passes (retention, the
    // summaries' first tick, the months to come): shown, not mixed into
    // the first phase.
    let warm_admin = admin.clone();
    let first = phases[0].1;
    drive(1, Duration::from_secs(3), Duration::ZERO, move |w, n| {
        let admin = warm_admin.clone();
        let p = first(rand(w, n), customers);
        async move { vec![admin.get(&p).await] }
    })
    .await
    .print("read: warm-up, the first 3 s after start (1 connection)");
    for (title, path) in phases {
        // One connection shows what a single agent waits; many show capacity.
        for connections in [1, opts.connections] {
            let admin = admin.clone();
            let mut stats = drive(connections, opts.duration, Duration::ZERO, move |w, n| {
                let admin = admin.clone();
                let p = path(rand(w, n), customers);
                async move { vec![admin.get(&p).await] }
            })
            .await;
            stats.print(&format!("{title} ({connections} connections)"));
        }
    }
    Ok(())
}

fn csv(rows: u64, offset: u64) -> String {
    let now = chrono::Utc::now();
    let mut out = String::from("customer_code,name,phones,email,address,area_code,unit_code,notes\n");
    for i in offset..offset + rows {
        let c = hotline::seed::sample_customer(i, now);
        let phones: Vec<&str> = c.phones.iter().map(|p| p.raw.as_str()).collect();
        out.push_str(&format!(
            "{},{},{},,\"{}\",{},{},Sample data\n",
            c.code,
            c.name,
            phones.join(";"),
            c.address.unwrap_or_default(),
            c.area_code.map(String::from).unwrap_or_default(),
            c.unit_code.map(String::from).unwrap_or_default()
        ));
    }
    out
}

async fn import(opts: &Options, admin: &Http) -> Result<(), String> {
    let body = Bytes::from(csv(opts.rows, 10_000_000));
    println!(
        "import: {} rows, {:.1} MiB of CSV",
        opts.rows,
        body.len() as f64 / 1_048_576.0
    );
    for pass in ["first import (all new)", "second import (all unchanged)"] {
        let started = Instant::now();
        let a = admin
            .send(Method::POST, "/api/v1/customers/import", Some("text/csv"), body.clone())
            .await?;
        let took = started.elapsed().as_secs_f64();
        let report = a.json().unwrap_or(Value::Null);
        println!(
            "== import: {pass}: status {} in {took:.2} s = {:.0} rows/s; created {}, updated {}, unchanged {}, failed {}",
            a.status,
            opts.rows as f64 / took,
            report["created"],
            report["updated"],
            report["unchanged"],
            report["failed"]
        );
    }
    Ok(())
}

fn call_body(r: u64) -> Value {
    let started = chrono::Utc::now() - chrono::Duration::seconds((r % 3600) as i64 + 400);
    let category = ["outage", "billing", "metering"][(r % 3) as usize];
    json!({
        "direction": "inbound",
        "caller_number": hotline::seed::sample_phone(r % 10_000_000),
        "callee_number": "1900 1006",
        "started_at": started.to_rfc3339(),
        "answered_at": (started + chrono::Duration::seconds((r % 60) as i64 + 5)).to_rfc3339(),
        "ended_at": (started + chrono::Duration::seconds((r % 300) as i64 + 70)).to_rfc3339(),
        "agent": format!("agent{:02}", r % 40),
        "queue": "outage",
        "category": category,
        "caller_name": "Nguyễn Văn Á",
        "address": "Ấp 3, xã Tân Thành, Cà Mau",
        "notes": "Mất điện từ 7 giờ sáng",
    })
}

/// Logs call `r`; half the calls carry the idempotency key `id`, as PBX
/// integrations do. Keys must be new in every run and phase: a key sent
/// again with another body (the times move on) is refused.
async fn post_call(key: &Http, id: &str, r: u64) -> Result<Answer, String> {
    let body = Bytes::from(call_body(r).to_string());
    if r.is_multiple_of(2) {
        key.send_with_key(id, "/api/v1/calls", body).await
    } else {
        key.send(Method::POST, "/api/v1/calls", Some("application/json"), body)
            .await
    }
}

/// `POST /api/v1/calls` from `opts.connections` connections, printed
/// under `title`.
async fn ingest(opts: &Options, key: &Http, title: &str) -> Stats {
    // Idempotency keys are new in every phase: a key sent again with
    // another body (the times move on) is refused.
    static PHASES: AtomicU64 = AtomicU64::new(0);
    let phase = PHASES.fetch_add(1, Ordering::Relaxed);
    let key = key.clone();
    let mut stats = drive(opts.connections, opts.duration, Duration::ZERO, move |w, n| {
        let key = key.clone();
        async move { vec![post_call(&key, &format!("bench-{phase}-{w}-{n}"), rand(w, n)).await] }
    })
    .await;
    stats.print(&format!("{title} ({} connections)", opts.connections));
    stats
}

/// A call's Zammad events, in order: rung, answered, hung up.
const CTI_EVENTS: [&str; 3] = [
    "event=newCall&user=agent01",
    "event=answer&user=agent01",
    "event=hangup&cause=normalClearing",
];

/// One call's CTI `events` in turn on `path` (`/api/v1/cti/{token}`), as
/// call `call_id` from a caller picked by `r`.
async fn cti_call(http: &Http, path: &str, call_id: &str, r: u64, events: &[&str]) -> Vec<Result<Answer, String>> {
    let from = hotline::seed::sample_phone(r % 10_000_000).replace('+', "%2B");
    let common = format!("from={from}&to=19001006&direction=in&callId={call_id}");
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let body = Bytes::from(format!("{event}&{common}"));
        out.push(
            http.send(Method::POST, path, Some("application/x-www-form-urlencoded"), body)
                .await,
        );
    }
    out
}

async fn cti(opts: &Options, http: &Http, token: &str) {
    let http = http.clone();
    let path: Arc<str> = Arc::from(format!("/api/v1/cti/{token}"));
    let ramp = opts.duration / 3;
    let mut stats = drive(opts.connections, opts.duration, ramp, move |w, n| {
        let http = http.clone();
        let path = path.clone();
        async move { cti_call(&http, &path, &format!("storm-{w}-{n}"), rand(w, n), &CTI_EVENTS).await }
    })
    .await;
    stats.print(&format!(
        "cti: newCall/answer/hangup sequences, ramp {} s to {} connections",
        ramp.as_secs(),
        opts.connections
    ));
}
