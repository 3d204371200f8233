//! `work-orders`: `POST /api/v1/work-orders` from many connections (open
//! loop with `--rate`), half with an `Idempotency-Key`; then every work
//! order is read back and its code checked: concurrent openings must never
//! give a code twice nor skip a number of a prefix's yearly sequence.

use std::time::Duration;

use bytes::Bytes;
use hyper::Method;
use serde_json::json;

use super::rand;
use crate::client::{Answer, Http};
use crate::codes;
use crate::load::drive;
use crate::open_loop;
use crate::options::Options;
use crate::schedule::Schedule;

const PATH: &str = "/api/v1/work-orders";

/// Areas whose codes give four prefixes (CM, HN, SG, DN), so several
/// sequences are drawn from at once.
const AREAS: [&str; 4] = ["VN-CM-01", "VN-HN-02", "VN-SG-03", "VN-DN-04"];

async fn open_one(key: &Http, id: &str, r: u64) -> Result<Answer, String> {
    let body = json!({
        "category": "outage",
        "description": "Mất điện cả xóm từ 7 giờ sáng",
        "address": "Ấp 3, xã Tân Thành, Cà Mau",
        "area_code": AREAS[(r % AREAS.len() as u64) as usize],
    });
    let body = Bytes::from(body.to_string());
    if r.is_multiple_of(2) {
        key.send_with_key(id, PATH, body).await
    } else {
        key.send(Method::POST, PATH, Some("application/json"), body).await
    }
}

pub async fn run(opts: &Options, admin: &Http, key: &Http) -> Result<(), String> {
    let key = key.clone();
    let created = match opts.rate {
        None => {
            let mut stats = drive(opts.connections, opts.duration, Duration::ZERO, move |w, n| {
                let key = key.clone();
                async move { vec![open_one(&key, &format!("wo-{w}-{n}"), rand(w, n)).await] }
            })
            .await;
            stats.print(&format!("work-orders: POST {PATH} ({} connections)", opts.connections));
            stats.statuses.get("201").copied().unwrap_or(0)
        }
        Some(rate) => {
            let stats = open_loop::drive(Schedule::fixed(rate, opts.duration), move |i| {
                let key = key.clone();
                async move { vec![open_one(&key, &format!("wo-open-{i}"), rand(0, i)).await] }
            })
            .await;
            stats.print(&format!("work-orders: POST {PATH}, open loop at {rate}/s"));
            stats.statuses().get("201").copied().unwrap_or(0)
        }
    };
    let listed = all_codes(admin).await?;
    let check = codes::check(listed.iter().map(String::as_str));
    let sequences: Vec<String> = check
        .sequences
        .iter()
        .map(|(k, (n, top))| format!("{k} {n} codes up to {top}"))
        .collect();
    println!(
        "codes: {} created (201), {} read back; {}",
        created,
        listed.len(),
        sequences.join(", ")
    );
    println!(
        "codes: {} duplicated, {} skipped, {} unreadable: {}",
        check.duplicates.len(),
        check.skipped.values().map(Vec::len).sum::<usize>(),
        check.unreadable.len(),
        if check.clean() && created == listed.len() as u64 {
            "every code once, no gaps"
        } else {
            "NOT CLEAN"
        }
    );
    for (code, times) in check.duplicates.iter().take(10) {
        println!("  duplicated: {code} × {times}");
    }
    for (sequence, missing) in check.skipped.iter() {
        let first: Vec<String> = missing.iter().take(10).map(u32::to_string).collect();
        println!(
            "  skipped in {sequence}: {} (first: {})",
            missing.len(),
            first.join(", ")
        );
    }
    Ok(())
}

/// Every work order's code, a page of 200 at a time.
async fn all_codes(admin: &Http) -> Result<Vec<String>, String> {
    let mut codes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{PATH}?limit=200&cursor={c}"),
            None => format!("{PATH}?limit=200"),
        };
        let a = admin.get(&path).await?;
        if !a.status.is_success() {
            return Err(format!("GET {path}: status {}", a.status));
        }
        let page = a.json()?;
        for item in page["items"].as_array().ok_or("a page without items")? {
            codes.push(item["code"].as_str().unwrap_or_default().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) if !c.is_empty() => cursor = Some(c.to_string()),
            _ => return Ok(codes),
        }
    }
}
