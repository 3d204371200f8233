//! `storm`: a typhoon's evening. Calls are logged from many connections,
//! first alone and then while supervisors' dashboards keep refreshing
//! every report (the wallboard, a month by day grouped and not, a year of
//! work orders). What it shows is how much of the call rate survives the
//! dashboards, and what the dashboards wait meanwhile.

use std::sync::Arc;
use std::time::Duration;

use super::{INGEST, ingest};
use crate::client::Http;
use crate::load::drive;
use crate::options::Options;

pub async fn run(opts: &Options, admin: &Http, key: &Http) -> Result<(), String> {
    let paths: Arc<Vec<String>> = Arc::new(super::reports::phases()?.into_iter().map(|(_, p)| p).collect());
    let alone = ingest(opts, key, INGEST).await;
    let admin = admin.clone();
    let dashboards = {
        let paths = paths.clone();
        // Each dashboard goes round every report, starting at its own.
        tokio::spawn(drive(opts.dashboards, opts.duration, Duration::ZERO, move |w, n| {
            let admin = admin.clone();
            let path = paths[(w + n as usize) % paths.len()].clone();
            async move { vec![admin.get(&path).await] }
        }))
    };
    let busy = ingest(
        opts,
        key,
        &format!("{INGEST} while {} dashboards refresh", opts.dashboards),
    )
    .await;
    let mut seen = dashboards.await.map_err(|e| e.to_string())?;
    seen.print(&format!(
        "dashboards: every report in turn ({} connections, beside the calls)",
        opts.dashboards
    ));
    println!(
        "calls with dashboards / alone: {:.0} / {:.0} calls/s = {:.2}",
        busy.succeeded_per_second(),
        alone.succeeded_per_second(),
        busy.succeeded_per_second() / alone.succeeded_per_second().max(1e-9)
    );
    Ok(())
}
