//! The wallboard and the `/metrics` gauges: small counts over the open work
//! orders (by status), the calls of the last hours (by `started_at`), and
//! today's calls as the call report counts them.

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::report::days::local_date;
use hotline_domain::report::live::{DayCalls, LIVE_WINDOW, open_statuses};
use hotline_domain::report::{CallReportQuery, Gauges, Live, LiveQuery, ReportScope};
use hotline_domain::work_order::Status;

use super::calls;
use super::sql::{self, Sql};
use crate::Db;

fn open() -> Vec<&'static str> {
    Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect()
}

/// `FROM calls c [JOIN customers] WHERE c.started_at >= since AND … scope`.
fn calls_from(s: &mut Sql, scope: &ReportScope, since: DateTime<Utc>, until: DateTime<Utc>) {
    s.push(" FROM calls c");
    if scope.within_units.is_some() {
        s.push(" JOIN customers cu ON cu.code = c.customer_code");
    }
    s.push(" WHERE c.started_at >= ").time(since);
    s.push(" AND c.started_at < ").time(until);
    s.unit_scope(scope, "cu.unit_code", false);
}

fn work_orders_where(s: &mut Sql, scope: &ReportScope) {
    s.push(" FROM work_orders w WHERE w.status IN ").list(open());
    s.unit_scope(scope, "w.unit_code", true);
    s.hidden_categories(scope, "w.category");
}

/// Ringing and in-progress calls: (ringing, in progress, oldest ring).
async fn current_calls(
    db: &Db,
    scope: &ReportScope,
    now: DateTime<Utc>,
) -> Result<(u64, u64, Option<DateTime<Utc>>), StoreError> {
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push(
        "SELECT CAST(SUM(CASE WHEN c.answered_at IS NULL AND c.direction = 'inbound' THEN 1 ELSE 0 END) AS BIGINT) AS ringing, \
         CAST(SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS talking, \
         MIN(CASE WHEN c.answered_at IS NULL AND c.direction = 'inbound' THEN c.started_at END) AS oldest",
    );
    calls_from(&mut s, scope, now - LIVE_WINDOW, now + chrono::TimeDelta::minutes(5));
    // A blocked call is refused, never waiting for an agent.
    s.push(" AND c.ended_at IS NULL AND NOT c.blocked");
    let rows = sql::rows(db, s.statement()).await?;
    let Some(r) = rows.first() else {
        return Ok((0, 0, None));
    };
    let oldest = r
        .try_get::<Option<DateTime<Utc>>>("", "oldest")
        .map_err(|e| StoreError::Other(format!("report column oldest: {e}")))?;
    Ok((sql::count(r, "ringing")?, sql::count(r, "talking")?, oldest))
}

async fn by_status(db: &Db, scope: &ReportScope) -> Result<Vec<(Status, u64)>, StoreError> {
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("SELECT w.status AS g, COUNT(*) AS n");
    work_orders_where(&mut s, scope);
    s.push(" GROUP BY w.status");
    let mut found = Vec::new();
    for r in sql::rows(db, s.statement()).await? {
        if let Some(status) = sql::text(&r, "g")?.as_deref().and_then(Status::parse) {
            found.push((status, sql::count(&r, "n")?));
        }
    }
    Ok(open_statuses(found))
}

/// Open work orders past their resolution deadline, and due before `soon`.
async fn deadlines(
    db: &Db,
    scope: &ReportScope,
    now: DateTime<Utc>,
    soon: DateTime<Utc>,
) -> Result<(u64, u64), StoreError> {
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("SELECT CAST(SUM(CASE WHEN w.resolution_due < ");
    s.time(now);
    s.push(" THEN 1 ELSE 0 END) AS BIGINT) AS overdue, CAST(SUM(CASE WHEN w.resolution_due >= ");
    s.time(now);
    s.push(" THEN 1 ELSE 0 END) AS BIGINT) AS soon");
    work_orders_where(&mut s, scope);
    s.push(" AND w.resolution_due < ").time(soon);
    let rows = sql::rows(db, s.statement()).await?;
    match rows.first() {
        Some(r) => Ok((sql::count(r, "overdue")?, sql::count(r, "soon")?)),
        None => Ok((0, 0)),
    }
}

/// Today's calls as the call report counts them (blocked callers are
/// refused, not offered): whole past hours from the hour summary, the
/// current hour's past five minutes from the five-minute one, the current
/// five minutes from the calls.
async fn today_calls(db: &Db, q: &LiveQuery) -> Result<DayCalls, StoreError> {
    let query = CallReportQuery {
        spans: vec![q.today],
        group_by: None,
        service_level_seconds: 0,
        scope: q.scope.clone(),
        today: local_date(q.now),
    };
    Ok(calls::tallies(db, &query)
        .await?
        .iter()
        .fold(DayCalls::default(), |d, t| DayCalls {
            offered: d.offered + t.offered,
            answered: d.answered + t.answered,
            missed: d.missed + t.missed,
            abandoned: d.abandoned + t.abandoned,
        }))
}

pub(super) async fn live(db: &Db, q: &LiveQuery) -> Result<Live, StoreError> {
    let (ringing, talking, oldest) = current_calls(db, &q.scope, q.now).await?;

    let today = today_calls(db, q).await?;

    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("SELECT w.team_code AS g, COUNT(*) AS n");
    work_orders_where(&mut s, &q.scope);
    s.push(" GROUP BY w.team_code");
    let mut by_team = Vec::new();
    for r in sql::rows(db, s.statement()).await? {
        by_team.push((sql::text(&r, "g")?, sql::count(&r, "n")?));
    }
    by_team.sort_by(|a, b| (a.0.is_none(), &a.0).cmp(&(b.0.is_none(), &b.0)));

    let (overdue, soon) = deadlines(db, &q.scope, q.now, q.due_soon_until).await?;

    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("SELECT COUNT(*) AS n FROM incidents WHERE status = 'active'");
    let active_incidents = match sql::rows(db, s.statement()).await?.first() {
        Some(r) => sql::count(r, "n")?,
        None => 0,
    };

    Ok(Live {
        as_of: Some(q.now),
        calls_ringing: ringing,
        calls_in_progress: talking,
        longest_wait_seconds: oldest.map(|t| (q.now - t).num_seconds().max(0)),
        today,
        work_orders_by_status: by_status(db, &q.scope).await?,
        work_orders_by_team: by_team,
        overdue,
        due_within_hour: soon,
        active_incidents,
    })
}

pub(super) async fn gauges(db: &Db, now: DateTime<Utc>) -> Result<Gauges, StoreError> {
    let everything = ReportScope::default();
    let (ringing, talking, _) = current_calls(db, &everything, now).await?;
    let (breached, _) = deadlines(db, &everything, now, now).await?;
    Ok(Gauges {
        calls_ringing: ringing,
        calls_in_progress: talking,
        work_orders_by_status: by_status(db, &everything).await?,
        deadlines_breached: breached,
    })
}
