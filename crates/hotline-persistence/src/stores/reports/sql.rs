//! A small builder for the report queries: one text for both backends, with
//! the placeholders, casts and time arithmetic each one needs.

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::report::{ReportScope, Span};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::Db;
use crate::errors::DbResult;

/// Runs a report query once it has its turn (`DbConfig::report_queries`
/// run at once; the rest wait here, not holding a connection).
pub(super) async fn rows(db: &Db, stmt: Statement) -> DbResult<Vec<QueryResult>> {
    let _turn = db
        .report_turns
        .acquire()
        .await
        .map_err(|_| StoreError::Other("report queries are shut down".into()))?;
    Ok(db.conn.query_all_raw(stmt).await?)
}

pub(super) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
    /// From the first start to the last end of the `pieces` (see
    /// [`Sql::within_pieces`]).
    outer: Option<Span>,
    /// The `pieces` in the order given.
    pieces: Vec<(i64, Span)>,
}

impl Sql {
    pub fn new(backend: DbBackend) -> Self {
        Sql {
            backend,
            text: String::with_capacity(1024),
            values: Vec::new(),
            outer: None,
            pieces: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    fn placeholder(&mut self) -> String {
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".into(),
        }
    }

    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        let p = self.placeholder();
        self.text.push_str(&p);
        self
    }

    /// An instant; typed explicitly on PostgreSQL, where a parameter in a
    /// VALUES list has no column to take its type from.
    pub fn time(&mut self, t: DateTime<Utc>) -> &mut Self {
        self.values.push(t.into());
        let p = self.placeholder();
        match self.backend {
            DbBackend::Postgres => self.text.push_str(&format!("CAST({p} AS TIMESTAMPTZ)")),
            _ => self.text.push_str(&p),
        }
        self
    }

    /// `(?, ?, …)` of texts: never empty (an empty list matches nothing).
    pub fn list<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.values_list(items)
    }

    /// `(1, 2, …)` of integers: never empty.
    pub fn list_int(&mut self, items: impl IntoIterator<Item = i64>) -> &mut Self {
        self.values_list(items)
    }

    fn values_list<V: Into<Value>>(&mut self, items: impl IntoIterator<Item = V>) -> &mut Self {
        self.text.push('(');
        let mut any = false;
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(item);
            any = true;
        }
        if !any {
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    /// `b(i, s, e)` from stretches of time, each with its number (several
    /// may share one).
    pub fn pieces(&mut self, pieces: impl IntoIterator<Item = (i64, Span)>) -> &mut Self {
        self.push("b(i, s, e) AS (VALUES ");
        for (n, (i, span)) in pieces.into_iter().enumerate() {
            if n > 0 {
                self.push(", ");
            }
            self.outer = Some(self.outer.map_or(span, |o| o.hull(span)));
            self.push(&format!("({i}, "));
            self.time(span.start).push(", ").time(span.end).push(")");
            self.pieces.push((i, span));
        }
        self.push(")")
    }

    /// `(piece, from)` for rows of `table` (and the `rest` of the joins)
    /// placed in the `pieces` by their instant `col`: `piece` numbers each
    /// row's piece, `from` follows `FROM`. Used with [`Sql::within_pieces`],
    /// which keeps the rows inside the pieces.
    ///
    /// On PostgreSQL, when the pieces follow one another with no gap, a
    /// row's piece is found by a binary search of their starts
    /// (`width_bucket`). Otherwise (and on SQLite) the rows are joined to
    /// `b`, which compares every row with every piece: a day by the hour
    /// of 20,000 calls made 480,000 comparisons (60 ms of 93).
    pub fn pieces_of(&mut self, col: &str, table: &str, rest: &str) -> (String, String) {
        let joined = || {
            (
                "b.i".to_string(),
                format!("b JOIN {table} ON {col} >= b.s AND {col} < b.e{rest}"),
            )
        };
        let contiguous = self.pieces.windows(2).all(|w| w[0].1.end == w[1].1.start);
        let Some(last) = self.pieces.last().map(|(_, span)| span.end) else {
            return joined();
        };
        if self.backend != DbBackend::Postgres || !contiguous {
            return joined();
        }
        let starts: Vec<DateTime<Utc>> = self.pieces.iter().map(|(_, span)| span.start).collect();
        let numbers: Vec<String> = self.pieces.iter().map(|(i, _)| i.to_string()).collect();
        let mut thresholds = String::from("ARRAY[");
        for (n, t) in starts.into_iter().chain([last]).enumerate() {
            if n > 0 {
                thresholds.push_str(", ");
            }
            self.values.push(t.into());
            thresholds.push_str(&format!("CAST({} AS TIMESTAMPTZ)", self.placeholder()));
        }
        thresholds.push(']');
        (
            format!("(ARRAY[{}])[width_bucket({col}, {thresholds})]", numbers.join(", ")),
            format!("{table}{rest}"),
        )
    }

    /// ` AND <col> >= <first start> AND <col> < <last end>` of the
    /// `pieces`: the same rows as the join on them, but as a range of
    /// constants the planner reads from `col`'s index. Without it,
    /// PostgreSQL estimated the join on the pieces' bounds over every row,
    /// and over ten million calls read them all in parallel for one day by
    /// the hour (22.5 s; 0.15-0.21 s with it).
    pub fn within_pieces(&mut self, col: &str) -> &mut Self {
        if let Some(o) = self.outer {
            self.push(&format!(" AND {col} >= "))
                .time(o.start)
                .push(&format!(" AND {col} < "))
                .time(o.end);
        }
        self
    }

    /// Whole seconds from `earlier` to `later`, floored. SQLite's date
    /// functions keep milliseconds; rounding the day fraction to them first
    /// keeps floating-point error out of the floor.
    pub fn seconds(&self, later: &str, earlier: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM ({later} - {earlier}))) AS BIGINT)"),
            _ => format!("(CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400000) AS INTEGER) / 1000)"),
        }
    }

    /// ` AND <col> IN (units…)` for a scoped caller; with `or_unplaced`, rows
    /// with no unit pass too where the scope lets them (a root unit's).
    pub fn unit_scope(&mut self, scope: &ReportScope, col: &str, or_unplaced: bool) -> &mut Self {
        if let Some(within) = &scope.within_units {
            self.push(&format!(" AND ({col} IN "));
            self.list(within.units.iter().map(String::as_str));
            if or_unplaced && within.unplaced {
                self.push(&format!(" OR {col} IS NULL"));
            }
            self.push(")");
        }
        self
    }

    /// ` AND <col> NOT IN (hidden categories)`.
    pub fn hidden_categories(&mut self, scope: &ReportScope, col: &str) -> &mut Self {
        if !scope.hidden_categories.is_empty() {
            self.push(&format!(" AND {col} NOT IN "));
            self.list(scope.hidden_categories.iter().map(|c| c.as_str()));
        }
        self
    }

    pub fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

fn decode_err(col: &str, e: sea_orm::DbErr) -> StoreError {
    StoreError::Other(format!("report column {col}: {e}"))
}

pub(super) fn int(row: &QueryResult, col: &str) -> Result<i64, StoreError> {
    Ok(row
        .try_get::<Option<i64>>("", col)
        .map_err(|e| decode_err(col, e))?
        .unwrap_or(0))
}

pub(super) fn count(row: &QueryResult, col: &str) -> Result<u64, StoreError> {
    Ok(int(row, col)?.max(0) as u64)
}

pub(super) fn opt_int(row: &QueryResult, col: &str) -> Result<Option<i64>, StoreError> {
    row.try_get::<Option<i64>>("", col).map_err(|e| decode_err(col, e))
}

pub(super) fn text(row: &QueryResult, col: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>>("", col).map_err(|e| decode_err(col, e))
}

pub(super) fn bucket(row: &QueryResult) -> Result<usize, StoreError> {
    Ok(int(row, "i")?.max(0) as usize)
}
