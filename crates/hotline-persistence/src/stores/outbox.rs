//! The transactional outbox. Deadline events are raised here: the claim of
//! the work orders, their events and the markers that keep each from being
//! raised twice commit together.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::event::{DeadlineSubject, OutboxEvent};
use hotline_domain::ports::{OutboxStore, StoreResult};
use hotline_domain::work_order::Status;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, ExprTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::Db;
use crate::entities::outbox_event as row;
use crate::entities::work_order::row as wo;
use crate::errors::store_err;

/// Set once a work order's deadline was reported at risk.
const RISK_MARKER: &str = "deadline_risk_notified_at";
/// Set once a work order's deadline was reported breached.
const BREACH_MARKER: &str = "deadline_breach_notified_at";

/// States whose deadline does not run (or no longer matters).
const NOT_RUNNING: [Status; 4] = [Status::Resolved, Status::Closed, Status::Cancelled, Status::OnHold];

fn to_row(e: &OutboxEvent) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(e.id),
        event_type: Set(e.event_type.clone()),
        unit_code: Set(e.unit_code.clone()),
        team_code: Set(e.team_code.clone()),
        subject_id: Set(e.subject_id),
        payload: Set(e.payload.to_string()),
        created_at: Set(e.created_at),
    }
}

fn to_domain(m: row::Model) -> OutboxEvent {
    OutboxEvent {
        id: m.id,
        event_type: m.event_type,
        unit_code: m.unit_code,
        team_code: m.team_code,
        subject_id: m.subject_id,
        payload: serde_json::from_str(&m.payload).unwrap_or(serde_json::Value::Null),
        created_at: m.created_at,
    }
}

fn subject(m: &wo::Model) -> DeadlineSubject {
    DeadlineSubject {
        id: m.id,
        code: m.code.clone(),
        category: m.category.clone(),
        status: m.status.clone(),
        team_code: m.team_code.clone(),
        unit_code: m.unit_code.clone(),
        resolution_due: m.resolution_due,
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
    event: fn(&DeadlineSubject, DateTime<Utc>) -> OutboxEvent,
) -> StoreResult<usize> {
    let mut q = wo::Entity::find()
        .filter(wo::Column::Status.is_not_in(NOT_RUNNING.iter().map(|s| s.as_str())))
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
    let rows = q.all(txn).await.map_err(store_err)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let events: Vec<row::ActiveModel> = rows.iter().map(|r| to_row(&event(&subject(r), now))).collect();
    row::Entity::insert_many(events)
        .exec_without_returning(txn)
        .await
        .map_err(store_err)?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mark = Query::update()
        .table(wo::Entity)
        .value(marker, now)
        .and_where(Expr::col(wo::Column::Id).is_in(ids))
        .and_where(Expr::col(marker).is_null())
        .to_owned();
    txn.execute(&mark).await.map_err(store_err)?;
    Ok(rows.len())
}

#[async_trait]
impl OutboxStore for Db {
    async fn raise_deadline_events(
        &self,
        now: DateTime<Utc>,
        at_risk_within: chrono::Duration,
        limit: u64,
    ) -> StoreResult<(usize, usize)> {
        let txn = self.conn.begin().await.map_err(store_err)?;
        let at_risk = Condition::all()
            .add(wo::Column::ResolutionDue.gte(now))
            .add(wo::Column::ResolutionDue.lte(now + at_risk_within));
        let risked = raise(&txn, now, at_risk, RISK_MARKER, limit, OutboxEvent::deadline_at_risk).await?;
        let past = Condition::all().add(wo::Column::ResolutionDue.lt(now));
        let breached = raise(&txn, now, past, BREACH_MARKER, limit, OutboxEvent::deadline_breached).await?;
        txn.commit().await.map_err(store_err)?;
        Ok((risked, breached))
    }

    async fn list(&self, after: Option<(DateTime<Utc>, Uuid)>, limit: u64) -> StoreResult<Vec<OutboxEvent>> {
        let mut q = row::Entity::find();
        if let Some((at, id)) = after {
            q = q.filter(
                Condition::any().add(row::Column::CreatedAt.gt(at)).add(
                    Condition::all()
                        .add(row::Column::CreatedAt.eq(at))
                        .add(row::Column::Id.gt(id)),
                ),
            );
        }
        let rows = q
            .order_by_asc(row::Column::CreatedAt)
            .order_by_asc(row::Column::Id)
            .limit(limit)
            .all(&self.conn)
            .await
            .map_err(store_err)?;
        Ok(rows.into_iter().map(to_domain).collect())
    }
}
