//! `ramp`: open-loop call arrivals climbing linearly from 5 to 300 calls a
//! second over `--duration`, each call four Zammad CTI events in turn
//! (newCall, the caller's menu key as `dtmf`, answer, hangup), beside
//! `--dashboards` dashboards refreshing every report in a closed loop.
//! Prints each 5-second window's arrival rate and CTI p99, and the rate at
//! which p99 first passes 100 ms: where the hotline stops keeping up.

use std::sync::Arc;
use std::time::Duration;

use super::{cti_call, rand};
use crate::client::Http;
use crate::latency::ms;
use crate::options::Options;
use crate::schedule::Schedule;
use crate::windows::{first_crossing, windows};
use crate::{load, open_loop};

const FROM: f64 = 5.0;
const TO: f64 = 300.0;
const WINDOW: Duration = Duration::from_secs(5);
const LIMIT: Duration = Duration::from_millis(100);

/// A call's events, in order. `dtmf` (sipgate: digits keyed in a menu) is
/// taken and changes nothing in the call log.
const EVENTS: [&str; 4] = [
    "event=newCall&user=agent01",
    "event=dtmf&dtmf=1",
    "event=answer&user=agent01",
    "event=hangup&cause=normalClearing",
];

pub async fn run(opts: &Options, admin: &Http, http: &Http, token: &str) -> Result<(), String> {
    let paths: Arc<Vec<String>> = Arc::new(super::reports::phases()?.into_iter().map(|(_, p)| p).collect());
    let admin = admin.clone();
    let dashboards = tokio::spawn(load::drive(
        opts.dashboards,
        opts.duration,
        Duration::ZERO,
        move |w, n| {
            let admin = admin.clone();
            let path = paths[(w + n as usize) % paths.len()].clone();
            async move { vec![admin.get(&path).await] }
        },
    ));
    let schedule = Schedule::ramp(FROM, TO, opts.duration);
    let http = http.clone();
    let path: Arc<str> = Arc::from(format!("/api/v1/cti/{token}"));
    let calls = open_loop::drive(schedule, move |i| {
        let http = http.clone();
        let path = path.clone();
        async move { cti_call(&http, &path, &format!("ramp-{i}"), rand(0, i), &EVENTS).await }
    })
    .await;
    calls.print(&format!(
        "ramp: CTI calls {FROM:.0} → {TO:.0}/s over {} s, 4 events each (latency per event)",
        opts.duration.as_secs()
    ));
    let by_window = windows(&schedule, &calls.events, WINDOW);
    println!("window  calls/s due  events  failed  p99 ms");
    for w in &by_window {
        println!(
            "{:>3}–{:<3} {:>10.1}  {:>6}  {:>6}  {:>7.1}",
            w.start.as_secs(),
            w.end.as_secs(),
            w.rate,
            w.requests,
            w.failed,
            ms(w.p99)
        );
    }
    match first_crossing(&by_window, LIMIT) {
        Some(rate) => println!("p99 first over {} ms at {rate:.0} calls/s", LIMIT.as_millis()),
        None => println!("p99 first over {} ms: never (up to {TO:.0} calls/s)", LIMIT.as_millis()),
    }
    let mut seen = dashboards.await.map_err(|e| e.to_string())?;
    seen.print(&format!(
        "dashboards: every report in turn ({} connections, beside the calls)",
        opts.dashboards
    ));
    Ok(())
}
