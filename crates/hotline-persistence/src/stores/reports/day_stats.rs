//! The per-local-day call summary (`call_day_stats`) as the call report
//! reads it: whole past days, kept exact by [`super::day_upkeep`].
//!
//! `call_day_summary.through_day` is the first day not summarised yet: every
//! day before it has its rows, except those listed in `call_day_dirty`
//! (changed since, waiting to be recomputed) and those with a call (or a
//! call's customer) changed after `call_day_summary.watermark`, which the
//! upkeep has not looked for yet. The report counts those days from the
//! calls, so a call is in every report once its write has answered, not
//! only after the next upkeep.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{SummaryDimension, day_from_key, day_key, day_span};
use hotline_domain::report::{CallCounts, ReportScope, Span, WaitHistogram};
use sea_orm::ConnectionTrait;

use super::day_upkeep::{changed_days, changed_days_statement};
use super::sql::{self, Sql};
use crate::Db;
use crate::errors::DbResult;

/// Which days the summary holds exactly.
#[derive(Debug, Clone, Default)]
pub(super) struct Summarised {
    through: Option<NaiveDate>,
    /// Days before `through` whose rows are out of date.
    stale: HashSet<NaiveDate>,
}

impl Summarised {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.through.is_some_and(|t| d < t) && !self.stale.contains(&d)
    }
}

pub(super) fn day(key: i64) -> StoreResult<NaiveDate> {
    day_from_key(key).ok_or_else(|| StoreError::Other(format!("summary day {key}")))
}

/// Which days of `range` the summary holds exactly: summarised, not waiting
/// to be recomputed, and without a call changed since the upkeep last
/// looked (or a call's customer, when `customers`: the report reads the
/// customer's unit or area).
pub(super) async fn summarised(db: &Db, range: Span, customers: bool) -> DbResult<Summarised> {
    let rows = db
        .conn
        .query_all_raw(sea_orm::Statement::from_string(
            db.conn.get_database_backend(),
            "SELECT through_day AS d, CAST(0 AS BIGINT) AS dirty, watermark AS w FROM call_day_summary WHERE id = 1 \
             UNION ALL SELECT day AS d, CAST(1 AS BIGINT) AS dirty, NULL AS w FROM call_day_dirty",
        ))
        .await?;
    let mut out = Summarised::default();
    let mut watermark = None;
    for r in rows {
        let Some(key) = sql::opt_int(&r, "d")? else { continue };
        if sql::int(&r, "dirty")? == 1 {
            out.stale.insert(day(key)?);
        } else {
            out.through = Some(day(key)?);
            watermark = r
                .try_get::<Option<DateTime<Utc>>>("", "w")
                .map_err(|e| StoreError::Other(format!("summary watermark: {e}")))?;
        }
    }
    let Some(through) = out.through else {
        return Ok(out);
    };
    let Some(since) = watermark else {
        // Never looked for changes: trust no day.
        return Ok(Summarised::default());
    };
    let until = day_span(through)
        .ok_or_else(|| StoreError::Other("summary day out of range".into()))?
        .start
        .min(range.end);
    if range.start < until {
        let stmt = changed_days_statement(
            db.conn.get_database_backend(),
            since,
            Some(range.start),
            until,
            customers,
        );
        out.stale.extend(changed_days(&sql::rows(db, stmt).await?)?);
    }
    Ok(out)
}

/// A dimension as stored: each day has its rows per customer's unit, for
/// unit-scoped callers and grouping by unit, and the same summed over every
/// unit (`all:` before the dimension, no unit), so an unscoped report reads
/// a tenth of the rows.
pub(super) fn stored_dimension(d: SummaryDimension, all_units: bool) -> &'static str {
    match (d, all_units) {
        (SummaryDimension::None, false) => "none",
        (SummaryDimension::Category, false) => "category",
        (SummaryDimension::Queue, false) => "queue",
        (SummaryDimension::Agent, false) => "agent",
        (SummaryDimension::Area, false) => "area",
        (SummaryDimension::None, true) => "all:none",
        (SummaryDimension::Category, true) => "all:category",
        (SummaryDimension::Queue, true) => "all:queue",
        (SummaryDimension::Agent, true) => "all:agent",
        (SummaryDimension::Area, true) => "all:area",
    }
}

/// The summary rows of `days` for one dimension, as (day, group, counts):
/// the group is the unit when `by_unit`, else the dimension's value (none
/// for [`SummaryDimension::None`]). Scoped by the customer's unit.
pub(super) async fn read(
    db: &Db,
    days: &[(usize, NaiveDate)],
    dimension: SummaryDimension,
    by_unit: bool,
    scope: &ReportScope,
) -> StoreResult<Vec<(i64, Option<String>, CallCounts)>> {
    let (Some(first), Some(last)) = (days.iter().map(|(_, d)| *d).min(), days.iter().map(|(_, d)| *d).max()) else {
        return Ok(Vec::new());
    };
    let group = match (dimension, by_unit) {
        (SummaryDimension::None, true) => "unit_code",
        (SummaryDimension::None, false) => "CAST(NULL AS TEXT)",
        _ => "value",
    };
    let mut s = Sql::new(db.conn.get_database_backend());
    s.push(&format!(
        "SELECT day, {group} AS g, offered, answered, missed, abandoned, blocked, talks, talk_sum, \
         answered_waits, unanswered_waits FROM call_day_stats WHERE dimension = "
    ));
    let all_units = scope.within_units.is_none() && !by_unit;
    s.bind(stored_dimension(dimension, all_units))
        .push(" AND day >= ")
        .bind(day_key(first))
        .push(" AND day <= ")
        .bind(day_key(last));
    s.unit_scope(scope, "unit_code", false);
    let rows = sql::rows(db, s.statement()).await?;
    rows.iter()
        .map(|r| {
            let histogram = |col: &str| -> StoreResult<WaitHistogram> {
                let text = sql::text(r, col)?.unwrap_or_default();
                WaitHistogram::decode(&text).map_err(|e| StoreError::Other(format!("{col}: {e}")))
            };
            let counts = CallCounts {
                offered: sql::count(r, "offered")?,
                answered: sql::count(r, "answered")?,
                missed: sql::count(r, "missed")?,
                abandoned: sql::count(r, "abandoned")?,
                blocked: sql::count(r, "blocked")?,
                talks: sql::count(r, "talks")?,
                talk_seconds_sum: sql::int(r, "talk_sum")?,
                answered_waits: histogram("answered_waits")?,
                unanswered_waits: histogram("unanswered_waits")?,
            };
            Ok((sql::int(r, "day")?, sql::text(r, "g")?, counts))
        })
        .collect()
}
