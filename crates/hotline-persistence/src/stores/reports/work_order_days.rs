//! The per-local-day work-order summary (`work_order_day_stats`): how a
//! work order's facts are counted, for the report and for the summary
//! alike, how changed work orders are found, and how the report reads the
//! summary's rows. The upkeep is [`super::day_upkeep`]'s.
//!
//! A summary row is per day, the work order's unit and category (so a
//! unit-scoped caller and hidden categories read it exactly as they read
//! the work orders), and dimension: `none`, `team`, `area` with the value;
//! the same summed over every unit (`all:…`), and over every unit and
//! category (`total:…`, for a caller who may see everything). The times to resolve are
//! a histogram to the second, so the median over any days is exact.
//!
//! A work order counts on up to five days: opened (`created_at`), resolved
//! (`resolved_at`), acknowledged (`acknowledged_at`), cancelled (its last
//! change) and its feedback's (`given_at`). Once it changes, the days its
//! row now shows are found by `updated_at`, and feedback by `given_at`; a
//! day it stops counting on without its row showing it (a reopen clears
//! `resolved_at`; a cancelled one changed again leaves its last change) is
//! noted in `work_order_day_moves` by the write itself.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{Grain, SummaryDimension};
use hotline_domain::report::{DaySummaryRun, ReportScope, Span, WorkOrderCounts, WorkOrderFact, WorkOrderGroup};
use hotline_domain::work_order::Status;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Statement, Value};
use uuid::Uuid;

use super::day_stats::{self, Level, SummaryRows, stored_dimension};
use super::day_upkeep::{self, DaySummary, insert_rows, local_slot, slot_pieces};
use super::sql::{self, Sql};
use crate::Db;
use crate::errors::{DbResult, lift};

/// The five facts, each counted by its own instant (see
/// [`WorkOrderFact::from_code`] for the codes).
const FACTS: [i64; 5] = [0, 1, 2, 3, 4];

/// `SELECT i, <columns>, r, x, m, n`: the work orders of each stretch of
/// `pieces` with fact `r` (a code of [`WorkOrderFact::from_code`]), counted
/// per stretch, `columns`, `x` and `m`; scoped as the work-order list is
/// when `scope` is given. The report and the summary both count through
/// this, so they count alike.
pub(super) fn facts_statement(
    backend: DbBackend,
    pieces: impl IntoIterator<Item = (i64, Span)>,
    r: i64,
    columns: &[&str],
    scope: Option<&ReportScope>,
) -> Statement {
    let mut s = Sql::new(backend);
    let null = "NULL".to_string();
    // The fact's instant, the tables it is read from, and what it counts.
    let (at, table, rest, x, m, filter) = match r {
        0 => ("w.created_at", "work_orders w", "", null.clone(), null, ""),
        1 => (
            "w.resolved_at",
            "work_orders w",
            "",
            s.seconds("w.resolved_at", "w.created_at"),
            "CASE WHEN w.resolution_due IS NULL THEN NULL WHEN w.resolved_at <= w.resolution_due THEN 1 ELSE 0 END"
                .to_string(),
            "",
        ),
        2 => (
            "w.acknowledged_at",
            "work_orders w",
            "",
            null,
            "CASE WHEN w.acknowledged_at <= w.response_due THEN 1 ELSE 0 END".to_string(),
            " AND w.response_due IS NOT NULL",
        ),
        // A cancelled work order's last change is its cancellation.
        3 => (
            "w.updated_at",
            "work_orders w",
            "",
            null.clone(),
            null,
            " AND w.status = 'cancelled'",
        ),
        _ => (
            "f.given_at",
            "work_order_feedback f",
            " JOIN work_orders w ON w.id = f.work_order_id",
            "f.score".to_string(),
            null,
            "",
        ),
    };
    s.push("WITH ").pieces(pieces);
    let (piece, from) = s.pieces_of(at, table, rest);
    let cols: String = columns.iter().map(|c| format!("{c}, ")).collect();
    s.push(&format!(
        " SELECT CAST({piece} AS BIGINT) AS i, {cols}CAST({r} AS BIGINT) AS r, CAST({x} AS BIGINT) AS x, \
         CAST({m} AS BIGINT) AS m, CAST(COUNT(*) AS BIGINT) AS n FROM {from} WHERE 1 = 1{filter}"
    ));
    s.within_pieces(at);
    if let Some(scope) = scope {
        s.unit_scope(scope, "w.unit_code", true);
        s.hidden_categories(scope, "w.category");
    }
    let group: Vec<String> = (1..=columns.len() + 1).map(|n| n.to_string()).collect();
    let (x_at, m_at) = (columns.len() + 3, columns.len() + 4);
    s.push(&format!(" GROUP BY {}, {x_at}, {m_at}", group.join(", ")));
    s.statement()
}

/// The fact of one row of [`facts_statement`], and how many work orders.
pub(super) fn fact(r: &QueryResult) -> StoreResult<(WorkOrderFact, u64)> {
    let code = sql::int(r, "r")?;
    let fact = WorkOrderFact::from_code(code, sql::opt_int(r, "x")?, sql::opt_int(r, "m")?)
        .ok_or_else(|| StoreError::Other(format!("work-order fact {code}")))?;
    Ok((fact, sql::count(r, "n")?))
}

/// [`facts_statement`] for every fact, on `conn` one after another.
async fn facts_in(conn: &impl ConnectionTrait, pieces: &[(i64, Span)], columns: &[&str]) -> DbResult<Vec<QueryResult>> {
    let mut all = Vec::new();
    for r in FACTS {
        let stmt = facts_statement(conn.get_database_backend(), pieces.iter().copied(), r, columns, None);
        all.extend(conn.query_all_raw(stmt).await?);
    }
    Ok(all)
}

/// [`facts_statement`] for every fact, scoped, run side by side (each on
/// its own connection; SQLite's WAL lets readers share the file), so they
/// take as long as the slowest rather than all of them in turn.
pub(super) async fn facts(
    db: &Db,
    pieces: &[(i64, Span)],
    columns: &[&str],
    scope: &ReportScope,
) -> DbResult<Vec<QueryResult>> {
    let backend = db.conn.get_database_backend();
    let run = |r: i64| {
        sql::rows(
            db,
            facts_statement(backend, pieces.iter().copied(), r, columns, Some(scope)),
        )
    };
    let (a, b, c, d, e) = tokio::try_join!(run(0), run(1), run(2), run(3), run(4))?;
    Ok([a, b, c, d, e].into_iter().flatten().collect())
}

pub(super) struct WorkOrderDays;

impl DaySummary for WorkOrderDays {
    const NAME: &'static str = "work_order";
    const GRAIN: Grain = Grain::Day;
    const FIRST: &'static str = "SELECT MIN(t) AS first FROM (\
        SELECT MIN(created_at) AS t FROM work_orders \
        UNION ALL SELECT MIN(resolved_at) AS t FROM work_orders \
        UNION ALL SELECT MIN(acknowledged_at) AS t FROM work_orders \
        UNION ALL SELECT MIN(given_at) AS t FROM work_order_feedback) x";

    /// The days a work order changed after `since` counts on (its row's
    /// days: opened, resolved, acknowledged, its last change, its
    /// feedback's), feedback given since, and the days work orders stopped
    /// counting on since (`work_order_day_moves`). Any range: the changes
    /// since the last look are few.
    fn changed_days_statement(
        backend: DbBackend,
        since: DateTime<Utc>,
        _from: Option<DateTime<Utc>>,
        _until: DateTime<Utc>,
        _wide: bool,
    ) -> Statement {
        let day = |col: &str| local_slot(backend, Self::GRAIN, col);
        // By (status, updated_at), one range per status: there is no index
        // on `updated_at` alone.
        let changed = match backend {
            DbBackend::Sqlite => "work_orders w INDEXED BY work_orders_status_updated_idx",
            _ => "work_orders w",
        };
        let mut s = Sql::new(backend);
        s.push(&format!(
            "WITH c AS (SELECT w.id, w.created_at, w.resolved_at, w.acknowledged_at, w.updated_at \
             FROM {changed} WHERE w.status IN "
        ));
        s.list(Status::ALL.iter().map(|st| st.as_str()));
        s.push(" AND w.updated_at > ").time(since);
        s.push(&format!(
            ") SELECT DISTINCT d FROM (\
             SELECT {} AS d FROM c UNION ALL SELECT {} AS d FROM c \
             UNION ALL SELECT {} AS d FROM c UNION ALL SELECT {} AS d FROM c \
             UNION ALL SELECT {} AS d FROM c JOIN work_order_feedback f ON f.work_order_id = c.id \
             UNION ALL SELECT {} AS d FROM work_order_feedback f WHERE f.given_at > ",
            day("c.created_at"),
            day("c.resolved_at"),
            day("c.acknowledged_at"),
            day("c.updated_at"),
            day("f.given_at"),
            day("f.given_at"),
        ))
        .time(since);
        s.push(&format!(
            " UNION ALL SELECT {} AS d FROM work_order_day_moves m WHERE m.at > ",
            day("m.was")
        ))
        .time(since);
        s.push(") x WHERE d IS NOT NULL");
        s.statement()
    }

    async fn recompute(txn: &DatabaseTransaction, days: &[i64]) -> DbResult<()> {
        let rows = facts_in(
            txn,
            &slot_pieces(Self::GRAIN, days)?,
            &[
                "w.unit_code AS u",
                "w.category AS cat",
                "w.team_code AS t",
                "w.area_code AS a",
            ],
        )
        .await?;
        let mut sums: HashMap<Key, WorkOrderCounts> = HashMap::new();
        for r in &rows {
            fold(&mut sums, r)?;
        }
        let rows = sums
            .into_iter()
            .map(|((day, unit, category, dimension, value), c)| {
                let values: [Value; 15] = [
                    day.into(),
                    unit.into(),
                    category.into(),
                    dimension.into(),
                    value.into(),
                    (c.opened as i64).into(),
                    (c.resolve_seconds.count() as i64).into(),
                    (c.resolutions_due as i64).into(),
                    (c.resolutions_met as i64).into(),
                    (c.responses_due as i64).into(),
                    (c.responses_met as i64).into(),
                    (c.cancelled as i64).into(),
                    (c.feedbacks as i64).into(),
                    (c.feedback_sum as i64).into(),
                    c.resolve_seconds.encode().into(),
                ];
                values
            })
            .collect();
        insert_rows(txn, "work_order_day_stats", COLUMNS, rows).await
    }

    /// Moves looked at are not needed again.
    async fn looked(txn: &DatabaseTransaction, since: DateTime<Utc>) -> DbResult<()> {
        let mut s = Sql::new(txn.get_database_backend());
        s.push("DELETE FROM work_order_day_moves WHERE at <= ").time(since);
        txn.execute_raw(s.statement()).await?;
        Ok(())
    }
}

const COLUMNS: &str = "day, unit_code, category, dimension, value, opened, resolved, resolutions_due, \
     resolutions_met, responses_due, responses_met, cancelled, feedbacks, feedback_sum, resolve_seconds";

/// One summary row's key: day, unit, category, dimension as stored (see
/// [`stored_dimension`]), its value.
type Key = (i64, Option<String>, Option<String>, &'static str, Option<String>);

/// Adds one row of facts to its summary rows: one per dimension and
/// [`Level`].
fn fold(sums: &mut HashMap<Key, WorkOrderCounts>, r: &QueryResult) -> StoreResult<()> {
    let (fact, n) = fact(r)?;
    let day = sql::int(r, "i")?;
    let unit = sql::text(r, "u")?;
    let category = sql::text(r, "cat")?;
    for (dimension, col) in [
        (SummaryDimension::None, None),
        (SummaryDimension::Team, Some("t")),
        (SummaryDimension::Area, Some("a")),
    ] {
        let value = match col {
            Some(c) => sql::text(r, c)?,
            None => None,
        };
        for (level, u, cat) in [
            (Level::Unit, unit.clone(), category.clone()),
            (Level::AllUnits, None, category.clone()),
            (Level::Total, None, None),
        ] {
            sums.entry((day, u, cat, stored_dimension(dimension, level), value.clone()))
                .or_default()
                .add(fact, n);
        }
    }
    Ok(())
}

/// The summary rows of `days` (keys, with their buckets) for the report's
/// grouping (day `k`, group `g`, the counts), scoped as the work-order list
/// is; [`add_read`] adds them up.
pub(super) async fn read(
    db: &Db,
    days: &[(usize, i64)],
    group_by: Option<WorkOrderGroup>,
    scope: &ReportScope,
) -> StoreResult<Vec<QueryResult>> {
    let group = match group_by {
        None => "CAST(NULL AS TEXT)",
        Some(WorkOrderGroup::Unit) => "unit_code",
        Some(WorkOrderGroup::Category) => "category",
        Some(WorkOrderGroup::Team | WorkOrderGroup::Area) => "value",
    };
    let what = SummaryRows {
        table: "work_order_day_stats",
        group,
        columns: "opened, resolutions_due, resolutions_met, responses_due, responses_met, cancelled, feedbacks, \
                  feedback_sum, resolve_seconds",
        or_unplaced: true,
        totals: scope.hidden_categories.is_empty() && group_by != Some(WorkOrderGroup::Category),
    };
    let Some(mut s) = day_stats::rows_statement(
        db.conn.get_database_backend(),
        what,
        Grain::Day,
        days,
        SummaryDimension::for_work_order_group(group_by),
        group_by == Some(WorkOrderGroup::Unit),
        scope,
    ) else {
        return Ok(Vec::new());
    };
    s.hidden_categories(scope, "category");
    Ok(sql::rows(db, s.statement()).await?)
}

/// Adds [`read`]'s rows to their buckets' counts (`bucket_of` a day key),
/// each day's times to resolve straight into its bucket's.
pub(super) fn add_read(
    rows: &[QueryResult],
    bucket_of: &HashMap<i64, usize>,
    sums: &mut HashMap<(usize, Option<String>), WorkOrderCounts>,
) -> StoreResult<()> {
    for r in rows {
        let Some(i) = bucket_of.get(&sql::int(r, "k")?) else {
            continue;
        };
        let c = sums.entry((*i, sql::text(r, "g")?)).or_default();
        c.opened += sql::count(r, "opened")?;
        c.resolutions_due += sql::count(r, "resolutions_due")?;
        c.resolutions_met += sql::count(r, "resolutions_met")?;
        c.responses_due += sql::count(r, "responses_due")?;
        c.responses_met += sql::count(r, "responses_met")?;
        c.cancelled += sql::count(r, "cancelled")?;
        c.feedbacks += sql::count(r, "feedbacks")?;
        c.feedback_sum += sql::count(r, "feedback_sum")?;
        let text = sql::text(r, "resolve_seconds")?.unwrap_or_default();
        c.resolve_seconds
            .add_encoded(&text)
            .map_err(|e| StoreError::Other(format!("resolve_seconds: {e}")))?;
    }
    Ok(())
}

/// Notes, inside a work order's write at `at`, the past instants it stops
/// counting at without its row showing them afterwards: its `resolved_at`
/// when `resolution_undone` (a reopen clears it), and its last change when
/// it is cancelled (the change moves its cancellation). Before the update.
pub(crate) async fn note_moves(
    conn: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
    resolution_undone: bool,
) -> DbResult<()> {
    let mut s = Sql::new(conn.get_database_backend());
    s.push("INSERT INTO work_order_day_moves (was, at) SELECT w.updated_at, ")
        .time(at)
        .push(" FROM work_orders w WHERE w.status = 'cancelled' AND w.id = ")
        .bind(id);
    if resolution_undone {
        s.push(" UNION ALL SELECT w.resolved_at, ")
            .time(at)
            .push(" FROM work_orders w WHERE w.resolved_at IS NOT NULL AND w.id = ")
            .bind(id);
    }
    conn.execute_raw(s.statement()).await?;
    Ok(())
}

impl Db {
    /// Drops the work-order summary: the report counts every day from the
    /// work orders until the next upkeep has summarised them again.
    pub async fn forget_work_order_day_summary(&self) -> StoreResult<()> {
        lift(day_upkeep::forget::<WorkOrderDays>(self)).await
    }

    /// Rebuilds the work-order summary, as of `now`, after a bulk load (see
    /// [`day_upkeep::rebuild`]).
    pub async fn rebuild_work_order_day_summary(&self, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
        day_upkeep::rebuild::<WorkOrderDays>(self, now).await
    }
}
