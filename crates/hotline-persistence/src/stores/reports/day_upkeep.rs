//! Upkeep of a per-local-day summary (the calls' and the work orders') or
//! per-local-hour one (the calls' last days): marks the summarised slots
//! whose rows changed, and recomputes them and the slots that have ended
//! since the last pass. `<name>_<grain>_summary.watermark` is how far
//! changes have been looked for: a row whose last change is later marks its
//! past slots dirty (and until then, the report counts those slots from the
//! rows). A summary that keeps only its last days drops the older slots'
//! rows as they fall out (`from_<grain>`).
//!
//! Each step runs in one transaction holding the summary row (`FOR UPDATE`
//! on PostgreSQL, the write lock on SQLite), so replicas take turns and
//! none writes a day from an older reading than another's.

use std::future::Future;

use chrono::{DateTime, Days, TimeDelta, Utc};
use hotline_domain::StoreError;
use hotline_domain::ports::StoreResult;
use hotline_domain::report::DaySummaryRun;
use hotline_domain::report::days::{Grain, day_span, local_date};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Statement, TransactionTrait, Value};

use super::sql::{self, Sql};
use crate::Db;
use crate::errors::{DbResult, lift};

/// How long a write may take to commit after stamping `updated_at` (and
/// how far replicas' clocks may disagree): changes are looked for again
/// this far behind the last look, so a late commit is not missed.
pub const GRACE: TimeDelta = TimeDelta::seconds(60);
/// Slots (re)computed per transaction: short enough not to hold SQLite's
/// write lock for long.
const fn batch(grain: Grain) -> usize {
    match grain {
        Grain::Day => 7,
        Grain::Hour => 24,
        Grain::FiveMinutes => 48,
    }
}
/// Summary rows per INSERT.
pub(super) const ROWS_PER_INSERT: usize = 500;

/// One per-local-day (or hour) summary: its tables (`<NAME>_<grain>_stats`,
/// `_summary`, `_dirty`), how its rows are counted, and how changes are
/// found.
pub(super) trait DaySummary: Send + Sync {
    const NAME: &'static str;
    const GRAIN: Grain;
    /// Keeps the slots of this many days back from today's start, dropping
    /// older ones; None: every slot from the first row on.
    const KEEP_DAYS: Option<u64> = None;
    /// A dirty slot that this pass marked again waits for a pass that does
    /// not: under a flood of late writes the recent slots keep changing,
    /// and recomputing them on every tick is work thrown away (reports
    /// count them from the rows meanwhile). Its dirty list has `marked_at`.
    const WAITS_FOR_QUIET: bool = false;

    /// The local slots (numbers `d`, see [`local_slot`]) of the rows
    /// changed after `since` that count in `[from, until)` (from the first
    /// when `from` is None); `wide`: also those of a changed row they are
    /// counted by (a call's customer), when the report reads it. The
    /// upkeep marks these slots dirty; a report counts them from the rows
    /// until then. May answer slots outside the range.
    fn changed_days_statement(
        backend: DbBackend,
        since: DateTime<Utc>,
        from: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        wide: bool,
    ) -> Statement;

    /// `first`: the earliest instant anything counts at (none without rows).
    const FIRST: &'static str;

    /// Writes the summary rows of the slots `keys`, whose old rows are gone.
    fn recompute(txn: &DatabaseTransaction, keys: &[i64]) -> impl Future<Output = DbResult<()>> + Send;

    /// Once the changes after `since` are marked: forgets what no later
    /// look needs.
    fn looked(txn: &DatabaseTransaction, since: DateTime<Utc>) -> impl Future<Output = DbResult<()>> + Send {
        let _ = (txn, since);
        async { Ok(()) }
    }
}

pub(super) fn table<S: DaySummary>(what: &str) -> String {
    format!("{}_{}_{what}", S::NAME, S::GRAIN.name())
}

/// The first slot a summary keeping [`DaySummary::KEEP_DAYS`] keeps as of
/// `now`; None for one that keeps every slot.
fn kept_from<S: DaySummary>(now: DateTime<Utc>) -> StoreResult<Option<i64>> {
    let Some(days) = S::KEEP_DAYS else { return Ok(None) };
    let first = local_date(now)
        .checked_sub_days(Days::new(days))
        .and_then(day_span)
        .ok_or_else(|| StoreError::Other("summary day out of range".into()))?;
    Ok(Some(S::GRAIN.key_of(first.start)))
}

/// One pass: drops the slots no longer kept, marks the changed past slots,
/// then (re)computes dirty and newly ended slots a batch at a time until
/// none is left.
pub(super) async fn upkeep<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
    if let Some(from) = kept_from::<S>(now)? {
        lift(drop_before::<S>(db, from)).await?;
    }
    let changed = mark_changed::<S>(db, now).await?;
    let mut summarised = 0;
    loop {
        let n = summarise_batch::<S>(db, now).await?;
        if n == 0 {
            break;
        }
        summarised += n;
    }
    Ok(match S::GRAIN {
        Grain::Day => DaySummaryRun {
            changed,
            summarised,
            ..DaySummaryRun::default()
        },
        Grain::Hour | Grain::FiveMinutes => DaySummaryRun {
            slots_changed: changed,
            slots_summarised: summarised,
            ..DaySummaryRun::default()
        },
    })
}

struct State {
    from: Option<i64>,
    through: Option<i64>,
    watermark: Option<DateTime<Utc>>,
}

/// The summary's first kept slot, or NULL for one that keeps every slot.
pub(super) fn from_column<S: DaySummary>() -> String {
    match S::KEEP_DAYS {
        Some(_) => format!("from_{}", S::GRAIN.name()),
        None => "CAST(NULL AS BIGINT)".into(),
    }
}

/// Takes the summary row for the transaction and reads it.
async fn lock<S: DaySummary>(txn: &DatabaseTransaction) -> DbResult<State> {
    let backend = txn.get_database_backend();
    let summary = table::<S>("summary");
    let read = format!(
        "SELECT {} AS from_slot, through_{} AS through_slot, watermark FROM {summary} WHERE id = 1",
        from_column::<S>(),
        S::GRAIN.name()
    );
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
        from: sql::opt_int(&row, "from_slot")?,
        through: sql::opt_int(&row, "through_slot")?,
        watermark: row
            .try_get::<Option<DateTime<Utc>>>("", "watermark")
            .map_err(|e| StoreError::Other(format!("summary watermark: {e}")))?,
    })
}

/// The local slot number (whole slots since 1970-01-01 00:00 at +07:00,
/// Vietnam's offset since 1975) of `col`, in SQL; [`Grain::key_of_number`]
/// turns it into the slot's key.
pub(super) fn local_slot(backend: DbBackend, grain: Grain, col: &str) -> String {
    let seconds = grain.seconds();
    match backend {
        DbBackend::Postgres => format!("CAST(FLOOR((EXTRACT(EPOCH FROM {col}) + 25200) / {seconds}) AS BIGINT)"),
        // Milliseconds first, as integers, so no rounding error moves a
        // row across midnight.
        _ => format!(
            "((CAST(ROUND((julianday({col}) - 2440587.5) * 86400000) AS INTEGER) + 25200000) / {})",
            seconds * 1000
        ),
    }
}

/// The slot keys of [`DaySummary::changed_days_statement`]'s rows, sorted,
/// each once (a null is no slot).
pub(super) fn changed_slots(grain: Grain, rows: &[QueryResult]) -> StoreResult<Vec<i64>> {
    let mut keys = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(n) = sql::opt_int(r, "d")? else { continue };
        keys.push(
            grain
                .key_of_number(n)
                .ok_or_else(|| StoreError::Other(format!("{} number {n}", grain.name())))?,
        );
    }
    keys.sort_unstable();
    keys.dedup();
    Ok(keys)
}

/// Where slot `key` starts.
pub(super) fn slot_start(grain: Grain, key: i64) -> StoreResult<DateTime<Utc>> {
    grain
        .span(key)
        .map(|s| s.start)
        .ok_or_else(|| StoreError::Other(format!("summary {} {key} out of range", grain.name())))
}

/// Drops the rows of the slots before `from`, and moves the summary's
/// first kept slot (and its `through`, when behind) there.
async fn drop_before<S: DaySummary>(db: &Db, from: i64) -> DbResult<()> {
    let txn = db.conn.begin().await?;
    let state = lock::<S>(&txn).await?;
    if state.from.is_none_or(|f| f < from) {
        let g = S::GRAIN.name();
        let backend = txn.get_database_backend();
        for what in ["stats", "dirty"] {
            let mut s = Sql::new(backend);
            s.push(&format!("DELETE FROM {} WHERE {g} < ", table::<S>(what)))
                .bind(from);
            txn.execute_raw(s.statement()).await?;
        }
        let mut s = Sql::new(backend);
        s.push(&format!("UPDATE {} SET from_{g} = ", table::<S>("summary")))
            .bind(from);
        if state.through.is_some_and(|t| t < from) {
            s.push(&format!(", through_{g} = ")).bind(from);
        }
        s.push(" WHERE id = 1");
        txn.execute_raw(s.statement()).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Marks the summarised days with a row changed after the watermark, and
/// moves the watermark to `now` less [`GRACE`].
async fn mark_changed<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock::<S>(&txn).await?;
    let backend = txn.get_database_backend();
    let mut changed = 0;
    if let (Some(through), Some(since)) = (state.through, state.watermark) {
        let until = slot_start(S::GRAIN, through)?;
        let from = state.from.map(|f| slot_start(S::GRAIN, f)).transpose()?;
        let stmt = S::changed_days_statement(backend, since, from, until, true);
        let rows = txn.query_all_raw(stmt).await?;
        let keys: Vec<i64> = changed_slots(S::GRAIN, &rows)?
            .into_iter()
            .filter(|k| *k < through && state.from.is_none_or(|f| *k >= f))
            .collect();
        changed = keys.len();
        let g = S::GRAIN.name();
        for chunk in keys.chunks(ROWS_PER_INSERT) {
            let mut s = Sql::new(backend);
            // A slot that waits for quiet keeps when it was last marked.
            let quiet = S::WAITS_FOR_QUIET;
            let columns = if quiet {
                format!("{g}, marked_at")
            } else {
                g.to_string()
            };
            s.push(&format!("INSERT INTO {} ({columns}) VALUES ", table::<S>("dirty")));
            for (i, key) in chunk.iter().enumerate() {
                s.push(if i > 0 { ", (" } else { "(" }).bind(*key);
                if quiet {
                    s.push(", ").time(now);
                }
                s.push(")");
            }
            s.push(&format!(" ON CONFLICT ({g}) DO "));
            s.push(if quiet {
                "UPDATE SET marked_at = excluded.marked_at"
            } else {
                "NOTHING"
            });
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

/// Recomputes up to a batch of slots: dirty ones first, then those that
/// ended since `through` (never the current one). Answers how many.
async fn summarise_batch<S: DaySummary>(db: &Db, now: DateTime<Utc>) -> DbResult<usize> {
    let txn = db.conn.begin().await?;
    let state = lock::<S>(&txn).await?;
    let backend = txn.get_database_backend();
    let grain = S::GRAIN;
    let g = grain.name();
    let batch = batch(grain);
    let current = grain.key_of(now);
    let dirty_table = table::<S>("dirty");
    let mut s = Sql::new(backend);
    s.push(&format!("SELECT {g} AS k FROM {dirty_table}"));
    if S::WAITS_FOR_QUIET {
        // Not those this pass marked again (see [`DaySummary::WAITS_FOR_QUIET`]).
        s.push(" WHERE marked_at < ").time(now);
    }
    s.push(&format!(" ORDER BY {g} LIMIT {batch}"));
    let dirty_rows = txn.query_all_raw(s.statement()).await?;
    let dirty: Vec<i64> = dirty_rows
        .iter()
        .map(|r| sql::int(r, "k"))
        .collect::<StoreResult<_>>()?;
    let from = match state.through {
        Some(t) => t,
        None => {
            let first = first_slot::<S>(&txn).await?.unwrap_or(current).min(current);
            state.from.map_or(first, |f| first.max(f))
        }
    };
    let mut fresh = Vec::new();
    let mut k = from;
    while k < current && dirty.len() + fresh.len() < batch {
        fresh.push(k);
        k = grain
            .next(k)
            .ok_or_else(|| StoreError::Other(format!("summary {g} out of range")))?;
    }
    let through = k;
    let keys: Vec<i64> = dirty.iter().chain(&fresh).copied().collect();
    if !keys.is_empty() {
        let mut s = Sql::new(backend);
        s.push(&format!("DELETE FROM {} WHERE {g} IN ", table::<S>("stats")))
            .list_int(keys.iter().copied());
        txn.execute_raw(s.statement()).await?;
        S::recompute(&txn, &keys).await?;
    }
    if !dirty.is_empty() {
        let mut s = Sql::new(backend);
        s.push(&format!("DELETE FROM {dirty_table} WHERE {g} IN "))
            .list_int(dirty.iter().copied());
        txn.execute_raw(s.statement()).await?;
    }
    if state.through != Some(through) {
        let mut s = Sql::new(backend);
        s.push(&format!("UPDATE {} SET through_{g} = ", table::<S>("summary")))
            .bind(through)
            .push(" WHERE id = 1");
        txn.execute_raw(s.statement()).await?;
    }
    txn.commit().await?;
    Ok(keys.len())
}

async fn first_slot<S: DaySummary>(txn: &DatabaseTransaction) -> DbResult<Option<i64>> {
    let row = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), S::FIRST))
        .await?;
    let first = match row {
        Some(r) => r
            .try_get::<Option<DateTime<Utc>>>("", "first")
            .map_err(|e| StoreError::Other(format!("first day of {}: {e}", S::NAME)))?,
        None => None,
    };
    Ok(first.map(|t| S::GRAIN.key_of(t)))
}

/// The slots' spans as `(key, span)` pieces, for [`Sql::pieces`].
pub(super) fn slot_pieces(grain: Grain, keys: &[i64]) -> StoreResult<Vec<(i64, hotline_domain::report::Span)>> {
    keys.iter()
        .map(|k| {
            grain
                .span(*k)
                .map(|span| (*k, span))
                .ok_or_else(|| StoreError::Other(format!("summary {} {k} out of range", grain.name())))
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
    let keep = match S::KEEP_DAYS {
        Some(_) => format!(", from_{} = NULL", S::GRAIN.name()),
        None => String::new(),
    };
    for sql in [
        format!(
            "UPDATE {} SET through_{} = NULL, watermark = NULL{keep} WHERE id = 1",
            table::<S>("summary"),
            S::GRAIN.name()
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
