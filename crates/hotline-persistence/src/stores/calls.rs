use async_trait::async_trait;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::{Call, CallFilter, CallerMatch};
use hotline_domain::call_topic::CallTopic;
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{CallStore, Created, StoreResult};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::search_window::{self, Paging};
use super::{audit, idempotency, like_contains, outbox, update_announced};
use crate::Db;
use crate::entities::call::{Column, Entity};
pub(crate) use crate::entities::call::{to_domain, to_row};
use crate::entities::call_topic;
use crate::errors::lift;
use crate::inserts::Inserts;

/// A new call's rows: the call, its topics, its audit line and its event.
fn call_rows(call: &Call, topics: &[CallTopic], audit_entry: &AuditEntry) -> Inserts {
    let mut rows = Inserts::new();
    rows.push([to_row(call)])
        .push(topics.iter().map(|t| call_topic::to_row(call.id, t)))
        .push([audit::row(audit_entry)])
        .push([outbox::to_row(&OutboxEvent::call(
            event::CALL_CREATED,
            call,
            call.created_at,
        ))]);
    rows
}

/// The calls `f`'s filters other than its text leave.
fn candidates(f: &CallFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(from) = f.from {
        q = q.filter(Column::StartedAt.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(Column::StartedAt.lt(to));
    }
    match &f.caller {
        Some(CallerMatch::Number(n)) => q = q.filter(Column::CallerNumber.eq(n.as_str())),
        Some(CallerMatch::Withheld) => q = q.filter(Column::CallerNumber.is_null()),
        None => {}
    }
    if let Some(c) = f.category {
        q = q.filter(Column::Category.eq(c.as_str()));
    }
    if let Some(o) = f.outcome {
        q = q.filter(Column::Outcome.eq(o.as_str()));
    }
    if let Some(a) = &f.agent {
        q = q.filter(Column::Agent.eq(a.as_str()));
    }
    if let Some(qu) = &f.queue {
        q = q.filter(Column::Queue.eq(qu.as_str()));
    }
    if let Some(c) = &f.customer_code {
        q = q.filter(Column::CustomerCode.eq(c.as_str()));
    }
    q
}

/// The calls whose folded text holds `text`.
fn matching(text: &str) -> Condition {
    Condition::all().add(Column::SearchText.like(LikeExpr::new(like_contains(text)).escape('\\')))
}

/// The calls `f` asks for: its other filters, then its text.
fn filtered(f: &CallFilter) -> sea_orm::Select<Entity> {
    match &f.text {
        Some(t) => candidates(f).filter(matching(t)),
        None => candidates(f),
    }
}

#[async_trait]
impl CallStore for Db {
    async fn create(
        &self,
        call: &Call,
        topics: &[CallTopic],
        audit_entry: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        idempotency::create_claimed(self, call_rows(call, topics, audit_entry), idem).await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Call>> {
        lift(async move {
            let row = Entity::find_by_id(id).one(&self.conn).await?;
            row.map(to_domain).transpose()
        })
        .await
    }

    async fn get_many(&self, ids: &[Uuid]) -> StoreResult<Vec<Call>> {
        lift(async move {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let rows = Entity::find()
                .filter(Column::Id.is_in(ids.iter().copied()))
                .all(&self.conn)
                .await?;
            rows.into_iter().map(to_domain).collect()
        })
        .await
    }

    async fn update(&self, call: &Call, expected_version: i64, audit_entry: &AuditEntry) -> StoreResult<bool> {
        let update = Entity::update_many()
            .set(to_row(call))
            .filter(Column::Id.eq(call.id))
            .filter(Column::Version.eq(expected_version));
        let events = [OutboxEvent::call(event::CALL_UPDATED, call, call.updated_at)];
        Ok(update_announced(self, update, audit_entry, &events).await?)
    }

    async fn list(
        &self,
        filter: &CallFilter,
        after: Option<Position>,
        limit: u64,
        with_total: bool,
    ) -> StoreResult<Page<Call>> {
        lift(async move {
            let total = if with_total {
                Some(filtered(filter).count(&self.conn).await?)
            } else {
                None
            };
            // A free-text search reads a bounded window of calls per page
            // (see `search_window`). On PostgreSQL, where calls are split by
            // month, a page first tries the recent months, unless it lists
            // one number's or one customer's calls: those are few, and read
            // in one query.
            let by_month = !self.is_sqlite() && filter.caller.is_none() && filter.customer_code.is_none();
            let mut page = search_window::list_page(
                &self.conn,
                &self.window_ends,
                candidates(filter),
                filter.text.as_deref().map(matching),
                (Column::StartedAt, Column::Id),
                Paging {
                    after,
                    limit,
                    window: self.search_window,
                    by_month,
                },
                |rows| async { rows.into_iter().map(to_domain).collect::<Result<Vec<_>, _>>() },
            )
            .await?;
            page.total = total;
            Ok(page)
        })
        .await
    }
}
