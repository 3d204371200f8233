//! The call report in one statement: calls joined to their bucket by an
//! index range on `started_at`, folded into a histogram of waits per bucket,
//! group and kind, from which every figure (and the exact 90th percentile)
//! is read.

use hotline_domain::StoreError;
use hotline_domain::report::{CallGroup, CallReportQuery, CallTally, WAIT_PERCENTILE};
use sea_orm::{ConnectionTrait, DbBackend};

use super::sql::{self, Sql};
use crate::Db;
use crate::errors::store_err;

fn group_column(g: Option<CallGroup>) -> &'static str {
    match g {
        None => "CAST(NULL AS TEXT)",
        Some(CallGroup::Category) => "c.category",
        Some(CallGroup::Queue) => "c.queue",
        Some(CallGroup::Agent) => "c.agent",
        Some(CallGroup::Area) => "cu.area_code",
        Some(CallGroup::Unit) => "cu.unit_code",
    }
}

/// Whether the query needs the caller's customer (for their unit or area).
fn needs_customer(q: &CallReportQuery) -> bool {
    q.scope.within_units.is_some() || matches!(q.group_by, Some(CallGroup::Area | CallGroup::Unit))
}

pub(super) fn statement(backend: DbBackend, q: &CallReportQuery) -> sea_orm::Statement {
    let mut s = Sql::new(backend);
    let wait_answered = s.seconds("c.answered_at", "c.started_at");
    let wait_hung_up = s.seconds("c.ended_at", "c.started_at");
    let talk = s.seconds("c.ended_at", "c.answered_at");
    s.push("WITH ").buckets(&q.spans);
    // k: 0 ringing, 1 answered, 2 missed, 3 abandoned (see the domain docs).
    s.push(&format!(
        ", f AS (SELECT b.i AS i, {group} AS g, \
         CASE WHEN c.answered_at IS NOT NULL THEN 1 WHEN c.ended_at IS NULL THEN 0 \
              WHEN c.outcome = 'abandoned' THEN 3 ELSE 2 END AS k, \
         CASE WHEN c.answered_at IS NOT NULL THEN {wait_answered} \
              WHEN c.ended_at IS NOT NULL THEN {wait_hung_up} END AS w, \
         CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN {talk} END AS t \
         FROM b JOIN calls c ON c.started_at >= b.s AND c.started_at < b.e",
        group = group_column(q.group_by),
    ));
    if needs_customer(q) {
        s.push(" LEFT JOIN customers cu ON cu.code = c.customer_code");
    }
    s.push(" WHERE c.direction = 'inbound'");
    s.unit_scope(&q.scope, "cu.unit_code", false);
    s.push(
        "), h AS (SELECT i, g, k, w, COUNT(*) AS n, SUM(t) AS ts, COUNT(t) AS tn FROM f GROUP BY i, g, k, w), \
         p AS (SELECT i, g, k, w, n, ts, tn, \
           SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) OVER (PARTITION BY i, g ORDER BY w ROWS UNBOUNDED PRECEDING) AS cum, \
           SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) OVER (PARTITION BY i, g) AS tot FROM h) \
         SELECT CAST(i AS BIGINT) AS i, g, \
           CAST(SUM(n) AS BIGINT) AS offered, \
           CAST(SUM(CASE WHEN k = 1 THEN n ELSE 0 END) AS BIGINT) AS answered, \
           CAST(SUM(CASE WHEN k = 2 THEN n ELSE 0 END) AS BIGINT) AS missed, \
           CAST(SUM(CASE WHEN k = 3 THEN n ELSE 0 END) AS BIGINT) AS abandoned, \
           CAST(SUM(CASE WHEN w IS NULL THEN 0 ELSE n END) AS BIGINT) AS waits, \
           CAST(SUM(CASE WHEN w IS NULL THEN 0 ELSE w * n END) AS BIGINT) AS wait_sum, ",
    );
    s.push(&format!(
        "CAST(MIN(CASE WHEN w IS NOT NULL AND cum * 100 >= tot * {WAIT_PERCENTILE} THEN w END) AS BIGINT) AS p90, "
    ));
    s.push(
        "CAST(SUM(tn) AS BIGINT) AS talks, CAST(SUM(COALESCE(ts, 0)) AS BIGINT) AS talk_sum, \
         CAST(SUM(CASE WHEN k = 1 AND w <= ",
    );
    s.bind(i64::from(q.service_level_seconds));
    s.push(" THEN n ELSE 0 END) AS BIGINT) AS within FROM p GROUP BY i, g");
    s.statement()
}

pub(super) async fn tallies(db: &Db, q: &CallReportQuery) -> Result<Vec<CallTally>, StoreError> {
    if q.spans.is_empty() {
        return Ok(Vec::new());
    }
    let stmt = statement(db.conn.get_database_backend(), q);
    let rows = db.conn.query_all_raw(stmt).await.map_err(store_err)?;
    rows.iter()
        .map(|r| {
            Ok(CallTally {
                bucket: sql::bucket(r)?,
                group: sql::text(r, "g")?,
                offered: sql::count(r, "offered")?,
                answered: sql::count(r, "answered")?,
                missed: sql::count(r, "missed")?,
                abandoned: sql::count(r, "abandoned")?,
                waits: sql::count(r, "waits")?,
                wait_seconds_sum: sql::int(r, "wait_sum")?,
                p90_wait_seconds: sql::opt_int(r, "p90")?,
                talks: sql::count(r, "talks")?,
                talk_seconds_sum: sql::int(r, "talk_sum")?,
                answered_within_threshold: sql::count(r, "within")?,
            })
        })
        .collect()
}
