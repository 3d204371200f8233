//! Upkeep of the per-local-day call summary: marks the summarised days whose
//! calls (or their customers) changed, and recomputes them and the days that
//! have ended since the last pass. `call_day_summary.watermark` is how far
//! changes have been looked for: a call or a customer whose `updated_at` is
//! later marks its past day dirty (and until then, the report counts that
//! day from the calls).
//!
//! Each step runs in one transaction holding the summary row (`FOR UPDATE`
//! on PostgreSQL, the write lock on SQLite), so replicas take turns and
//! none writes a day from an older reading than another's.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::days::{SummaryDimension, day_key, day_span, local_date};
use hotline_domain::report::{CallCounts, CallKind, DaySummaryRun};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, TransactionTrait, Value};

use super::calls::push_facts;
use super::day_stats::{day, stored_dimension};
use super::sql::{self, Sql};
use crate::Db;
use crate::errors::{DbResult, lift};

/// How long a write may take to commit after stamping `updated_at` (and
/// how far replicas' clocks may disagree): changes are looked for again
/// this far behind the last look, so a late commit is not missed.
pub const GRACE: TimeDelta = TimeDelta::seconds(60);
/// Days (re)computed per transaction: short enough not to hold SQLite's
/// write lock for long.
pub const BATCH_DAYS: usize = 7;
/// Summary rows per INSERT (14 values each).
const ROWS_PER_INSERT: usize = 500;

/// One pass: marks the changed past days, then (re)computes dirty and newly
/// ended days a batch at a time until none is left.
pub(super) async fn upkeep(db: &Db, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
    let changed = mark_changed(db, now).await?;
    let mut summarised = 0;
    loop {
        let n = summarise_batch(db, now).await?;
        if n == 0 {
            break;
        }
        summarised += n;
    }
    Ok(DaySummaryRun { changed, summarised })
}

struct State {
    through: Option<NaiveDate>,
    watermark: Option<DateTime<Utc>>,
}

/// Takes the summary row for the transaction and reads it.
async fn lock(txn: &DatabaseTransaction) -> DbResult<State> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT through_day, watermark FROM call_day_summary WHERE id = 1 FOR UPDATE",
        _ => {
            // Writing first makes this SQLite's writer before it reads.
            txn.execute_unprepared("UPDATE call_day_summary SET id = id WHERE id = 1")
                .await?;
            "SELECT through_day, watermark FROM call_day_summary WHERE id = 1"
        }
    };
    let row = txn
        .query_one_raw(sea_orm::Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| StoreError::Other("the call summary row is missing".into()))?;
    Ok(State {
        through: sql::opt_int(&row, "through_day")?.map(day).transpose()?,
        watermark: row
            .try_get::<Option<DateTime<Utc>>>("", "watermark")
            .map_err(|e| StoreError::Other(format!("summary watermark: {e}")))?,
    })
}

/// The local day number (days since 1970-01-01 at +07:00, Vietnam's offset
/// since 1975) of `col`, in SQL.
fn local_epoch_day(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(FLOOR((EXTRACT(EPOCH FROM {col}) + 25200) / 86400) AS BIGINT)"),
        // Milliseconds first, as integers, so no rounding error moves a
        // call across midnight.
        _ => format!("((CAST(ROUND((julianday({col}) - 2440587.5) * 86400000) AS INTEGER) + 25200000) / 86400000)"),
    }
}

fn from_epoch_day(n: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    if n >= 0 {
        epoch.checked_add_days(Days::new(n as u64))
    } else {
        epoch.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// The local days of the calls started in `[from, until)` (from the first
/// call when `from` is None) that changed after `since`, or whose customer
/// did when `customers`; one row `d` (a local epoch day) each. The upkeep
/// marks these days dirty; a report counts them from the calls until then.
pub(super) fn changed_days_statement(
    backend: DbBackend,
    since: DateTime<Utc>,
    from: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    customers: bool,
) -> sea_orm::Statement {
    let d = local_epoch_day(backend, "c.started_at");
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

/// The days of [`changed_days_statement`]'s rows, sorted, each once.
pub(super) fn changed_days(rows: &[QueryResult]) -> StoreResult<Vec<NaiveDate>> {
    let mut days = Vec::with_capacity(rows.len());
    for r in rows {
        let n = sql::int(r, "d")?;
        days.push(from_epoch_day(n).ok_or_else(|| StoreError::Other(format!("epoch day {n}")))?);
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Marks the summarised days with a call, or a call's customer, changed
/// after the watermark, and moves the watermark to `now` less [`GRACE`].
async fn mark_changed(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock(&txn).await?;
    let backend = txn.get_database_backend();
    let mut changed = 0;
    if let (Some(through), Some(since)) = (state.through, state.watermark) {
        let until = day_span(through)
            .ok_or_else(|| StoreError::Other("summary day out of range".into()))?
            .start;
        let stmt = changed_days_statement(backend, since, None, until, true);
        let rows = txn.query_all_raw(stmt).await?;
        let days: Vec<i64> = changed_days(&rows)?.into_iter().map(day_key).collect();
        changed = days.len();
        for chunk in days.chunks(ROWS_PER_INSERT) {
            let mut s = Sql::new(backend);
            s.push("INSERT INTO call_day_dirty (day) VALUES ");
            for (i, key) in chunk.iter().enumerate() {
                s.push(if i > 0 { ", (" } else { "(" }).bind(*key).push(")");
            }
            s.push(" ON CONFLICT (day) DO NOTHING");
            txn.execute_raw(s.statement()).await?;
        }
    }
    // `now` less the grace on every tick, even when that is behind the
    // stored watermark (after a rebuild, or a tick of a replica whose clock
    // runs ahead): a write stamped by a slower clock, or committed late, is
    // then still looked at. The price is a minute after a bulk load in
    // which reports count the load's days from the calls.
    let next = now - GRACE;
    let mut s = Sql::new(backend);
    s.push("UPDATE call_day_summary SET watermark = ")
        .time(next)
        .push(" WHERE id = 1");
    txn.execute_raw(s.statement()).await?;
    txn.commit().await?;
    Ok(changed)
}

/// Recomputes up to [`BATCH_DAYS`] days: dirty ones first, then those that
/// ended since `through_day` (never today). Answers how many.
async fn summarise_batch(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock(&txn).await?;
    let backend = txn.get_database_backend();
    let today = local_date(now);
    let dirty_rows = txn
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            format!("SELECT day FROM call_day_dirty ORDER BY day LIMIT {BATCH_DAYS}"),
        ))
        .await?;
    let dirty: Vec<NaiveDate> = dirty_rows
        .iter()
        .map(|r| sql::int(r, "day").and_then(day))
        .collect::<StoreResult<_>>()?;
    let from = match state.through {
        Some(t) => t,
        None => first_call_day(&txn).await?.unwrap_or(today).min(today),
    };
    let mut fresh = Vec::new();
    let mut d = from;
    while d < today && dirty.len() + fresh.len() < BATCH_DAYS {
        fresh.push(d);
        d = d
            .checked_add_days(Days::new(1))
            .ok_or_else(|| StoreError::Other("summary day out of range".into()))?;
    }
    let through = d;
    let days: Vec<NaiveDate> = dirty.iter().chain(&fresh).copied().collect();
    if !days.is_empty() {
        recompute(&txn, &days).await?;
    }
    if !dirty.is_empty() {
        let mut s = Sql::new(backend);
        s.push("DELETE FROM call_day_dirty WHERE day IN ")
            .list_int(dirty.iter().map(|d| day_key(*d)));
        txn.execute_raw(s.statement()).await?;
    }
    if state.through != Some(through) {
        let mut s = Sql::new(backend);
        s.push("UPDATE call_day_summary SET through_day = ")
            .bind(day_key(through))
            .push(" WHERE id = 1");
        txn.execute_raw(s.statement()).await?;
    }
    txn.commit().await?;
    Ok(days.len())
}

async fn first_call_day(txn: &DatabaseTransaction) -> DbResult<Option<NaiveDate>> {
    let row = txn
        .query_one_raw(sea_orm::Statement::from_string(
            txn.get_database_backend(),
            "SELECT MIN(started_at) AS first FROM calls WHERE direction = 'inbound'",
        ))
        .await?;
    let first = match row {
        Some(r) => r
            .try_get::<Option<DateTime<Utc>>>("", "first")
            .map_err(|e| StoreError::Other(format!("first call: {e}")))?,
        None => None,
    };
    Ok(first.map(local_date))
}

/// One summary row's key: day, customer's unit, dimension as stored (see
/// [`stored_dimension`]), its value.
type Key = (i64, Option<String>, &'static str, Option<String>);

/// Deletes and rewrites the rows of `days` from their calls.
async fn recompute(txn: &DatabaseTransaction, days: &[NaiveDate]) -> DbResult<()> {
    let backend = txn.get_database_backend();
    let keys: Vec<i64> = days.iter().map(|d| day_key(*d)).collect();
    let mut s = Sql::new(backend);
    s.push("DELETE FROM call_day_stats WHERE day IN ")
        .list_int(keys.iter().copied());
    txn.execute_raw(s.statement()).await?;

    let mut s = Sql::new(backend);
    let pieces = days
        .iter()
        .map(|d| {
            day_span(*d)
                .map(|span| (day_key(*d), span))
                .ok_or_else(|| StoreError::Other("summary day out of range".into()))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    s.push("WITH ").pieces(pieces);
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
    let rows: Vec<(Key, CallCounts)> = sums.into_iter().collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut s = Sql::new(backend);
        s.push(
            "INSERT INTO call_day_stats (day, unit_code, dimension, value, offered, answered, missed, \
             abandoned, blocked, waits, wait_sum, talks, talk_sum, answered_waits, unanswered_waits) VALUES ",
        );
        for (n, ((day, unit, dimension, value), c)) in chunk.iter().enumerate() {
            let waits = c.answered_waits.calls() + c.unanswered_waits.calls();
            let wait_sum = c.answered_waits.seconds_sum() + c.unanswered_waits.seconds_sum();
            let values: [Value; 15] = [
                (*day).into(),
                unit.clone().into(),
                (*dimension).into(),
                value.clone().into(),
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
            s.push(if n > 0 { ", (" } else { "(" });
            for (j, v) in values.into_iter().enumerate() {
                if j > 0 {
                    s.push(", ");
                }
                s.bind(v);
            }
            s.push(")");
        }
        txn.execute_raw(s.statement()).await?;
    }
    Ok(())
}

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
        sums.entry((day, None, stored_dimension(dimension, true), value.clone()))
            .or_default()
            .add(kind, wait, 1, talks, talk);
        sums.entry((day, unit.clone(), stored_dimension(dimension, false), value))
            .or_default()
            .add(kind, wait, 1, talks, talk);
    }
    Ok(())
}

impl Db {
    /// Drops the call summary: the report counts every day from the calls
    /// until the next upkeep has summarised them again.
    pub async fn forget_call_day_summary(&self) -> StoreResult<()> {
        lift(async move {
            let txn = self.conn.begin().await?;
            for sql in [
                "UPDATE call_day_summary SET through_day = NULL, watermark = NULL WHERE id = 1",
                "DELETE FROM call_day_dirty",
                "DELETE FROM call_day_stats",
            ] {
                txn.execute_unprepared(sql).await?;
            }
            txn.commit().await?;
            Ok(())
        })
        .await
    }

    /// Rebuilds the call summary from the calls, as of `now`, after a bulk
    /// load (whose rows keep their own `updated_at`, which the watermark
    /// cannot judge). With no other writer during the load, every row is
    /// in the rebuild, so the watermark is `now` itself: the first ticks
    /// after it recompute nothing the load wrote.
    pub async fn rebuild_call_day_summary(&self, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
        lift(async move {
            self.forget_call_day_summary().await?;
            let run = upkeep(self, now).await?;
            let mut s = Sql::new(self.conn.get_database_backend());
            s.push("UPDATE call_day_summary SET watermark = ")
                .time(now)
                .push(" WHERE id = 1");
            self.conn.execute_raw(s.statement()).await?;
            Ok(run)
        })
        .await
    }
}
