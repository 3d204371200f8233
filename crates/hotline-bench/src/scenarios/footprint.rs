//! `footprint`: the bytes one logged call leaves on disk, table by table.
//!
//! Logs [`CALLS`] calls through `POST /api/v1/calls` on the fresh database,
//! each with an `Idempotency-Key` and a 300-character Vietnamese note (a
//! different one each, as agents write them), then
//! divides the growth of every table and index by their number. What is
//! deleted after a week (the idempotency records, the events, a PBX
//! call's state) is shown apart from what is kept.
//!
//! Then logs as many calls as a PBX does, through the Zammad CTI endpoint
//! (rung, answered, hung up: three events, no note, no key), and prints
//! the same for them.

use bytes::Bytes;
use hotline_persistence::{Db, DbConfig, RelationSize};
use std::collections::BTreeMap;

use super::notes::note;
use super::{CTI_EVENTS, call_body, cti_call, rand};
use crate::client::Http;
use crate::options::Options;

/// How many calls are logged and measured.
pub const CALLS: u64 = 4_000;

/// Tables kept only for a week (`HOTLINE_RETAIN_IDEMPOTENCY_DAYS`,
/// `HOTLINE_EVENT_RETENTION_HOURS`, a PBX call's state).
const FOR_A_WEEK: [&str; 3] = ["idempotency_keys", "events", "cti_calls"];

async fn sizes(db: &Db) -> Result<BTreeMap<(String, String), u64>, String> {
    let all: Vec<RelationSize> = db.relation_sizes().await.map_err(|e| e.to_string())?;
    Ok(all
        .into_iter()
        .map(|r| {
            let table = r.table.clone().unwrap_or_else(|| r.name.clone());
            ((table, r.name), r.bytes)
        })
        .collect())
}

pub async fn run(opts: &Options, database: &str, key: &Http, cti: (&Http, &str)) -> Result<(), String> {
    let mut config = DbConfig::new(database);
    config.max_connections = 2;
    config.group_commit = false;
    let db = Db::connect(&config).await.map_err(|e| e.to_string())?;
    let before = sizes(&db).await?;
    let per_worker = CALLS.div_ceil(opts.connections as u64);
    let mut workers = Vec::with_capacity(opts.connections);
    for w in 0..opts.connections {
        let key = key.clone();
        workers.push(tokio::spawn(async move {
            let mut logged = 0u64;
            for n in 0..per_worker {
                let mut body = call_body(rand(w, n));
                body["notes"] = note(rand(w, n)).into();
                let body = Bytes::from(body.to_string());
                match key
                    .send_with_key(&format!("footprint-{w}-{n}"), "/api/v1/calls", body)
                    .await
                {
                    Ok(a) if a.status.as_u16() == 201 => logged += 1,
                    Ok(a) => return Err(format!("a call was answered {}", a.status)),
                    Err(e) => return Err(e),
                }
            }
            Ok(logged)
        }));
    }
    let logged = finish(workers).await?;
    let after = sizes(&db).await?;
    println!("footprint: {logged} calls logged, each with an Idempotency-Key and a 300-character note");
    print(&before, &after, logged);

    let (http, token) = cti;
    let path = format!("/api/v1/cti/{token}");
    let mut workers = Vec::with_capacity(opts.connections);
    for w in 0..opts.connections {
        let (http, path) = (http.clone(), path.clone());
        workers.push(tokio::spawn(async move {
            let mut logged = 0u64;
            for n in 0..per_worker {
                for answer in cti_call(&http, &path, &format!("footprint-{w}-{n}"), rand(w, n), &CTI_EVENTS).await {
                    match answer {
                        Ok(a) if a.status.is_success() => {}
                        Ok(a) => return Err(format!("a CTI event was answered {}", a.status)),
                        Err(e) => return Err(e),
                    }
                }
                logged += 1;
            }
            Ok(logged)
        }));
    }
    let logged = finish(workers).await?;
    let end = sizes(&db).await?;
    db.close().await.map_err(|e| e.to_string())?;
    println!("footprint: {logged} calls logged by a PBX (Zammad CTI: newCall, answer, hangup; no note)");
    print(&after, &end, logged);
    Ok(())
}

async fn finish(workers: Vec<tokio::task::JoinHandle<Result<u64, String>>>) -> Result<u64, String> {
    let mut logged = 0;
    for w in workers {
        logged += w.await.map_err(|e| e.to_string())??;
    }
    Ok(logged)
}

fn print(before: &BTreeMap<(String, String), u64>, after: &BTreeMap<(String, String), u64>, logged: u64) {
    println!("| table | relation | B/call |");
    println!("|---|---|---|");
    let (mut kept, mut week) = (0.0, 0.0);
    for ((table, name), bytes) in after {
        let grew = bytes.saturating_sub(before.get(&(table.clone(), name.clone())).copied().unwrap_or(0));
        if grew == 0 {
            continue;
        }
        let per_call = grew as f64 / logged as f64;
        println!("| {table} | {name} | {per_call:.0} |");
        if FOR_A_WEEK.contains(&table.as_str()) {
            week += per_call;
        } else {
            kept += per_call;
        }
    }
    println!(
        "kept: {kept:.0} B/call; for a week: {week:.0} B/call; all-in: {:.0} B/call",
        kept + week
    );
}
