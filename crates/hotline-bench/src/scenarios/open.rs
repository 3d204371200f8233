//! `ingest --rate R` and `cti --rate R`: the same requests as their closed
//! loops, sent open loop at a fixed rate (see `open_loop`).

use std::sync::Arc;

use super::{CTI_EVENTS, cti_call, post_call, rand};
use crate::client::Http;
use crate::open_loop;
use crate::options::Options;
use crate::schedule::Schedule;

pub async fn ingest(opts: &Options, rate: f64, key: &Http) {
    let key = key.clone();
    let stats = open_loop::drive(Schedule::fixed(rate, opts.duration), move |i| {
        let key = key.clone();
        async move { vec![post_call(&key, &format!("open-{i}"), rand(0, i)).await] }
    })
    .await;
    stats.print(&format!("ingest: POST /api/v1/calls, open loop at {rate} calls/s"));
}

pub async fn cti(opts: &Options, rate: f64, http: &Http, token: &str) {
    let http = http.clone();
    let path: Arc<str> = Arc::from(format!("/api/v1/cti/{token}"));
    let stats = open_loop::drive(Schedule::fixed(rate, opts.duration), move |i| {
        let http = http.clone();
        let path = path.clone();
        async move { cti_call(&http, &path, &format!("open-{i}"), rand(0, i), &CTI_EVENTS).await }
    })
    .await;
    stats.print(&format!(
        "cti: newCall/answer/hangup sequences, open loop at {rate} calls/s (latency per event)"
    ));
}
