//! Upkeep of a per-local-day summary (the calls' and the work orders'):
//! marks the summarised days whose rows changed, and recomputes them and the
//! days that have ended since the last pass. `<name>_day_summary.watermark`
//! is how far changes have been looked for: a row whose last change is
//! later marks its past days dirty (and until then, the report counts those
//! days from the rows).
//!
//! Each step runs in one transaction holding the summary row (`FOR UPDATE`
//! on PostgreSQL, the write lock on SQLite), so replicas take turns and
//! none writes a day from an older reading than another's.

use std::future::Future;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::DaySummaryRun;
use hotline_domain::report::days::{day_key, day_span, local_date};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Statement, TransactionTrait, Value};

use super::day_stats::day;
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
/// Summary rows per INSERT.
pub(super) const ROWS_PER_INSERT: usize = 500;

/// One per-local-day summary: its tables (`<NAME>_day_stats`, `_summary`,
/// `_dirty`), how its rows are counted, and how changes are found.
pub(super) trait DaySummary: Send + Sync {
    const NAME: &'static str;

    /// The local days (epoch days `d`, see [`local_epoch_day`]) of the rows
    /// changed after `since` that count in `[from, until)` (from the first
    /// when `from` is None); `wide`: also those of a changed row they are
    /// counted by (a call's customer), when the report reads it. The
    /// upkeep marks these days dirty; a report counts them from the rows
    /// until then. May answer days outside the range.
    fn changed_days_statement(
        backend: DbBackend,
        since: DateTime<Utc>,
        from: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        wide: bool,
    ) -> Statement;

    /// `first`: the earliest instant anything counts at (none without rows).
    const FIRST: &'static str;

    /// Writes the summary rows of `days`, whose old rows are gone.
    fn recompute(txn: &DatabaseTransaction, days: &[NaiveDate]) -> impl Future<Output = DbResult<()>> + Send;

    /// Once the changes after `since` are marked: forgets what no later
    /// look needs.
    fn looked(txn: &DatabaseTransaction, since: DateTime<Utc>) -> impl Future<Output = DbResult<()>> + Send {
        let _ = (txn, since);
        async { Ok(()) }
    }
}

pub(super) fn table<S: DaySummary>(what: &str) -> String {
    format!("{}_day_{what}", S::NAME)
}

/// One pass: marks the changed past days, then (re)computes dirty and newly
/// ended days a batch at a time until none is left.
pub(super) async fn upkeep<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
    let changed = mark_changed::<S>(db, now).await?;
    let mut summarised = 0;
    loop {
        let n = summarise_batch::<S>(db, now).await?;
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
async fn lock<S: DaySummary>(txn: &DatabaseTransaction) -> DbResult<State> {
    let backend = txn.get_database_backend();
    let summary = table::<S>("summary");
    let read = format!("SELECT through_day, watermark FROM {summary} WHERE id = 1");
    let sql = match backend {
        DbBackend::Postgres => format!("{read} FOR UPDATE"),
        _ => {
            // Writing first makes this SQLite's writer before it reads.
            txn.execute_unprepared(&format!("UPDATE {summary} SET id = id WHERE id = 1"))
                .await?;
            read
        }
    };
    let row = txn
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| StoreError::Other(format!("the {summary} row is missing")))?;
    Ok(State {
        through: sql::opt_int(&row, "through_day")?.map(day).transpose()?,
        watermark: row
            .try_get::<Option<DateTime<Utc>>>("", "watermark")
            .map_err(|e| StoreError::Other(format!("summary watermark: {e}")))?,
    })
}

/// The local day number (days since 1970-01-01 at +07:00, Vietnam's offset
/// since 1975) of `col`, in SQL.
pub(super) fn local_epoch_day(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(FLOOR((EXTRACT(EPOCH FROM {col}) + 25200) / 86400) AS BIGINT)"),
        // Milliseconds first, as integers, so no rounding error moves a
        // row across midnight.
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

/// The days of [`DaySummary::changed_days_statement`]'s rows, sorted, each
/// once (a null is no day).
pub(super) fn changed_days(rows: &[QueryResult]) -> StoreResult<Vec<NaiveDate>> {
    let mut days = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(n) = sql::opt_int(r, "d")? else { continue };
        days.push(from_epoch_day(n).ok_or_else(|| StoreError::Other(format!("epoch day {n}")))?);
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Marks the summarised days with a row changed after the watermark, and
/// moves the watermark to `now` less [`GRACE`].
async fn mark_changed<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock::<S>(&txn).await?;
    let backend = txn.get_database_backend();
    let mut changed = 0;
    if let (Some(through), Some(since)) = (state.through, state.watermark) {
        let until = day_span(through)
            .ok_or_else(|| StoreError::Other("summary day out of range".into()))?
            .start;
        let stmt = S::changed_days_statement(backend, since, None, until, true);
        let rows = txn.query_all_raw(stmt).await?;
        let days: Vec<i64> = changed_days(&rows)?
            .into_iter()
            .filter(|d| *d < through)
            .map(day_key)
            .collect();
        changed = days.len();
        for chunk in days.chunks(ROWS_PER_INSERT) {
            let mut s = Sql::new(backend);
            s.push(&format!("INSERT INTO {} (day) VALUES ", table::<S>("dirty")));
            for (i, key) in chunk.iter().enumerate() {
                s.push(if i > 0 { ", (" } else { "(" }).bind(*key).push(")");
            }
            s.push(" ON CONFLICT (day) DO NOTHING");
            txn.execute_raw(s.statement()).await?;
        }
        S::looked(&txn, since).await?;
    }
    // `now` less the grace on every tick, even when that is behind the
    // stored watermark (after a rebuild, or a tick of a replica whose clock
    // runs ahead): a write stamped by a slower clock, or committed late, is
    // then still looked at. The price is a minute after a bulk load in
    // which reports count the load's days from the rows.
    let next = now - GRACE;
    let mut s = Sql::new(backend);
    s.push(&format!("UPDATE {} SET watermark = ", table::<S>("summary")))
        .time(next)
        .push(" WHERE id = 1");
    txn.execute_raw(s.statement()).await?;
    txn.commit().await?;
    Ok(changed)
}

/// Recomputes up to [`BATCH_DAYS`] days: dirty ones first, then those that
/// ended since `through_day` (never today). Answers how many.
async fn summarise_batch<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock::<S>(&txn).await?;
    let backend = txn.get_database_backend();
    let today = local_date(now);
    let dirty_table = table::<S>("dirty");
    let dirty_rows = txn
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT day FROM {dirty_table} ORDER BY day LIMIT {BATCH_DAYS}"),
        ))
        .await?;
    let dirty: Vec<NaiveDate> = dirty_rows
        .iter()
        .map(|r| sql::int(r, "day").and_then(day))
        .collect::<StoreResult<_>>()?;
    let from = match state.through {
        Some(t) => t,
        None => first_day::<S>(&txn).await?.unwrap_or(today).min(today),
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
        let mut s = Sql::new(backend);
        s.push(&format!("DELETE FROM {} WHERE day IN ", table::<S>("stats")))
            .list_int(days.iter().map(|d| day_key(*d)));
        txn.execute_raw(s.statement()).await?;
        S::recompute(&txn, &days).await?;
    }
    if !dirty.is_empty() {
        let mut s = Sql::new(backend);
        s.push(&format!("DELETE FROM {dirty_table} WHERE day IN "))
            .list_int(dirty.iter().map(|d| day_key(*d)));
        txn.execute_raw(s.statement()).await?;
    }
    if state.through != Some(through) {
        let mut s = Sql::new(backend);
        s.push(&format!("UPDATE {} SET through_day = ", table::<S>("summary")))
            .bind(day_key(through))
            .push(" WHERE id = 1");
        txn.execute_raw(s.statement()).await?;
    }
    txn.commit().await?;
    Ok(days.len())
}

async fn first_day<S: DaySummary>(txn: &DatabaseTransaction) -> DbResult<Option<NaiveDate>> {
    let row = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), S::FIRST))
        .await?;
    let first = match row {
        Some(r) => r
            .try_get::<Option<DateTime<Utc>>>("", "first")
            .map_err(|e| StoreError::Other(format!("first day of {}: {e}", S::NAME)))?,
        None => None,
    };
    Ok(first.map(local_date))
}

/// The days' spans as `(day key, span)` pieces, for [`Sql::pieces`].
pub(super) fn day_pieces(days: &[NaiveDate]) -> StoreResult<Vec<(i64, hotline_domain::report::Span)>> {
    days.iter()
        .map(|d| {
            day_span(*d)
                .map(|span| (day_key(*d), span))
                .ok_or_else(|| StoreError::Other("summary day out of range".into()))
        })
        .collect()
}

/// Inserts `rows` into `table` (`columns`), [`ROWS_PER_INSERT`] at a time.
pub(super) async fn insert_rows<const N: usize>(
    txn: &DatabaseTransaction,
    table: &str,
    columns: &str,
    rows: Vec<[Value; N]>,
) -> DbResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut s = Sql::new(txn.get_database_backend());
        s.push(&format!("INSERT INTO {table} ({columns}) VALUES "));
        for (n, values) in chunk.iter().enumerate() {
            s.push(if n > 0 { ", (" } else { "(" });
            for (j, v) in values.iter().enumerate() {
                if j > 0 {
                    s.push(", ");
                }
                s.bind(v.clone());
            }
            s.push(")");
        }
        txn.execute_raw(s.statement()).await?;
    }
    Ok(())
}

/// Drops a summary: the report counts every day from the rows until the
/// next upkeep has summarised them again.
pub(super) async fn forget<S: DaySummary>(db: &Db) -> DbResult<()> {
    let txn = db.conn.begin().await?;
    for sql in [
        format!(
            "UPDATE {} SET through_day = NULL, watermark = NULL WHERE id = 1",
            table::<S>("summary")
        ),
        format!("DELETE FROM {}", table::<S>("dirty")),
        format!("DELETE FROM {}", table::<S>("stats")),
    ] {
        txn.execute_unprepared(&sql).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Rebuilds a summary from its rows, as of `now`, after a bulk load (whose
/// rows keep their own `updated_at`, which the watermark cannot judge).
/// With no other writer during the load, every row is in the rebuild, so
/// the watermark is `now` itself: the first ticks after it recompute
/// nothing the load wrote.
pub(super) async fn rebuild<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
    lift(async move {
        forget::<S>(db).await?;
        let run = upkeep::<S>(db, now).await?;
        let mut s = Sql::new(db.conn.get_database_backend());
        s.push(&format!("UPDATE {} SET watermark = ", table::<S>("summary")))
            .time(now)
            .push(" WHERE id = 1");
        db.conn.execute_raw(s.statement()).await?;
        Ok(run)
    })
    .await
}
