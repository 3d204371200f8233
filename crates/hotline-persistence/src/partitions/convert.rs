//! Turning a table into a partitioned one and back, with its rows,
//! indexes and sequences (the migration's work).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use super::{MONTHS_AHEAD, Month, Partitioned, default_partition, is_partitioned, literal, months_with_rows};

/// One index of a table, as the catalogue would make it again.
pub(crate) struct IndexDef {
    pub name: String,
    pub sql: String,
    pub unique: bool,
}

/// `table`'s indexes but its primary key (PostgreSQL).
pub(crate) async fn secondary_indexes(conn: &impl ConnectionTrait, table: &str) -> Result<Vec<IndexDef>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT x.indexrelid::regclass::text AS name, pg_get_indexdef(x.indexrelid) AS def, \
                 x.indisunique AS uniq FROM pg_index x \
                 WHERE x.indrelid = '{table}'::regclass AND NOT x.indisprimary ORDER BY x.indexrelid"
            ),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(IndexDef {
                name: r.try_get("", "name")?,
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

/// Turns `t`'s table into a partitioned one keyed by its key and its
/// column (a partitioned table's unique keys must hold that column), with
/// a partition for every month that holds rows, for the month of `now`
/// and the [`MONTHS_AHEAD`] after it, and a default one. Does
/// nothing on SQLite or when it is partitioned already.
pub async fn partition(conn: &impl ConnectionTrait, t: Partitioned, now: DateTime<Utc>) -> Result<(), DbErr> {
    if conn.get_database_backend() != DbBackend::Postgres || is_partitioned(conn, t.table).await? {
        return Ok(());
    }
    let (table, column) = (t.table, t.column);
    // The months that hold rows, and the current one and those ahead: a
    // stray row decades off gets its month, not every month between.
    let this = Month::of(now);
    let mut months: Vec<Month> = this.through(this.after(MONTHS_AHEAD)).collect();
    months.extend(months_with_rows(conn, t, table).await?);
    months.sort();
    months.dedup();
    let mut create = format!(
        "CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) \
         PARTITION BY RANGE ({column}); \
         CREATE TABLE {default} PARTITION OF {table}_new DEFAULT;",
        default = default_partition(table)
    );
    for m in months {
        create.push_str(&format!(
            " CREATE TABLE {} PARTITION OF {table}_new FOR VALUES FROM ({}) TO ({});",
            m.partition(table),
            literal(m.start()),
            literal(m.end())
        ));
    }
    rebuild(conn, table, create, &format!("{}, {column}", t.key), |d| {
        if d.unique {
            with_column(&d.sql, column)
        } else {
            d.sql.clone()
        }
    })
    .await
}

/// Turns `t`'s partitioned table back into one table keyed by its key.
pub async fn unpartition(conn: &impl ConnectionTrait, t: Partitioned) -> Result<(), DbErr> {
    if !is_partitioned(conn, t.table).await? {
        return Ok(());
    }
    let table = t.table;
    let create =
        format!("CREATE TABLE {table}_new (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)");
    rebuild(conn, table, create, t.key, |d| d.sql.clone()).await
}

#[cfg(test)]
mod tests {
    use super::*;

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
