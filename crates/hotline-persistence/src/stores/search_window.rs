//! How far back one page of a free-text search reads (calls, customers).
//!
//! A search matches a phrase anywhere in each record's folded text, which
//! no index serves: a page reads the records its other filters leave,
//! newest first, until it has its page. For a common phrase that is a few
//! rows; for a rare or absent one it was every record, seconds at a
//! million and ten times that at ten million. So one page reads at most a
//! window of those records (`HOTLINE_SEARCH_WINDOW`, [`WINDOW`] by
//! default): when they hold fewer matches than the page, the page comes
//! back short (even empty) with a cursor at the last record read, and the
//! next page reads on from there. Following `next_cursor` until it is
//! null still finds every match, in the same order, once; each page's cost
//! no longer grows with the table. The window counts the records the
//! other filters leave (a customer's calls, a number's), so a search
//! within them is not cut short by other records.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use hotline_domain::page::{Page, Position};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use super::{Listed, newest_first, page_of};
use crate::errors::DbResult;

/// How far back a first try at a page of a table split by month reads:
/// a bound on the partition column lets PostgreSQL plan the newest
/// months alone. Planning every month of a year cost about a millisecond
/// a query, more than running it.
const RECENT_DAYS: i64 = 35;

/// Records one search page reads at most, unless configured otherwise: at
/// a few microseconds a record, a page that finds nothing answers in
/// about a tenth of a second or less.
pub(crate) const WINDOW: u64 = 20_000;

/// How long a first page's window end is used again. New records move the
/// true end on meanwhile, so a window read from a kept end holds a few
/// more records than the setting (those that came since), never fewer; the
/// page and its cursor stay exact either way, since the cursor is the end
/// the page was read to.
const KEEP_END: Duration = Duration::from_secs(30);
/// Window ends kept at most (searches with distinct other filters); all
/// are forgotten beyond.
const MOST_ENDS: usize = 1024;

/// The window ends of first pages, by their candidates' query: finding an
/// end reads as many index entries as the window holds (about a
/// millisecond), which doubled the time of a search for a common phrase,
/// whose page fills long before the window ends. Later pages (a rare
/// phrase, or paging on) find theirs each time.
#[derive(Debug, Default)]
pub(crate) struct WindowEnds {
    kept: Mutex<HashMap<String, (Instant, Option<Position>)>>,
}

impl WindowEnds {
    fn get(&self, key: &str) -> Option<Option<Position>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(key)
            .filter(|(at, _)| at.elapsed() < KEEP_END)
            .map(|(_, end)| *end)
    }

    fn keep(&self, key: String, end: Option<Position>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= MOST_ENDS {
            kept.clear();
        }
        kept.insert(key, (Instant::now(), end));
    }
}

/// `(at, id)` as one row value, compared whole: both databases read a
/// range of the `(at, id)` index by it, where `at < x OR (at = x AND id <
/// y)` bounds the scan only by `at` (all the records of one instant, such
/// as the customers of one import, were read for every page).
fn row_value<C: ColumnTrait>((at, id): (C, C)) -> Expr {
    Expr::tuple([Expr::col(at.as_column_ref()), Expr::col(id.as_column_ref())])
}

fn position(p: Position) -> Expr {
    Expr::tuple([Expr::val(p.at), Expr::val(p.id)])
}

/// Records listed after `p` (newest first): older, or as old with a lower
/// id. The row value alone: with a plain bound on `at` beside it, SQLite
/// chose the plain one for its range.
pub(crate) fn older_than<C: ColumnTrait>(cols: (C, C), p: Position) -> Condition {
    Condition::all().add(row_value(cols).lt(position(p)))
}

/// Records no older than `end` (`end` included).
fn not_older_than<C: ColumnTrait>(cols: (C, C), end: Position) -> Condition {
    Condition::all().add(row_value(cols).gte(position(end)))
}

/// The oldest of `candidates` a page after `after` may read (the
/// `window`th, newest first), or None when fewer are left: the page then
/// reads to the end. One read of the index the list is ordered by.
async fn window_end<E: EntityTrait>(
    conn: &DatabaseConnection,
    candidates: Select<E>,
    cols: (E::Column, E::Column),
    after: Option<Position>,
    window: u64,
) -> DbResult<Option<Position>> {
    let q = match after {
        Some(p) => candidates.filter(older_than(cols, p)),
        None => candidates,
    };
    let end: Option<(DateTime<Utc>, Uuid)> = q
        .select_only()
        .column(cols.0)
        .column(cols.1)
        .order_by_desc(cols.0)
        .order_by_desc(cols.1)
        .offset(window.saturating_sub(1))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(end.map(|(at, id)| Position { at, id }))
}

/// What one list page asks for and how it may read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// The position the page starts after (newest first).
    pub after: Option<Position>,
    pub limit: u64,
    /// Candidates a text search reads at most (see the module).
    pub window: u64,
    /// The table is split by month of the list's instant (PostgreSQL's
    /// calls): each query names the months it reads.
    pub by_month: bool,
}

/// A newest-first page of `candidates` (those before `after`), tried
/// first over the [`RECENT_DAYS`] before `after` (or now) when the table is
/// split by month (`by_month`): a full page there is the page, since every
/// record left out is older than all it holds. Otherwise the page reads on
/// without that bound.
async fn newest_first_recent_first<E: EntityTrait>(
    conn: &DatabaseConnection,
    candidates: Select<E>,
    cols: (E::Column, E::Column),
    Paging {
        after, limit, by_month, ..
    }: Paging,
) -> DbResult<Vec<E::Model>> {
    if by_month {
        let top = after.map_or_else(Utc::now, |p| p.at);
        let recent = candidates
            .clone()
            .filter(cols.0.gte(top - chrono::Duration::days(RECENT_DAYS)));
        let rows = newest_first(conn, recent, cols, after, limit).await?;
        if rows.len() as u64 > limit {
            return Ok(rows);
        }
    }
    newest_first(conn, candidates, cols, after, limit).await
}

/// A newest-first page of `candidates`, those matching `text` when there
/// is one; `to_items` turns the rows into what is listed. With a text,
/// the page reads at most `paging.window` candidates (see the module).
pub(crate) async fn list_page<E, T, F, Fut>(
    conn: &DatabaseConnection,
    ends: &WindowEnds,
    candidates: Select<E>,
    text: Option<Condition>,
    cols: (E::Column, E::Column),
    paging: Paging,
    to_items: F,
) -> DbResult<Page<T>>
where
    E: EntityTrait,
    T: Listed,
    F: FnOnce(Vec<E::Model>) -> Fut,
    Fut: Future<Output = DbResult<Vec<T>>>,
{
    let Paging {
        after,
        limit,
        window,
        by_month,
    } = paging;
    let Some(text) = text else {
        let rows = newest_first_recent_first(conn, candidates, cols, paging).await?;
        return Ok(page_of(to_items(rows).await?, limit, None));
    };
    let end = match after {
        None => {
            let key = format!("{window} {}", candidates.build(conn.get_database_backend()));
            match ends.get(&key) {
                Some(end) => end,
                None => {
                    let end = window_end(conn, candidates.clone(), cols, None, window).await?;
                    ends.keep(key, end);
                    end
                }
            }
        }
        Some(_) => window_end(conn, candidates.clone(), cols, after, window).await?,
    };
    let mut q = candidates.filter(text);
    if let Some(end) = end {
        q = q.filter(not_older_than(cols, end));
        if by_month {
            // The same bound on the column alone, which the planner prunes
            // months by (it does not by a row value).
            q = q.filter(cols.0.gte(end.at));
        }
    }
    let rows = newest_first(conn, q, cols, after, limit).await?;
    let mut page = page_of(to_items(rows).await?, limit, None);
    if page.next.is_none() {
        // Short because the window ended: read on from its end.
        page.next = end;
    }
    Ok(page)
}
