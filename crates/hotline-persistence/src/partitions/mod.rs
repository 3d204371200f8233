//! Monthly partitions on PostgreSQL for the two tables that grow with
//! every call: `calls`, by when the call started, and `events`, by when the
//! event was written. A month is a local month (Asia/Ho_Chi_Minh), so the
//! months of a report are whole partitions.
//!
//! Each table has a partition per month, named `{table}_pYYYY_MM`, and a
//! default one, `{table}_default`, for a row of a month that has none yet
//! (a call from a PBX's journal of years ago, a clock far off). The months
//! to come are made ahead ([`MONTHS_AHEAD`]) at every start and every hour;
//! the same upkeep gives the months found in the default partition their
//! own, moving their rows. Old events go by whole partitions
//! ([`drop_before`]). SQLite has no partitions: every function here does
//! nothing there.
//!
//! Replicas take turns: every change holds one advisory lock for its
//! transaction and looks again at what exists once it has it.

mod convert;
mod month;

pub(crate) use convert::secondary_indexes;
pub use convert::{partition, unpartition};
pub use month::Month;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

/// A table split by the month of one of its instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partitioned {
    pub table: &'static str,
    pub column: &'static str,
    /// Its key as a plain table; partitioned, the key is this and `column`.
    pub key: &'static str,
}

pub const CALLS: Partitioned = Partitioned {
    table: "calls",
    column: "started_at",
    key: "id",
};
pub const EVENTS: Partitioned = Partitioned {
    table: "events",
    column: "created_at",
    key: "seq",
};
pub const ALL: [Partitioned; 2] = [CALLS, EVENTS];

/// Months made ahead of the current one.
pub const MONTHS_AHEAD: u32 = 1;

/// The advisory lock every partition change holds ("hotline" in ASCII).
const LOCK: i64 = 0x0068_6f74_6c69_6e65;

/// The time zone of a local month, as PostgreSQL names it.
const ZONE: &str = "Asia/Ho_Chi_Minh";

fn literal(t: DateTime<Utc>) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S%.6f+00"))
}

fn default_partition(table: &str) -> String {
    format!("{table}_default")
}

async fn strings(conn: &impl ConnectionTrait, sql: String, column: &str) -> Result<Vec<String>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", column)).collect()
}

/// Whether `table` is partitioned (never on SQLite).
pub async fn is_partitioned(conn: &impl ConnectionTrait, table: &str) -> Result<bool, DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let found = strings(
        conn,
        format!(
            "SELECT c.relname::text AS name FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid \
             WHERE c.relname = '{table}' AND c.relnamespace = current_schema()::regnamespace"
        ),
        "name",
    )
    .await?;
    Ok(!found.is_empty())
}

/// The months that have a partition of `table`, oldest first.
pub async fn months(conn: &impl ConnectionTrait, table: &str) -> Result<Vec<Month>, DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(Vec::new());
    }
    let names = strings(
        conn,
        format!(
            "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE i.inhparent = '{table}'::regclass"
        ),
        "name",
    )
    .await?;
    let mut months: Vec<Month> = names.iter().filter_map(|n| Month::of_partition(table, n)).collect();
    months.sort();
    Ok(months)
}

/// The months `relation`'s rows fall in, by `t`'s column.
async fn months_with_rows(conn: &impl ConnectionTrait, t: Partitioned, relation: &str) -> Result<Vec<Month>, DbErr> {
    let found = strings(
        conn,
        format!(
            "SELECT DISTINCT to_char({} AT TIME ZONE '{ZONE}', 'YYYY-MM') AS month FROM {relation}",
            t.column
        ),
        "month",
    )
    .await?;
    Ok(found
        .iter()
        .filter_map(|m| {
            let (y, n) = m.split_once('-')?;
            Month::new(y.parse().ok()?, n.parse().ok()?)
        })
        .collect())
}

/// Makes `m`'s partition of `t`, with the rows the default partition
/// holds for it, in the caller's transaction.
async fn add_month(conn: &impl ConnectionTrait, t: Partitioned, m: Month) -> Result<(), DbErr> {
    let (table, column) = (t.table, t.column);
    let name = m.partition(table);
    let (from, to) = (literal(m.start()), literal(m.end()));
    conn.execute_unprepared(&format!(
        "CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE); \
         WITH moved AS (DELETE FROM {default} WHERE {column} >= {from} AND {column} < {to} RETURNING *) \
         INSERT INTO {name} SELECT * FROM moved; \
         ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({from}) TO ({to})",
        default = default_partition(table),
    ))
    .await?;
    Ok(())
}

/// Gives each of `wanted` that has none its partition of `t`; answers how
/// many were made.
async fn ensure(conn: &DatabaseConnection, t: Partitioned, wanted: &[Month]) -> Result<u32, DbErr> {
    let have = months(conn, t.table).await?;
    if wanted.iter().all(|m| have.contains(m)) {
        return Ok(0);
    }
    let txn = conn.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({LOCK})"))
        .await?;
    // Another replica may have made some meanwhile.
    let have = months(&txn, t.table).await?;
    let mut made = 0;
    for m in wanted.iter().filter(|m| !have.contains(m)) {
        add_month(&txn, t, *m).await?;
        made += 1;
    }
    txn.commit().await?;
    Ok(made)
}

/// Every month from `first` through `last` gets its partition of `t`
/// (a bulk load's range, before it loads). Answers how many were made.
pub async fn cover(conn: &DatabaseConnection, t: Partitioned, first: Month, last: Month) -> Result<u32, DbErr> {
    if !is_partitioned(conn, t.table).await? {
        return Ok(0);
    }
    let wanted: Vec<Month> = first.through(last).collect();
    ensure(conn, t, &wanted).await
}

/// The upkeep at `now`: the current month and the [`MONTHS_AHEAD`] after
/// it, and every month with rows in a default partition, get their
/// partitions. Answers how many were made.
pub async fn keep(conn: &DatabaseConnection, now: DateTime<Utc>) -> Result<u32, DbErr> {
    let mut made = 0;
    for t in ALL {
        if !is_partitioned(conn, t.table).await? {
            continue;
        }
        let this = Month::of(now);
        let mut wanted: Vec<Month> = this.through(this.after(MONTHS_AHEAD)).collect();
        wanted.extend(months_with_rows(conn, t, &default_partition(t.table)).await?);
        wanted.sort();
        wanted.dedup();
        made += ensure(conn, t, &wanted).await?;
    }
    Ok(made)
}

/// Drops every partition of `t` whose month ended at or before `before`;
/// answers how many rows went with them.
pub async fn drop_before(conn: &DatabaseConnection, t: Partitioned, before: DateTime<Utc>) -> Result<u64, DbErr> {
    if !is_partitioned(conn, t.table).await? {
        return Ok(0);
    }
    let old: Vec<Month> = months(conn, t.table)
        .await?
        .into_iter()
        .filter(|m| m.end() <= before)
        .collect();
    if old.is_empty() {
        return Ok(0);
    }
    let txn = conn.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({LOCK})"))
        .await?;
    let still = months(&txn, t.table).await?;
    let mut rows = 0u64;
    for m in old.iter().filter(|m| still.contains(m)) {
        let name = m.partition(t.table);
        let counted = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT COUNT(*) AS n FROM {name}"),
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        txn.execute_unprepared(&format!("DROP TABLE {name}")).await?;
        rows += counted.max(0) as u64;
    }
    txn.commit().await?;
    Ok(rows)
}

impl crate::Db {
    /// Gives every local month from `from`'s through `to`'s its partition
    /// of `t` (PostgreSQL), so that a bulk load of that span goes into its
    /// months rather than the default partition. Answers how many were made.
    pub async fn cover_months(&self, t: Partitioned, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u32, DbErr> {
        cover(&self.conn, t, Month::of(from), Month::of(to)).await
    }
}
