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

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use hotline_domain::report::bucket::local_offset;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

/// A table split by the month of one of its instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partitioned {
    pub table: &'static str,
    pub column: &'static str,
}

pub const CALLS: Partitioned = Partitioned {
    table: "calls",
    column: "started_at",
};
pub const EVENTS: Partitioned = Partitioned {
    table: "events",
    column: "created_at",
};
pub const ALL: [Partitioned; 2] = [CALLS, EVENTS];

/// Months made ahead of the current one.
pub const MONTHS_AHEAD: u32 = 3;

/// The advisory lock every partition change holds ("hotline" in ASCII).
const LOCK: i64 = 0x0068_6f74_6c69_6e65;

/// The time zone of a local month, as PostgreSQL names it.
const ZONE: &str = "Asia/Ho_Chi_Minh";

/// A local month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The local month `t` falls in.
    pub fn of(t: DateTime<Utc>) -> Month {
        let local = local_offset(t);
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The `n`th month after this one.
    pub fn after(self, n: u32) -> Month {
        (0..n).fold(self, |m, _| m.next())
    }

    /// Its first instant: local midnight of its first day.
    pub fn start(self) -> DateTime<Utc> {
        let midnight = NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .unwrap_or(NaiveDate::MIN)
            .and_time(NaiveTime::MIN)
            .and_utc();
        let offset = local_offset(midnight).offset().local_minus_utc();
        midnight - Duration::seconds(i64::from(offset))
    }

    /// The first instant of the next month.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// Every month from this one through `last`.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), |m| Some(m.next())).take_while(move |m| *m <= last)
    }

    /// Its partition of `table`.
    pub fn partition(self, table: &str) -> String {
        format!("{table}_p{:04}_{:02}", self.year, self.month)
    }

    /// The month of a partition of `table` named by [`Month::partition`].
    pub fn of_partition(table: &str, name: &str) -> Option<Month> {
        let (year, month) = name.strip_prefix(table)?.strip_prefix("_p")?.split_once('_')?;
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }
}

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

/// The months of the rows that fell into `t`'s default partition.
async fn strays(conn: &impl ConnectionTrait, t: Partitioned) -> Result<Vec<Month>, DbErr> {
    let found = strings(
        conn,
        format!(
            "SELECT DISTINCT to_char({} AT TIME ZONE '{ZONE}', 'YYYY-MM') AS month FROM {}",
            t.column,
            default_partition(t.table)
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
        wanted.extend(strays(conn, t).await?);
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

/// One index of a table, as the catalogue would make it again.
struct IndexDef {
    sql: String,
    unique: bool,
}

/// `table`'s indexes but its primary key.
async fn secondary_indexes(conn: &impl ConnectionTrait, table: &str) -> Result<Vec<IndexDef>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT pg_get_indexdef(x.indexrelid) AS def, x.indisunique AS uniq FROM pg_index x \
                 WHERE x.indrelid = '{table}'::regclass AND NOT x.indisprimary ORDER BY x.indexrelid"
            ),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(IndexDef {
                // A partitioned table's index reads `ON ONLY`: made that
                // way it would cover none of the partitions.
                sql: r.try_get::<String>("", "def")?.replacen(" ON ONLY ", " ON ", 1),
                unique: r.try_get("", "uniq")?,
            })
        })
        .collect()
}

/// A unique index made again on a partitioned table must hold the
/// partition's column: `(id)` becomes `(id, created_at)`.
fn with_column(def: &str, column: &str) -> String {
    let Some(open) = def.find(" (") else {
        return def.to_string();
    };
    let mut depth = 0;
    for (i, c) in def[open + 1..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let at = open + 1 + i;
                    return format!("{}, {column}{}", &def[..at], &def[at..]);
                }
            }
            _ => {}
        }
    }
    def.to_string()
}

/// A sequence that numbers one of `table`'s columns.
struct Sequence {
    column: String,
    /// Schema-qualified, as the catalogue names it.
    name: String,
    /// An identity column's (`GENERATED … AS IDENTITY`): PostgreSQL before
    /// 17 allows none on a partitioned table, so the copy numbers the
    /// column from a plain sequence that goes on from the same value.
    identity: bool,
}

async fn sequences(conn: &impl ConnectionTrait, table: &str) -> Result<Vec<Sequence>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT a.attname::text AS col, pg_get_serial_sequence('{table}', a.attname) AS seq, \
                 a.attidentity <> '' AS ident \
                 FROM pg_attribute a WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped"
            ),
        ))
        .await?;
    let mut found = Vec::new();
    for r in rows {
        if let Some(name) = r.try_get::<Option<String>>("", "seq")? {
            found.push(Sequence {
                column: r.try_get("", "col")?,
                name,
                identity: r.try_get("", "ident")?,
            });
        }
    }
    Ok(found)
}

/// Replaces `table` by a copy made by `create` (which names it
/// `{table}_new`), with the same rows, the primary key `key`, the same
/// indexes (each changed by `index`) and sequences that go on from where
/// they were.
async fn rebuild(
    conn: &impl ConnectionTrait,
    table: &str,
    create: String,
    key: &str,
    index: impl Fn(&IndexDef) -> String,
) -> Result<(), DbErr> {
    let indexes = secondary_indexes(conn, table).await?;
    let sequences = sequences(conn, table).await?;
    conn.execute_unprepared(&create).await?;
    for s in &sequences {
        let (seq, column) = (&s.name, &s.column);
        if s.identity {
            conn.execute_unprepared(&format!(
                "CREATE SEQUENCE {seq}_moving; \
                 SELECT setval('{seq}_moving', s.last_value, s.is_called) FROM {seq} s; \
                 ALTER TABLE {table}_new ALTER COLUMN {column} SET DEFAULT nextval('{seq}_moving')"
            ))
            .await?;
        } else {
            conn.execute_unprepared(&format!("ALTER SEQUENCE {seq} OWNED BY NONE"))
                .await?;
        }
    }
    conn.execute_unprepared(&format!("INSERT INTO {table}_new SELECT * FROM {table}"))
        .await?;
    conn.execute_unprepared(&format!(
        "DROP TABLE {table}; ALTER TABLE {table}_new RENAME TO {table}; ALTER TABLE {table} ADD PRIMARY KEY ({key})"
    ))
    .await?;
    for def in &indexes {
        conn.execute_unprepared(&index(def)).await?;
    }
    for s in &sequences {
        let (seq, column) = (&s.name, &s.column);
        if s.identity {
            // The identity's own sequence went with the old table.
            let bare = seq.rsplit('.').next().unwrap_or(seq);
            conn.execute_unprepared(&format!("ALTER SEQUENCE {seq}_moving RENAME TO {bare}"))
                .await?;
        }
        conn.execute_unprepared(&format!("ALTER SEQUENCE {seq} OWNED BY {table}.{column}"))
            .await?;
    }
    Ok(())
}

/// Turns `t`'s table into a partitioned one keyed by `key` and its
/// column (a partitioned table's unique keys must hold that column), with
/// a partition for every month from its oldest row (or `now`) to its
/// newest (or [`MONTHS_AHEAD`] after `now`), and a default one. Does
/// nothing on SQLite or when it is partitioned already.
pub async fn partition(
    conn: &impl ConnectionTrait,
    t: Partitioned,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres || is_partitioned(conn, t.table).await? {
        return Ok(());
    }
    let (table, column) = (t.table, t.column);
    let span = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT MIN({column}) AS lo, MAX({column}) AS hi FROM {table}"),
        ))
        .await?;
    let (lo, hi) = match span {
        Some(r) => (
            r.try_get::<Option<DateTime<Utc>>>("", "lo")?,
            r.try_get::<Option<DateTime<Utc>>>("", "hi")?,
        ),
        None => (None, None),
    };
    let this = Month::of(now);
    let first = lo.map_or(this, Month::of).min(this);
    let last = hi.map_or(this, Month::of).max(this.after(MONTHS_AHEAD));
    let mut create = format!(
        "CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) \
         PARTITION BY RANGE ({column}); \
         CREATE TABLE {default} PARTITION OF {table}_new DEFAULT;",
        default = default_partition(table)
    );
    for m in first.through(last) {
        create.push_str(&format!(
            " CREATE TABLE {} PARTITION OF {table}_new FOR VALUES FROM ({}) TO ({});",
            m.partition(table),
            literal(m.start()),
            literal(m.end())
        ));
    }
    rebuild(conn, table, create, &format!("{key}, {column}"), |d| {
        if d.unique {
            with_column(&d.sql, column)
        } else {
            d.sql.clone()
        }
    })
    .await
}

/// Turns `t`'s partitioned table back into one table keyed by `key`.
pub async fn unpartition(conn: &impl ConnectionTrait, t: Partitioned, key: &str) -> Result<(), DbErr> {
    if !is_partitioned(conn, t.table).await? {
        return Ok(());
    }
    let table = t.table;
    let create =
        format!("CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)");
    rebuild(conn, table, create, key, |d| d.sql.clone()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight() {
        let m = Month::new(2026, 12).unwrap();
        assert_eq!(m.start(), Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap());
        assert_eq!(m.end(), Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap());
        // 18:00 UTC on the 31st is already January in Vietnam.
        assert_eq!(
            Month::of(Utc.with_ymd_and_hms(2026, 12, 31, 18, 0, 0).unwrap()),
            Month::new(2027, 1).unwrap()
        );
        assert_eq!(
            Month::of(Utc.with_ymd_and_hms(2026, 11, 30, 16, 59, 59).unwrap()),
            Month::new(2026, 11).unwrap()
        );
    }

    #[test]
    fn months_run_across_a_year_and_name_their_partitions() {
        let from = Month::new(2026, 11).unwrap();
        let months: Vec<String> = from.through(from.after(3)).map(|m| m.partition("calls")).collect();
        assert_eq!(
            months,
            ["calls_p2026_11", "calls_p2026_12", "calls_p2027_01", "calls_p2027_02"]
        );
        assert_eq!(Month::of_partition("calls", "calls_p2027_01"), Month::new(2027, 1));
        assert_eq!(Month::of_partition("calls", "calls_default"), None);
        assert_eq!(Month::of_partition("calls", "events_p2027_01"), None);
        assert_eq!(Month::of_partition("calls", "calls_p2027_13"), None);
    }

    #[test]
    fn a_unique_index_made_again_holds_the_partition_column() {
        assert_eq!(
            with_column(
                "CREATE UNIQUE INDEX events_id_key ON public.events USING btree (id)",
                "created_at"
            ),
            "CREATE UNIQUE INDEX events_id_key ON public.events USING btree (id, created_at)"
        );
        assert_eq!(
            with_column(
                "CREATE UNIQUE INDEX k ON public.t USING btree (lower(name)) WHERE (x IS NOT NULL)",
                "at"
            ),
            "CREATE UNIQUE INDEX k ON public.t USING btree (lower(name), at) WHERE (x IS NOT NULL)"
        );
    }
}
