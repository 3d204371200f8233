//! The per-local-day summaries (`call_day_stats`, `work_order_day_stats`)
//! and the calls' per-local-hour one (`call_hour_stats`) as the reports
//! read them: whole past slots, kept exact by [`super::day_upkeep`].
//!
//! `<name>_<grain>_summary.through_<grain>` is the first slot not
//! summarised yet: every slot before it (from `from_<grain>` on, for a
//! summary that keeps its last days only) has its rows, except those listed
//! in `<name>_<grain>_dirty` (changed since, waiting to be recomputed) and
//! those with a row (a call or a call's customer; a work order or its
//! feedback) changed after `<name>_<grain>_summary.watermark`, which the
//! upkeep has not looked for yet. The report counts those slots from the
//! rows, so a write is in every report once it has answered, not only
//! after the next upkeep.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{Grain, SummaryDimension};
use hotline_domain::report::{CallCounts, ReportScope, SecondsHistogram, Span};
use sea_orm::ConnectionTrait;

use super::day_upkeep::{DaySummary, changed_slots, from_column, slot_start, table};
use super::sql::{self, Sql};
use crate::Db;
use crate::errors::DbResult;

/// Which slots (by key) the summary holds exactly.
#[derive(Debug, Clone, Default)]
pub(super) struct Summarised {
    from: Option<i64>,
    through: Option<i64>,
    /// Slots before `through` whose rows are out of date.
    pub stale: HashSet<i64>,
}

impl Summarised {
    pub fn covers(&self, key: i64) -> bool {
        self.through.is_some_and(|t| key < t) && self.from.is_none_or(|f| key >= f) && !self.stale.contains(&key)
    }
}

/// What a summary's state row and dirty list say it holds, before any look
/// for rows changed since its watermark: the slots and the watermark; None
/// when it vouches for nothing (never summarised, or never looked for
/// changes).
pub(super) async fn held<S: DaySummary>(db: &Db) -> DbResult<Option<(Summarised, DateTime<Utc>)>> {
    let g = S::GRAIN.name();
    let rows = db
        .conn
        .query_all_raw(sea_orm::Statement::from_string(
            db.conn.get_database_backend(),
            format!(
                "SELECT through_{g} AS d, {} AS f, CAST(0 AS BIGINT) AS dirty, watermark AS w FROM {} WHERE id = 1 \
                 UNION ALL SELECT {g} AS d, NULL AS f, CAST(1 AS BIGINT) AS dirty, NULL AS w FROM {}",
                from_column::<S>(),
                table::<S>("summary"),
                table::<S>("dirty")
            ),
        ))
        .await?;
    let mut out = Summarised::default();
    let mut watermark = None;
    for r in rows {
        let Some(key) = sql::opt_int(&r, "d")? else { continue };
        if sql::int(&r, "dirty")? == 1 {
            out.stale.insert(key);
        } else {
            out.through = Some(key);
            out.from = sql::opt_int(&r, "f")?;
            watermark = r
                .try_get::<Option<DateTime<Utc>>>("", "w")
                .map_err(|e| StoreError::Other(format!("summary watermark: {e}")))?;
        }
    }
    Ok(match (out.through, watermark) {
        (Some(_), Some(since)) => Some((out, since)),
        _ => None,
    })
}

impl Summarised {
    /// Where in `range` its slots of `grain` lie: rows changed there since
    /// the watermark make their slots stale.
    pub fn lies_in(&self, grain: Grain, range: Span) -> DbResult<Option<Span>> {
        let Some(through) = self.through else { return Ok(None) };
        let end = slot_start(grain, through)?.min(range.end);
        let start = match self.from {
            Some(f) => slot_start(grain, f)?.max(range.start),
            None => range.start,
        };
        Ok((start < end).then_some(Span { start, end }))
    }
}

/// Which slots of `range` the summary holds exactly: summarised, not
/// waiting to be recomputed, and without a row changed since the upkeep
/// last looked (`wide`: see [`DaySummary::changed_days_statement`]).
pub(super) async fn summarised<S: DaySummary>(db: &Db, range: Span, wide: bool) -> DbResult<Summarised> {
    let Some((mut out, since)) = held::<S>(db).await? else {
        return Ok(Summarised::default());
    };
    if let Some(span) = out.lies_in(S::GRAIN, range)? {
        let stmt = S::changed_days_statement(db.conn.get_database_backend(), since, Some(span.start), span.end, wide);
        out.stale.extend(changed_slots(S::GRAIN, &sql::rows(db, stmt).await?)?);
    }
    Ok(out)
}

/// Which summary rows of a day: per unit (a call's customer's, a work
/// order's own), for unit-scoped callers and grouping by unit; summed over
/// every unit (`all:` before the dimension, no unit), so an unscoped report
/// reads a tenth of the rows; and, for work orders, whose rows are also per
/// category (for hidden categories), summed over units and categories
/// (`total:`), for a caller who may see everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Unit,
    AllUnits,
    Total,
}

/// A dimension as stored at a level.
pub(super) fn stored_dimension(d: SummaryDimension, level: Level) -> &'static str {
    const NAMES: [[&str; 6]; 3] = [
        ["none", "category", "queue", "agent", "area", "team"],
        [
            "all:none",
            "all:category",
            "all:queue",
            "all:agent",
            "all:area",
            "all:team",
        ],
        [
            "total:none",
            "total:category",
            "total:queue",
            "total:agent",
            "total:area",
            "total:team",
        ],
    ];
    let column = match d {
        SummaryDimension::None => 0,
        SummaryDimension::Category => 1,
        SummaryDimension::Queue => 2,
        SummaryDimension::Agent => 3,
        SummaryDimension::Area => 4,
        SummaryDimension::Team => 5,
    };
    NAMES[level as usize][column]
}

/// What a report reads of a summary: `SELECT <slot> AS k, <group> AS g,
/// <columns> FROM <table>`, scoped by unit (`or_unplaced`: as [`Sql::unit_scope`]).
pub(super) struct SummaryRows<'a> {
    pub table: &'a str,
    pub group: &'a str,
    pub columns: &'a str,
    pub or_unplaced: bool,
    /// The summary has [`Level::Total`] rows, and the report may read them
    /// (it hides no category and is not grouped by one).
    pub totals: bool,
}

/// The summary rows of the slots `keys` for one dimension, at the level
/// `scope` and `by_unit` need (every unit's own rows for a unit-scoped
/// caller or grouping by unit, the rows summed over units otherwise). None
/// without slots.
pub(super) fn rows_statement(
    backend: sea_orm::DbBackend,
    what: SummaryRows<'_>,
    grain: Grain,
    keys: &[(usize, i64)],
    dimension: SummaryDimension,
    by_unit: bool,
    scope: &ReportScope,
) -> Option<Sql> {
    let first = keys.iter().map(|(_, k)| *k).min()?;
    let last = keys.iter().map(|(_, k)| *k).max()?;
    let g = grain.name();
    let mut s = Sql::new(backend);
    s.push(&format!(
        "SELECT {g} AS k, {} AS g, {} FROM {} WHERE dimension = ",
        what.group, what.columns, what.table
    ));
    let level = match (scope.within_units.is_none() && !by_unit, what.totals) {
        (false, _) => Level::Unit,
        (true, false) => Level::AllUnits,
        (true, true) => Level::Total,
    };
    s.bind(stored_dimension(dimension, level))
        .push(&format!(" AND {g} >= "))
        .bind(first)
        .push(&format!(" AND {g} <= "))
        .bind(last);
    s.unit_scope(scope, "unit_code", what.or_unplaced);
    Some(s)
}

/// A histogram column of a summary row.
pub(super) fn histogram(r: &sea_orm::QueryResult, col: &str) -> StoreResult<SecondsHistogram> {
    let text = sql::text(r, col)?.unwrap_or_default();
    SecondsHistogram::decode(&text).map_err(|e| StoreError::Other(format!("{col}: {e}")))
}

/// The call summary rows of the slots `keys` (days or hours) for one
/// dimension, as (slot key, group, counts): the group is the unit when
/// `by_unit`, else the dimension's value (none for
/// [`SummaryDimension::None`]). Scoped by the customer's unit.
pub(super) async fn read(
    db: &Db,
    grain: Grain,
    keys: &[(usize, i64)],
    dimension: SummaryDimension,
    by_unit: bool,
    scope: &ReportScope,
) -> StoreResult<Vec<(i64, Option<String>, CallCounts)>> {
    let group = match (dimension, by_unit) {
        (SummaryDimension::None, true) => "unit_code",
        (SummaryDimension::None, false) => "CAST(NULL AS TEXT)",
        _ => "value",
    };
    let table = format!("call_{}_stats", grain.name());
    let what = SummaryRows {
        table: &table,
        group,
        columns: "offered, answered, missed, abandoned, blocked, talks, talk_sum, answered_waits, unanswered_waits",
        or_unplaced: false,
        totals: false,
    };
    let Some(s) = rows_statement(
        db.conn.get_database_backend(),
        what,
        grain,
        keys,
        dimension,
        by_unit,
        scope,
    ) else {
        return Ok(Vec::new());
    };
    let rows = sql::rows(db, s.statement()).await?;
    rows.iter()
        .map(|r| {
            let counts = CallCounts {
                offered: sql::count(r, "offered")?,
                answered: sql::count(r, "answered")?,
                missed: sql::count(r, "missed")?,
                abandoned: sql::count(r, "abandoned")?,
                blocked: sql::count(r, "blocked")?,
                talks: sql::count(r, "talks")?,
                talk_seconds_sum: sql::int(r, "talk_sum")?,
                answered_waits: histogram(r, "answered_waits")?,
                unanswered_waits: histogram(r, "unanswered_waits")?,
            };
            Ok((sql::int(r, "k")?, sql::text(r, "g")?, counts))
        })
        .collect()
}
