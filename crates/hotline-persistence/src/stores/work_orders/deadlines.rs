//! Deadline events: the open work orders whose resolution deadline is near
//! or past are reported once each. The claim of the work orders, their
//! events and the markers that keep each from being raised twice commit
//! together.

use chrono::{DateTime, Utc};
use hotline_domain::event::OutboxEvent;
use hotline_domain::work_order::{Status, WorkOrder};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::super::outbox;
use super::to_domain;
use crate::Db;
use crate::entities::work_order::row as wo;
use crate::errors::DbResult;

/// Set once a work order's deadline was reported at risk.
const RISK_MARKER: &str = "deadline_risk_notified_at";
/// Set once a work order's deadline was reported breached.
const BREACH_MARKER: &str = "deadline_breach_notified_at";

impl Db {
    /// Raises the deadline events due at `now` (at most `limit` of each
    /// kind): at risk within `at_risk_within`, and breached. Answers how
    /// many of each.
    pub(crate) async fn raise_deadlines(
        &self,
        now: DateTime<Utc>,
        at_risk_within: chrono::Duration,
        limit: u64,
    ) -> DbResult<(usize, usize)> {
        let txn = self.conn.begin().await?;
        let at_risk = Condition::all()
            .add(wo::Column::ResolutionDue.gte(now))
            .add(wo::Column::ResolutionDue.lte(now + at_risk_within));
        let risked = raise(&txn, now, at_risk, RISK_MARKER, limit, OutboxEvent::deadline_at_risk).await?;
        let past = Condition::all().add(wo::Column::ResolutionDue.lt(now));
        let breached = raise(&txn, now, past, BREACH_MARKER, limit, OutboxEvent::deadline_breached).await?;
        txn.commit().await?;
        if risked + breached > 0 {
            self.events_written();
        }
        Ok((risked, breached))
    }
}

/// Claims the open work orders whose deadline is in `due`, not yet marked
/// with `marker`; writes one event each (made by `event`) and sets the
/// marker. Answers how many.
async fn raise(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    due: Condition,
    marker: &'static str,
    limit: u64,
    event: fn(&WorkOrder, DateTime<Utc>) -> OutboxEvent,
) -> DbResult<usize> {
    let mut q = wo::Entity::find()
        .filter(wo::Column::Status.is_not_in(Status::clock_stopped().map(Status::as_str)))
        .filter(wo::Column::ResolutionDue.is_not_null())
        .filter(due)
        .filter(Expr::col(marker).is_null())
        .order_by_asc(wo::Column::ResolutionDue)
        .order_by_asc(wo::Column::Id)
        .limit(limit);
    // SQLite has one writer at a time, so its transaction is enough; on
    // PostgreSQL another replica's claim skips the rows locked here.
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(txn).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        events.push(event(&to_domain(r)?, now));
    }
    outbox::append(txn, &events).await?;
    let mark = Query::update()
        .table(wo::Entity)
        .value(marker, now)
        .and_where(Expr::col(wo::Column::Id).is_in(ids))
        .and_where(Expr::col(marker).is_null())
        .to_owned();
    txn.execute(&mark).await?;
    Ok(events.len())
}
