//! Callbacks. The row, its audit entry, its events and the idempotency
//! record of the request that opened it commit together.

use async_trait::async_trait;
use chrono::NaiveDate;
use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::{Callback, CallbackFilter, CallbackStatus, DuePosition, Reason};
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{CallbackStore, Created, StoreResult};
use hotline_domain::{CustomerCode, StoreError, UnitCode};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::{audit, decode, idempotency, outbox, update_announced};
use crate::Db;
use crate::entities::callback::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};

pub(crate) fn to_row(cb: &Callback) -> ActiveModel {
    ActiveModel {
        id: Set(cb.id),
        number: Set(cb.number.as_str().to_string()),
        customer_code: Set(cb.customer_code.as_ref().map(ToString::to_string)),
        reason: Set(cb.reason.as_str().into()),
        note: Set(cb.note.clone()),
        due_at: Set(cb.due_at),
        agent: Set(cb.agent.clone()),
        queue: Set(cb.queue.clone()),
        unit_code: Set(cb.unit_code.as_ref().map(ToString::to_string)),
        status: Set(cb.status.as_str().into()),
        attempts: Set(serde_json::to_string(&cb.attempts).unwrap_or_else(|_| "[]".into())),
        max_attempts: Set(i32::try_from(cb.max_attempts).unwrap_or(i32::MAX)),
        calls: Set(serde_json::to_string(&cb.calls).unwrap_or_else(|_| "[]".into())),
        incident_id: Set(cb.incident_id),
        day: Set(cb.day.format("%Y-%m-%d").to_string()),
        closed_at: Set(cb.closed_at),
        created_by: Set(cb.created_by.clone()),
        created_at: Set(cb.created_at),
        updated_at: Set(cb.updated_at),
        version: Set(cb.version),
    }
}

fn json<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> DbResult<T> {
    Ok(
        serde_json::from_str(raw)
            .map_err(|e| StoreError::Other(format!("unreadable {column} in the database: {e}")))?,
    )
}

fn to_domain(m: Model) -> DbResult<Callback> {
    Ok(Callback {
        id: m.id,
        number: PhoneNumber::from_stored(m.number),
        customer_code: m.customer_code.map(CustomerCode::stored),
        reason: decode("reason", &m.reason, Reason::parse)?,
        note: m.note,
        due_at: m.due_at,
        agent: m.agent,
        queue: m.queue,
        unit_code: m.unit_code.map(UnitCode::stored),
        status: decode("status", &m.status, CallbackStatus::parse)?,
        attempts: json("attempts", &m.attempts)?,
        max_attempts: u32::try_from(m.max_attempts).unwrap_or(1),
        calls: json("calls", &m.calls)?,
        incident_id: m.incident_id,
        day: decode("day", &m.day, |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?,
        closed_at: m.closed_at,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn filtered(f: &CallbackFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(a) = &f.agent {
        q = q.filter(Column::Agent.eq(a.as_str()));
    }
    if let Some(queue) = &f.queue {
        q = q.filter(Column::Queue.eq(queue.as_str()));
    }
    if !f.statuses.is_empty() {
        q = q.filter(Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(before) = f.due_before {
        q = q.filter(Column::DueAt.lt(before));
    }
    if let Some(n) = &f.number {
        q = q.filter(Column::Number.eq(n.as_str()));
    }
    if let Some(from) = f.day_from {
        q = q.filter(Column::Day.gte(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = f.day_to {
        q = q.filter(Column::Day.lte(to.format("%Y-%m-%d").to_string()));
    }
    if let Some((units, unplaced)) = &f.units {
        let mut c = Condition::any().add(Column::UnitCode.is_in(units.iter().map(String::as_str)));
        if *unplaced {
            c = c.add(Column::UnitCode.is_null());
        }
        q = q.filter(c);
    }
    q
}

#[async_trait]
impl CallbackStore for Db {
    async fn create(
        &self,
        cb: &Callback,
        entry: &AuditEntry,
        events: &[OutboxEvent],
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, idem).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Created::KeyTaken(first)),
            };
            Entity::insert(to_row(cb)).exec_without_returning(&txn).await?;
            audit::record(&txn, entry).await?;
            outbox::append(&txn, events).await?;
            txn.commit().await?;
            self.events_written();
            Ok(Created::Stored(()))
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Callback>> {
        lift(async move { Entity::find_by_id(id).one(&self.conn).await?.map(to_domain).transpose() }).await
    }

    async fn update(
        &self,
        cb: &Callback,
        expected_version: i64,
        entry: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool> {
        let write = Entity::update_many()
            .set(to_row(cb))
            .filter(Column::Id.eq(cb.id))
            .filter(Column::Version.eq(expected_version));
        lift(update_announced(self, write, entry, events)).await
    }

    async fn list(&self, f: &CallbackFilter, after: Option<DuePosition>, limit: u64) -> StoreResult<Vec<Callback>> {
        lift(async move {
            let mut q = filtered(f);
            if let Some(p) = after {
                q = q.filter(
                    Condition::any().add(Column::DueAt.gt(p.due_at)).add(
                        Condition::all()
                            .add(Column::DueAt.eq(p.due_at))
                            .add(Column::Id.gt(p.id)),
                    ),
                );
            }
            q.order_by_asc(Column::DueAt)
                .order_by_asc(Column::Id)
                .limit(limit + 1)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(to_domain)
                .collect()
        })
        .await
    }

    async fn count(&self, f: &CallbackFilter) -> StoreResult<u64> {
        lift(async move { Ok(filtered(f).count(&self.conn).await?) }).await
    }
}
