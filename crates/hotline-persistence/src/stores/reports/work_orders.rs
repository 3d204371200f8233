//! The work-order report: a few grouped counts, each over an index range
//! (opened by `created_at`, resolved by `resolved_at`, acknowledged by
//! `acknowledged_at`, feedback by `given_at`), merged per bucket and group.

use std::collections::HashMap;

use hotline_domain::StoreError;
use hotline_domain::report::{WorkOrderGroup, WorkOrderReportQuery, WorkOrderTallies, WorkOrderTally};
use hotline_domain::work_order::Status;
use sea_orm::QueryResult;

use super::sql::{self, Sql};
use crate::Db;
use crate::errors::DbResult;

fn group_column(g: Option<WorkOrderGroup>) -> &'static str {
    match g {
        None => "CAST(NULL AS TEXT)",
        Some(WorkOrderGroup::Category) => "w.category",
        Some(WorkOrderGroup::Unit) => "w.unit_code",
        Some(WorkOrderGroup::Team) => "w.team_code",
        Some(WorkOrderGroup::Area) => "w.area_code",
    }
}

fn open_statuses() -> Vec<&'static str> {
    Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect()
}

/// `WITH b … SELECT CAST(b.i AS BIGINT) AS i, <group> AS g, <select> FROM b
/// JOIN work_orders w ON <time col> in the bucket [extra join] WHERE scope
/// [and where] GROUP BY b.i, g`.
fn bucketed(db: &Db, q: &WorkOrderReportQuery, select: &str, on: &str, join: &str, filter: &str) -> Sql {
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push("WITH ").buckets(&q.spans);
    s.push(&format!(
        " SELECT CAST(b.i AS BIGINT) AS i, {g} AS g, {select} FROM b {join} WHERE 1 = 1 {filter}",
        g = group_column(q.group_by),
        join = join.replace("{on}", &format!("{on} >= b.s AND {on} < b.e")),
    ));
    s.unit_scope(&q.scope, "w.unit_code", true);
    s.hidden_categories(&q.scope, "w.category");
    s.push(" GROUP BY 1, 2");
    s
}

fn key(r: &QueryResult) -> Result<(usize, Option<String>), StoreError> {
    Ok((sql::bucket(r)?, sql::text(r, "g")?))
}

pub(super) async fn tallies(db: &Db, q: &WorkOrderReportQuery) -> Result<WorkOrderTallies, StoreError> {
    let Some(from) = q.from() else {
        return Ok(WorkOrderTallies::default());
    };
    let mut merged: HashMap<(usize, Option<String>), WorkOrderTally> = HashMap::new();
    fn at(
        merged: &mut HashMap<(usize, Option<String>), WorkOrderTally>,
        k: (usize, Option<String>),
    ) -> &mut WorkOrderTally {
        merged.entry(k.clone()).or_insert_with(|| WorkOrderTally {
            bucket: k.0,
            group: k.1,
            ..Default::default()
        })
    }

    let opened = bucketed(db, q, "COUNT(*) AS n", "w.created_at", "JOIN work_orders w ON {on}", "");

    // Resolved, with the deadline met or not, and the median time taken:
    // rows numbered by duration within their bucket and group.
    let backend = db.conn.get_database_backend();
    let probe = Sql::new(backend);
    let duration = probe.seconds("w.resolved_at", "w.created_at");
    let mut s = Sql::new(backend);
    s.push("WITH ").buckets(&q.spans);
    s.push(&format!(
        ", r AS (SELECT b.i AS i, {g} AS g, {duration} AS d, \
         CASE WHEN w.resolution_due IS NULL THEN NULL WHEN w.resolved_at <= w.resolution_due THEN 1 ELSE 0 END AS met \
         FROM b JOIN work_orders w ON w.resolved_at >= b.s AND w.resolved_at < b.e WHERE 1 = 1",
        g = group_column(q.group_by),
    ));
    s.unit_scope(&q.scope, "w.unit_code", true);
    s.hidden_categories(&q.scope, "w.category");
    s.push(
        "), p AS (SELECT i, g, d, met, ROW_NUMBER() OVER (PARTITION BY i, g ORDER BY d) AS rn, \
           COUNT(*) OVER (PARTITION BY i, g) AS tot FROM r) \
         SELECT CAST(i AS BIGINT) AS i, g, COUNT(*) AS n, COUNT(met) AS due, \
           CAST(SUM(COALESCE(met, 0)) AS BIGINT) AS met, \
           CAST(MIN(CASE WHEN rn * 100 >= tot * 50 THEN d END) AS BIGINT) AS median \
         FROM p GROUP BY i, g",
    );
    let resolved = s;

    let acknowledged = bucketed(
        db,
        q,
        "COUNT(*) AS due, CAST(SUM(CASE WHEN w.acknowledged_at <= w.response_due THEN 1 ELSE 0 END) AS BIGINT) AS met",
        "w.acknowledged_at",
        "JOIN work_orders w ON {on}",
        "AND w.response_due IS NOT NULL",
    );

    // A cancelled work order's last change is its cancellation.
    let cancelled = bucketed(
        db,
        q,
        "COUNT(*) AS n",
        "w.updated_at",
        "JOIN work_orders w ON w.status = 'cancelled' AND {on}",
        "",
    );

    let feedback = bucketed(
        db,
        q,
        "COUNT(*) AS n, CAST(SUM(f.score) AS BIGINT) AS total",
        "f.given_at",
        "JOIN work_order_feedback f ON {on} JOIN work_orders w ON w.id = f.work_order_id",
        "",
    );

    // Six independent reads: run side by side on their own connections
    // (SQLite's WAL lets readers share the file), so the report takes as
    // long as the slowest rather than all of them in turn.
    let (opened, resolved, acknowledged, cancelled, feedback, open_at_start) = tokio::try_join!(
        sql::rows(db, opened.statement()),
        sql::rows(db, resolved.statement()),
        sql::rows(db, acknowledged.statement()),
        sql::rows(db, cancelled.statement()),
        sql::rows(db, feedback.statement()),
        backlog_at(db, q, from),
    )?;
    for r in opened {
        at(&mut merged, key(&r)?).opened = sql::count(&r, "n")?;
    }
    for r in resolved {
        let t = at(&mut merged, key(&r)?);
        t.resolved = sql::count(&r, "n")?;
        t.left += t.resolved;
        t.resolutions_due = sql::count(&r, "due")?;
        t.resolutions_met = sql::count(&r, "met")?;
        t.median_resolve_seconds = sql::opt_int(&r, "median")?;
    }
    for r in acknowledged {
        let t = at(&mut merged, key(&r)?);
        t.responses_due = sql::count(&r, "due")?;
        t.responses_met = sql::count(&r, "met")?;
    }
    for r in cancelled {
        at(&mut merged, key(&r)?).left += sql::count(&r, "n")?;
    }
    for r in feedback {
        let t = at(&mut merged, key(&r)?);
        t.feedbacks = sql::count(&r, "n")?;
        t.feedback_sum = sql::count(&r, "total")?;
    }
    Ok(WorkOrderTallies {
        rows: merged.into_values().collect(),
        open_at_start,
    })
}

/// The backlog at `from`: opened before it and either still open now, or
/// resolved or cancelled since. Three small index reads instead of a scan
/// of every work order ever opened.
async fn backlog_at(
    db: &Db,
    q: &WorkOrderReportQuery,
    from: chrono::DateTime<chrono::Utc>,
) -> DbResult<Vec<(Option<String>, u64)>> {
    // Grouped by an expression, not the bare column: on the bare column
    // SQLite walks the (team|unit|area, created_at) index for its order and
    // reads every work order opened before `from` (a second a part at
    // 200,000 work orders) instead of the status and resolution ranges.
    let g = match q.group_by {
        None => group_column(None).to_string(),
        Some(_) => format!("({} || '')", group_column(q.group_by)),
    };
    let mut s = Sql::new(db.conn.get_database_backend());
    let parts: [(&str, bool); 3] = [
        ("w.status IN ", true),
        ("w.resolved_at >= ", false),
        ("w.status = 'cancelled' AND w.updated_at >= ", false),
    ];
    s.push("SELECT g, CAST(SUM(n) AS BIGINT) AS n FROM (");
    for (i, (cond, is_list)) in parts.iter().enumerate() {
        if i > 0 {
            s.push(" UNION ALL ");
        }
        s.push(&format!(
            "SELECT {g} AS g, COUNT(*) AS n FROM work_orders w WHERE {cond}"
        ));
        if *is_list {
            s.list(open_statuses());
        } else {
            s.time(from);
        }
        s.push(" AND w.created_at < ").time(from);
        s.unit_scope(&q.scope, "w.unit_code", true);
        s.hidden_categories(&q.scope, "w.category");
        s.push(" GROUP BY 1");
    }
    s.push(") x GROUP BY g");
    sql::rows(db, s.statement())
        .await?
        .iter()
        .map(|r| Ok((sql::text(r, "g")?, sql::count(r, "n")?)))
        .collect()
}
