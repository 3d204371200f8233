//! `hotline seed`: sample data at scale, for trying the service out and for
//! benchmarks. Everything is clearly marked as sample data (unit codes
//! `PB9…`, names from a fixed list) and generated from a fixed seed, so two
//! runs give the same rows.

mod articles;
mod callbacks;
mod calls;
mod complaints;
mod new_supply;
mod people;
mod planned_outages;
mod surveys;
mod work_orders;

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_persistence::Db;
use hotline_persistence::partitions::CALLS;
use uuid::Uuid;

pub use articles::articles;
pub use calls::sample_call;
pub use new_supply::new_supply_applications;
pub use people::{sample_customer, sample_phone};
pub use planned_outages::planned_outages;
pub use surveys::surveys;
pub use work_orders::sample_work_order;

/// Rows per transaction.
const BATCH: u64 = 5_000;

/// Prints `label: done/total (pct) elapsed` lines on stderr, about every 5%.
fn progress(label: &str, done: u64, total: u64, started: Instant) {
    let step = (total / 20).max(BATCH);
    if done == total || done % step < BATCH {
        eprintln!(
            "{label}: {done}/{total} ({:.0}%) {:.1}s",
            100.0 * done as f64 / total.max(1) as f64,
            started.elapsed().as_secs_f64()
        );
    }
}

/// Stores `total` generated rows, [`BATCH`] to a transaction: `make` gives
/// row `i` (or none), `insert` stores a batch; `label` names them in the
/// progress lines and in an error.
async fn in_batches<T, E: std::fmt::Display>(
    label: &str,
    total: u64,
    make: impl Fn(u64) -> Option<T>,
    insert: impl AsyncFn(&[T]) -> Result<(), E>,
) -> Result<(), String> {
    let started = Instant::now();
    let mut done = 0;
    while done < total {
        let end = (done + BATCH).min(total);
        let batch: Vec<T> = (done..end).filter_map(&make).collect();
        insert(&batch).await.map_err(|e| format!("inserting {label}: {e}"))?;
        done = end;
        progress(label, done, total, started);
    }
    Ok(())
}

pub async fn customers(db: &Db, total: u64, now: DateTime<Utc>) -> Result<(), String> {
    in_batches(
        "customers",
        total,
        |i| Some(sample_customer(i, now)),
        async |batch| db.bulk_insert_customers(batch).await,
    )
    .await
}

/// After a bulk load: fresh planner statistics.
pub async fn analyze(db: &Db) -> Result<(), String> {
    db.analyze().await.map_err(|e| format!("analysing the database: {e}"))
}

/// After a bulk load on SQLite: the write-ahead log folded into the database
/// file and emptied, so that the first server start does not read it all
/// (hundreds of megabytes after a large seed). Not done (another process
/// has the database open), it is only a warning: the data is all there.
pub async fn checkpoint(db: &Db) {
    if let Err(e) = db.checkpoint().await {
        eprintln!("warning: the write-ahead log was not emptied ({e}); the next start reads it");
    }
}

/// Calls over the year before `now`; callers are mostly the first
/// `customers` sample customers, so screen-pops find history; and about
/// one callback per hundred calls.
///
/// Into a table holding fewer calls than are loaded, the secondary indexes
/// are set aside for the load and built again after it (see
/// `Db::set_indexes_aside`); should the load fail, they are built again
/// all the same before the error is told.
pub async fn calls(db: &Db, total: u64, customers: u64, now: DateTime<Utc>) -> Result<(), String> {
    // On PostgreSQL every month of the year gets its partition first.
    db.cover_months(CALLS, now - Duration::days(367), now)
        .await
        .map_err(|e| format!("making the months' partitions: {e}"))?;
    let aside = db
        .set_indexes_aside("calls", total)
        .await
        .map_err(|e| format!("setting the call indexes aside: {e}"))?;
    let loaded = in_batches(
        "calls",
        total,
        |i| Some(sample_call(i, customers, now)),
        async |batch| db.bulk_insert_calls(batch).await,
    )
    .await;
    if !aside.is_empty() {
        let started = Instant::now();
        db.restore_indexes(&aside).await.map_err(|e| match &loaded {
            // Both failed: the load's error is the one to act on first.
            Err(load) => format!("{load}; then building the call indexes again: {e}"),
            Ok(()) => format!("building the call indexes again: {e}"),
        })?;
        eprintln!(
            "call indexes: {} built in {:.1}s",
            aside.len(),
            started.elapsed().as_secs_f64()
        );
    }
    loaded?;
    callbacks::seed(db, total, customers, now).await
}

/// One pass of the personal-data retention, as the running service makes
/// every hour (`settings`' retention): sample calls older than the notes
/// retention lose their notes now, rather than in the first minutes of the
/// next start, beside whatever that start is for.
pub async fn retention(db: &Db, settings: &hotline_app::Settings) -> Result<(), String> {
    let started = Instant::now();
    let app = hotline_app::App::new(std::sync::Arc::new(db.clone()), settings.clone());
    let pass = hotline_app::privacy::retention::run(&app)
        .await
        .map_err(|e| format!("the retention pass: {e}"))?;
    let anonymised: u64 = pass.anonymised.iter().map(|(_, n)| n).sum();
    let pruned: u64 = pass.pruned.iter().map(|(_, n)| n).sum();
    eprintln!(
        "retention: {anonymised} records anonymised, {pruned} pruned in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The per-day call and work-order summaries, rebuilt over the loaded rows
/// (bulk rows keep their own `updated_at`, so the server's upkeep would not
/// see them).
pub async fn day_summaries(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let started = Instant::now();
    let run = db
        .rebuild_call_day_summary(now)
        .await
        .map_err(|e| format!("summarising calls by day: {e}"))?;
    eprintln!(
        "call summaries: {} days, and {} hours and five minutes, in {:.1}s",
        run.summarised,
        run.slots_summarised,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let run = db
        .rebuild_work_order_day_summary(now)
        .await
        .map_err(|e| format!("summarising work orders by day: {e}"))?;
    eprintln!(
        "work-order summary: {} days in {:.1}s",
        run.summarised,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Work orders over the year before `now`, with their feedback; and the
/// sample complaints with their facts and compliments.
pub async fn work_orders(db: &Db, total: u64, now: DateTime<Utc>) -> Result<(), String> {
    in_batches(
        "work orders",
        total,
        |i| sample_work_order(i, now),
        async |batch| db.bulk_insert_work_orders(batch).await,
    )
    .await?;
    complaints::complaints(db, now).await
}

/// Who the sample records are written by: `name` with `role`, of no unit.
fn seeder(name: &str, role: Role) -> Principal {
    Principal {
        id: Uuid::nil(),
        name: name.into(),
        role,
        kind: PrincipalKind::User,
        unit_code: None,
        team_code: None,
        language: None,
    }
}
