//! `reports`: dashboard reads over a seeded year (1,000,000 calls and
//! 200,000 work orders by default): a month of daily buckets, grouped and
//! not, an hourly day, the last 24 hours, and the wallboard.

use std::time::Duration;

use chrono::{Days, Utc};

use crate::client::Http;
use crate::load::drive;
use crate::options::Options;

/// What dashboards ask for, titled: a month of daily buckets (grouped and
/// not), an hourly day, a year of months, and the wallboard.
pub fn phases() -> Result<Vec<(&'static str, String)>, String> {
    // Local dates, as a dashboard asks: the last 30 days, and yesterday.
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    let month_ago = today.checked_sub_days(Days::new(29)).ok_or("date out of range")?;
    let yesterday = today.checked_sub_days(Days::new(1)).ok_or("date out of range")?;
    let month = format!("from={month_ago}&to={today}");
    let now = Utc::now();
    let instant = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let last_day = format!(
        "from={}&to={}",
        instant(now - chrono::Duration::hours(24)),
        instant(now)
    );
    let phases = [
        (
            "calls, 30 days by day",
            format!("/api/v1/reports/calls?{month}&bucket=day"),
        ),
        (
            "calls, 30 days by day and unit",
            format!("/api/v1/reports/calls?{month}&bucket=day&group_by=unit"),
        ),
        (
            "calls, 30 days by day and agent",
            format!("/api/v1/reports/calls?{month}&bucket=day&group_by=agent"),
        ),
        (
            "calls, one day by hour",
            format!("/api/v1/reports/calls?from={yesterday}&to={yesterday}&bucket=hour"),
        ),
        // A day's worth of calls none of whose local days is whole, at any
        // time of day: what today costs late in the evening.
        (
            "calls, the last 24 hours by hour",
            format!("/api/v1/reports/calls?{last_day}&bucket=hour"),
        ),
        (
            "calls, the last 24 hours by hour and unit",
            format!("/api/v1/reports/calls?{last_day}&bucket=hour&group_by=unit"),
        ),
        (
            "work orders, 30 days by day",
            format!("/api/v1/reports/work-orders?{month}&bucket=day"),
        ),
        (
            "work orders, 30 days by day and team",
            format!("/api/v1/reports/work-orders?{month}&bucket=day&group_by=team"),
        ),
        (
            "work orders, a year by month",
            format!(
                "/api/v1/reports/work-orders?from={}&to={today}&bucket=month",
                today.checked_sub_days(Days::new(364)).ok_or("date out of range")?
            ),
        ),
        ("wallboard", "/api/v1/reports/live".to_string()),
    ];
    Ok(phases.into())
}

pub async fn run(opts: &Options, admin: &Http) -> Result<(), String> {
    let phases = phases()?;
    // A first request checks the answer and warms the caches.
    for (title, path) in &phases {
        let a = admin.get(path).await?;
        if !a.status.is_success() {
            return Err(format!("{title}: status {}", a.status));
        }
    }
    for (title, path) in phases {
        for connections in [1, opts.connections] {
            let admin = admin.clone();
            let path = path.clone();
            let mut stats = drive(connections, opts.duration, Duration::ZERO, move |_, _| {
                let admin = admin.clone();
                let path = path.clone();
                async move { vec![admin.get(&path).await] }
            })
            .await;
            stats.print(&format!("reports: {title} ({connections} connections)"));
        }
    }
    Ok(())
}
