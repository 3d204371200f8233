//! How far back one page of a free-text call search reads.
//!
//! The search matches a phrase anywhere in each call's folded text, which
//! no index serves: a page reads calls newest first until it has its
//! page. For a phrase that is common that is a few rows; for one that is
//! rare or absent it was every call in the log, seconds at a million
//! calls and ten times that at ten million. So one page reads at most
//! [`WINDOW`] calls (`HOTLINE_SEARCH_WINDOW`): when they hold fewer matches than the page, the page
//! comes back short (even empty) with a cursor at the last call read, and
//! the next page reads on from there. Following `next_cursor` until it is
//! null still finds every match, in the same order; each page's cost no
//! longer grows with the log.

use hotline_domain::call::CallFilter;
use hotline_domain::page::Position;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::call::{Column, Entity};
use crate::errors::DbResult;

/// Calls one search page reads at most, unless configured otherwise: at
/// a few microseconds a call, a page that finds nothing answers in about
/// a tenth of a second.
pub(crate) const WINDOW: u64 = 20_000;

/// The oldest call a search page after `after` may read (the
/// `window`th, newest first, within the filter's time range), or None
/// when fewer calls than that are left: the page then reads to the end.
/// One index-only read of the calls' start times.
pub(crate) async fn window_end(
    conn: &DatabaseConnection,
    filter: &CallFilter,
    after: Option<Position>,
    window: u64,
) -> DbResult<Option<Position>> {
    let mut q = Entity::find()
        .select_only()
        .column(Column::StartedAt)
        .column(Column::Id);
    if let Some(from) = filter.from {
        q = q.filter(Column::StartedAt.gte(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(Column::StartedAt.lt(to));
    }
    if let Some(p) = after {
        q = q.filter(older_than(p));
    }
    let end: Option<(chrono::DateTime<chrono::Utc>, Uuid)> = q
        .order_by_desc(Column::StartedAt)
        .order_by_desc(Column::Id)
        .offset(window.saturating_sub(1))
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(end.map(|(at, id)| Position { at, id }))
}

/// Calls listed after `p` (newest first): older, or as old with a lower id.
pub(crate) fn older_than(p: Position) -> Condition {
    Condition::any().add(Column::StartedAt.lt(p.at)).add(
        Condition::all()
            .add(Column::StartedAt.eq(p.at))
            .add(Column::Id.lt(p.id)),
    )
}

/// Calls no older than `end` (the window's last call included). The
/// plain lower bound on `started_at` is what bounds the index scan; the
/// rest sorts out calls that started at the same instant.
pub(crate) fn not_older_than(end: Position) -> Condition {
    Condition::all().add(Column::StartedAt.gte(end.at)).add(
        Condition::any()
            .add(Column::StartedAt.gt(end.at))
            .add(Column::Id.gte(end.id)),
    )
}
