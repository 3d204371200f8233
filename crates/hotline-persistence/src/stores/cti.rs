//! PBX call events folded into call-log records. One row per (PBX, call id)
//! holds the folded state; it is claimed with an insert-or-touch that locks
//! it, so concurrent events for one call serialise on it and produce one
//! record.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::call::Call;
use hotline_domain::cti::{CallIds, CtiEvent, CtiState};
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{CtiApplied, CtiStore, StoreResult};
use hotline_domain::principal::Principal;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::{audit, calls, outbox};
use crate::Db;
use crate::entities::call as call_rows;
use crate::entities::cti_call::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};

/// The `source` of call-log records made from PBX events.
pub const SOURCE: &str = "cti";

/// The call's row, locked until the transaction ends: made (reserving its
/// record's id) when this is the call's first event. One statement: an
/// insert that, when the row exists, touches it instead — which locks it
/// and returns it.
async fn claim(
    txn: &DatabaseTransaction,
    integration: Uuid,
    call_id: &str,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let reserved = Uuid::now_v7();
    let row = ActiveModel {
        integration_id: Set(integration),
        call_id: Set(call_id.to_string()),
        call_row_id: Set(reserved),
        contact_id: Set(reserved),
        state: Set("{}".into()),
        updated_at: Set(now),
    };
    Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::IntegrationId, Column::CallId])
                .update_column(Column::UpdatedAt)
                .to_owned(),
        )
        .exec_with_returning(txn)
        .await
}

/// Joins this leg to the contact of the call it continues, moving every leg
/// that already hung off this one along with it.
async fn link(
    txn: &DatabaseTransaction,
    integration: Uuid,
    own: &Model,
    original: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    if original == own.call_id {
        return Ok(own.contact_id);
    }
    let target = claim(txn, integration, original, now).await?.contact_id;
    if target != own.contact_id {
        Entity::update_many()
            .col_expr(Column::ContactId, Expr::value(target))
            .filter(Column::IntegrationId.eq(integration))
            .filter(Column::ContactId.eq(own.contact_id))
            .exec(txn)
            .await?;
        call_rows::Entity::update_many()
            .col_expr(call_rows::Column::ContactId, Expr::value(target))
            .filter(call_rows::Column::ContactId.eq(own.contact_id))
            .exec(txn)
            .await?;
    }
    Ok(target)
}

/// How far back a diverted leg looks for the leg it continues.
const DIVERSION_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(4);

/// A number column matching `raw`: by its normal form when it has one,
/// else as written.
fn same_number(normal: call_rows::Column, written: call_rows::Column, raw: &str) -> Condition {
    match PhoneNumber::parse(raw) {
        Ok(Some(n)) => Condition::all().add(normal.eq(n.as_str())),
        _ => Condition::all().add(written.eq(raw)),
    }
}

/// For a leg the PBX diverted (sipgate's `diversion`: the number first
/// dialled, on a new call id), the call id of the leg it continues: this
/// PBX's latest earlier call from the same caller to that number.
async fn diverted_from(
    txn: &DatabaseTransaction,
    integration: Uuid,
    own: &Model,
    state: &CtiState,
) -> Result<Option<String>, DbErr> {
    let (Some(dialled), Some(caller), Some(at)) = (&state.diversion, &state.from, state.started_at()) else {
        return Ok(None);
    };
    if matches!(PhoneNumber::parse(caller), Ok(None)) {
        // A withheld caller cannot be told apart from any other.
        return Ok(None);
    }
    let candidates: Vec<(Uuid,)> = call_rows::Entity::find()
        .select_only()
        .column(call_rows::Column::Id)
        .filter(same_number(
            call_rows::Column::CallerNumber,
            call_rows::Column::CallerNumberRaw,
            caller,
        ))
        .filter(same_number(
            call_rows::Column::CalleeNumber,
            call_rows::Column::CalleeNumberRaw,
            dialled,
        ))
        .filter(call_rows::Column::Source.eq(SOURCE))
        .filter(call_rows::Column::Id.ne(own.call_row_id))
        // This PBX's legs only (call ids are unique per PBX).
        .filter(
            call_rows::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(Column::CallRowId)
                    .from(Entity)
                    .and_where(Column::IntegrationId.eq(integration))
                    .to_owned(),
            ),
        )
        .filter(call_rows::Column::StartedAt.lte(at))
        .filter(call_rows::Column::StartedAt.gte(at - DIVERSION_WINDOW))
        .order_by_desc(call_rows::Column::StartedAt)
        .limit(1)
        .into_tuple()
        .all(txn)
        .await?;
    let Some((id,)) = candidates.first() else {
        return Ok(None);
    };
    let leg = Entity::find()
        .filter(Column::IntegrationId.eq(integration))
        .filter(Column::CallRowId.eq(*id))
        .one(txn)
        .await?;
    Ok(leg.map(|l| l.call_id))
}

impl Db {
    async fn apply_once(&self, integration: &Principal, event: &CtiEvent, now: DateTime<Utc>) -> DbResult<CtiApplied> {
        let txn = self.conn.begin().await?;
        let applied = apply_in(&txn, integration, event, now).await?;
        txn.commit().await?;
        self.events_written();
        Ok(applied)
    }
}

/// One event's reads and writes inside `txn`.
async fn apply_in(
    txn: &DatabaseTransaction,
    integration: &Principal,
    event: &CtiEvent,
    now: DateTime<Utc>,
) -> DbResult<CtiApplied> {
    // The claim is a write and comes first: SQLite takes its write lock at
    // once, PostgreSQL locks the call's row.
    let row = claim(txn, integration.id, &event.call_id, now).await?;
    let mut state: CtiState = serde_json::from_str(&row.state).unwrap_or_default();
    let changed = state.apply(event);
    let existing = match call_rows::Entity::find_by_id(row.call_row_id).one(txn).await? {
        Some(m) => Some(calls::to_domain(m)?),
        None => None,
    };
    if !changed && let Some(call) = existing {
        return Ok(CtiApplied {
            call,
            created: false,
            changed: false,
        });
    }
    // Only an event that carries the diversion looks for the leg it
    // continues (a newCall, and an answer that repeats it), not every
    // later event of a leg whose first leg was never seen.
    if state.original_call_id.is_none()
        && event.diversion.is_some()
        && let Some(original) = diverted_from(txn, integration.id, &row, &state).await?
    {
        state.original_call_id = Some(original);
    }
    let contact = match &state.original_call_id {
        Some(original) => link(txn, integration.id, &row, original, now).await?,
        None => row.contact_id,
    };
    let ids = CallIds {
        call_id: row.call_row_id,
        contact_id: contact,
        external_id: event.call_id.clone(),
        source: SOURCE.into(),
        created_by: integration.actor(),
    };
    let call = state
        .to_call(ids, existing.as_ref(), now)
        .ok_or_else(|| StoreError::Other("a call event without a time".into()))?;
    write_call(txn, &call, existing.as_ref(), integration, now).await?;
    Entity::update_many()
        .col_expr(
            Column::State,
            Expr::value(serde_json::to_string(&state).unwrap_or_else(|_| "{}".into())),
        )
        .col_expr(Column::ContactId, Expr::value(contact))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::IntegrationId.eq(integration.id))
        .filter(Column::CallId.eq(event.call_id.as_str()))
        .exec(txn)
        .await?;
    Ok(CtiApplied {
        changed: existing.as_ref() != Some(&call),
        created: existing.is_none(),
        call,
    })
}

async fn write_call(
    txn: &DatabaseTransaction,
    call: &Call,
    existing: Option<&Call>,
    actor: &Principal,
    now: DateTime<Utc>,
) -> DbResult<()> {
    match existing {
        None => {
            call_rows::Entity::insert(calls::to_row(call))
                .exec_without_returning(txn)
                .await?;
            audit::record(txn, &AuditEntry::derived_creation("call", call.id, actor, now)).await?;
        }
        Some(old) if old != call => {
            call_rows::Entity::update_many()
                .set(calls::to_row(call))
                .filter(call_rows::Column::Id.eq(call.id))
                .exec(txn)
                .await?;
            let changes = diff(&old.audit_view(), &call.audit_view());
            audit::record(txn, &AuditEntry::new("call", call.id, "update", actor, now, changes)).await?;
        }
        Some(_) => {}
    }
    let events: Vec<OutboxEvent> = event::call_lifecycle(existing, call)
        .into_iter()
        .map(|t| OutboxEvent::call(t, call, now))
        .collect();
    outbox::append(txn, &events).await?;
    Ok(())
}

#[async_trait]
impl CtiStore for Db {
    async fn apply(&self, integration: &Principal, event: &CtiEvent, now: DateTime<Utc>) -> StoreResult<CtiApplied> {
        if let Some(group) = &self.group {
            // SQLite: the event shares a commit with others. The batch holds
            // the write lock, so nothing in it meets a busy database.
            let (integration, event) = (integration.clone(), event.clone());
            return group
                .run(move |txn| Box::pin(async move { lift(apply_in(txn, &integration, &event, now)).await }))
                .await;
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.apply_once(integration, event, now).await {
                Ok(applied) => return Ok(applied),
                Err(e) if e.is_retryable() && attempt < 5 => {
                    tokio::time::sleep(std::time::Duration::from_millis(5 * attempt)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}
