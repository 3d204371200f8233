//! The call summaries, per local day (`call_day_stats`, every day), per
//! local hour (`call_hour_stats`, today and the [`HOUR_DAYS`] days before)
//! and per five local minutes (`call_five_minutes_stats`, today and the
//! [`FIVE_MINUTE_DAYS`] before): how their rows are counted and how changed
//! calls (and customers) are found; the upkeep and the report's reading
//! are [`super::day_upkeep`] and [`super::day_stats`]. All three count
//! alike; only the slot differs.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{Grain, SummaryDimension};
use hotline_domain::report::{CallCounts, CallKind, DaySummaryRun};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Value};

use super::calls::push_facts;
use super::day_stats::{Level, stored_dimension};
use super::day_upkeep::{self, DaySummary, insert_rows, local_slot, slot_pieces};
use super::sql::{self, Sql};
use crate::Db;
use crate::errors::lift;

/// The calls by the local day, every day.
pub(super) struct CallDays;

/// The calls by the local hour, for today and the days before it: a
/// report's today (or a day by the hour) reads its past hours from here.
pub(super) struct CallHours;

/// The calls by five local minutes, for today and yesterday: what no whole
/// hour covers (the current hour so far) reads from here, and only the
/// current five minutes are counted from the calls.
pub(super) struct CallFiveMinutes;

/// How many days before today the hour summary keeps.
pub const HOUR_DAYS: u64 = 7;
/// How many days before today the five-minute summary keeps.
pub const FIVE_MINUTE_DAYS: u64 = 1;

const FIRST_CALL: &str = "SELECT MIN(started_at) AS first FROM calls WHERE direction = 'inbound'";

/// A call summary by `$grain` slots: only the slot, how long they are kept
/// and whether a slot still changing waits (`$quiet`) differ; counting and
/// finding changes are the same for all.
macro_rules! call_summary {
    ($name:ident, $grain:expr, $keep:expr, $quiet:expr) => {
        impl DaySummary for $name {
            const NAME: &'static str = "call";
            const GRAIN: Grain = $grain;
            const KEEP_DAYS: Option<u64> = $keep;
            const WAITS_FOR_QUIET: bool = $quiet;
            const FIRST: &'static str = FIRST_CALL;

            fn changed_days_statement(
                backend: DbBackend,
                since: DateTime<Utc>,
                from: Option<DateTime<Utc>>,
                until: DateTime<Utc>,
                customers: bool,
            ) -> sea_orm::Statement {
                changed_statement(backend, Self::GRAIN, since, from, until, customers)
            }

            async fn recompute(txn: &DatabaseTransaction, keys: &[i64]) -> crate::errors::DbResult<()> {
                recompute(txn, Self::GRAIN, keys).await
            }
        }
    };
}

call_summary!(CallDays, Grain::Day, None, false);
call_summary!(CallHours, Grain::Hour, Some(HOUR_DAYS), true);
call_summary!(CallFiveMinutes, Grain::FiveMinutes, Some(FIVE_MINUTE_DAYS), true);

/// The slots of the calls that changed, or whose customer did when
/// `customers` (the report reads the customer's unit or area).
fn changed_statement(
    backend: DbBackend,
    grain: Grain,
    since: DateTime<Utc>,
    from: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    customers: bool,
) -> sea_orm::Statement {
    let d = local_slot(backend, grain, "c.started_at");
    let mut s = Sql::new(backend);
    let started = |s: &mut Sql| {
        if let Some(from) = from {
            s.push(" AND c.started_at >= ").time(from);
        }
        s.push(" AND c.started_at < ").time(until);
    };
    // On SQLite, a report's range of `started_at` would otherwise lead the
    // planner to the start index and a read of every call of the range
    // (15 ms to 40 ms a month); the changes since the last look are few.
    let calls = match backend {
        DbBackend::Sqlite => "calls c INDEXED BY calls_updated_idx",
        _ => "calls c",
    };
    s.push(&format!("SELECT DISTINCT {d} AS d FROM {calls} WHERE c.updated_at > "))
        .time(since);
    started(&mut s);
    if customers {
        // The same on SQLite for the customers changed since: from them, by
        // their update index, to their calls by the customer index.
        let changed = match backend {
            DbBackend::Sqlite => {
                "customers cu INDEXED BY customers_updated_idx \
                                      JOIN calls c INDEXED BY calls_customer_idx"
            }
            _ => "customers cu JOIN calls c",
        };
        s.push(&format!(
            " UNION SELECT DISTINCT {d} AS d FROM {changed} ON c.customer_code = cu.code \
                 WHERE cu.updated_at > "
        ))
        .time(since);
        started(&mut s);
    }
    s.statement()
}

/// Writes the summary rows of the slots `keys`, whose old rows are gone.
async fn recompute(txn: &DatabaseTransaction, grain: Grain, keys: &[i64]) -> crate::errors::DbResult<()> {
    let backend = txn.get_database_backend();
    let mut s = Sql::new(backend);
    s.push("WITH ").pieces(slot_pieces(grain, keys)?);
    push_facts(
        &mut s,
        "cu.unit_code AS u, c.category AS cat, c.queue AS q, c.agent AS a, cu.area_code AS ar",
        true,
    );
    s.push(") SELECT CAST(i AS BIGINT) AS i, u, cat, q, a, ar, CAST(k AS BIGINT) AS k, CAST(w AS BIGINT) AS w, CAST(t AS BIGINT) AS t FROM f");
    let rows = txn.query_all_raw(s.statement()).await?;

    let mut sums: HashMap<Key, CallCounts> = HashMap::new();
    for r in &rows {
        fold(&mut sums, r)?;
    }
    let rows = sums
        .into_iter()
        .map(|((day, unit, dimension, value), c)| {
            let waits = c.answered_waits.count() + c.unanswered_waits.count();
            let wait_sum = c.answered_waits.seconds_sum() + c.unanswered_waits.seconds_sum();
            let values: [Value; 15] = [
                day.into(),
                unit.into(),
                dimension.into(),
                value.into(),
                (c.offered as i64).into(),
                (c.answered as i64).into(),
                (c.missed as i64).into(),
                (c.abandoned as i64).into(),
                (c.blocked as i64).into(),
                (waits as i64).into(),
                wait_sum.into(),
                (c.talks as i64).into(),
                c.talk_seconds_sum.into(),
                c.answered_waits.encode().into(),
                c.unanswered_waits.encode().into(),
            ];
            values
        })
        .collect();
    insert_rows(
        txn,
        &format!("call_{}_stats", grain.name()),
        &format!(
            "{}, unit_code, dimension, value, offered, answered, missed, abandoned, blocked, waits, \
                 wait_sum, talks, talk_sum, answered_waits, unanswered_waits",
            grain.name()
        ),
        rows,
    )
    .await
}

/// One summary row's key: day, customer's unit, dimension as stored (see
/// [`stored_dimension`]), its value.
type Key = (i64, Option<String>, &'static str, Option<String>);

/// Adds one call to its rows: one per dimension.
fn fold(sums: &mut HashMap<Key, CallCounts>, r: &QueryResult) -> StoreResult<()> {
    let k = sql::int(r, "k")?;
    let kind = CallKind::from_code(k).ok_or_else(|| StoreError::Other(format!("call kind {k}")))?;
    let day = sql::int(r, "i")?;
    let unit = sql::text(r, "u")?;
    let wait = sql::opt_int(r, "w")?;
    let talk = sql::opt_int(r, "t")?;
    for (dimension, col) in [
        (SummaryDimension::None, None),
        (SummaryDimension::Category, Some("cat")),
        (SummaryDimension::Queue, Some("q")),
        (SummaryDimension::Agent, Some("a")),
        (SummaryDimension::Area, Some("ar")),
    ] {
        let value = match col {
            Some(c) => sql::text(r, c)?,
            None => None,
        };
        let talks = u64::from(talk.is_some());
        let talk = talk.unwrap_or(0);
        sums.entry((day, None, stored_dimension(dimension, Level::AllUnits), value.clone()))
            .or_default()
            .add(kind, wait, 1, talks, talk);
        sums.entry((day, unit.clone(), stored_dimension(dimension, Level::Unit), value))
            .or_default()
            .add(kind, wait, 1, talks, talk);
    }
    Ok(())
}

impl Db {
    /// Drops the call summaries (by day and by hour): the report counts
    /// every call from the calls until the next upkeep has summarised them
    /// again.
    pub async fn forget_call_day_summary(&self) -> StoreResult<()> {
        lift(day_upkeep::forget::<CallDays>(self)).await?;
        lift(day_upkeep::forget::<CallHours>(self)).await?;
        lift(day_upkeep::forget::<CallFiveMinutes>(self)).await
    }

    /// Rebuilds the call summaries from the calls, as of `now`, after a
    /// bulk load (see [`day_upkeep::rebuild`]).
    pub async fn rebuild_call_day_summary(&self, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
        let days = day_upkeep::rebuild::<CallDays>(self, now).await?;
        let hours = day_upkeep::rebuild::<CallHours>(self, now).await?;
        let fives = day_upkeep::rebuild::<CallFiveMinutes>(self, now).await?;
        Ok(days.plus(hours).plus(fives))
    }
}
