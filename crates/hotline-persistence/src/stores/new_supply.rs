//! New-supply applications. An application is opened with its work order,
//! and changed with it, in one transaction each.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::{Application, Stage, SupplyType};
use hotline_domain::ports::{Created, NewSupplyChange, NewSupplyStore, StoreResult};
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use super::work_orders::{insert_opened, update_in};
use super::{decode, idempotency, outbox};
use crate::Db;
use crate::entities::new_supply::{ActiveModel, Column, Entity, Model};
use crate::entities::work_order::row;
use crate::errors::{DbResult, lift};

fn json_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn json<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> DbResult<T> {
    Ok(
        serde_json::from_str(raw)
            .map_err(|e| StoreError::Other(format!("unreadable {column} in the database: {e}")))?,
    )
}

fn to_row(a: &Application) -> ActiveModel {
    ActiveModel {
        work_order_id: Set(a.work_order_id),
        supply_type: Set(a.supply_type.map(|t| t.as_str().into())),
        stage: Set(a.stage.as_str().into()),
        applicant: Set(json_text(&a.applicant)),
        checklist: Set(json_text(&a.checklist)),
        steps: Set(json_text(&a.steps)),
        documents_complete_at: Set(a.documents_complete_at),
        documents_confirmed_by: Set(a.documents_confirmed_by.clone()),
        message: Set(a.message.clone()),
        message_id: Set(a.message_id.clone()),
        created_at: Set(a.created_at),
        updated_at: Set(a.updated_at),
        version: Set(a.version),
    }
}

fn to_domain(m: Model) -> DbResult<Application> {
    Ok(Application {
        work_order_id: m.work_order_id,
        supply_type: m
            .supply_type
            .map(|t| decode("supply_type", &t, SupplyType::parse))
            .transpose()?,
        stage: decode("stage", &m.stage, Stage::parse)?,
        applicant: json("applicant", &m.applicant)?,
        checklist: json("checklist", &m.checklist)?,
        steps: json("steps", &m.steps)?,
        documents_complete_at: m.documents_complete_at,
        documents_confirmed_by: m.documents_confirmed_by,
        message: m.message,
        message_id: m.message_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

#[async_trait]
impl NewSupplyStore for Db {
    async fn open(
        &self,
        a: &Application,
        wo: &WorkOrder,
        lines: &[WorkOrderEvent],
        call_id: Option<Uuid>,
        entry: &AuditEntry,
        events: &[OutboxEvent],
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, idem).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Created::KeyTaken(first)),
            };
            insert_opened(&txn, wo, lines, call_id, entry).await?;
            Entity::insert(to_row(a)).exec_without_returning(&txn).await?;
            outbox::append(&txn, events).await?;
            txn.commit().await?;
            self.events_written();
            Ok(Created::Stored(()))
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Application>> {
        lift(async move { Entity::find_by_id(id).one(&self.conn).await?.map(to_domain).transpose() }).await
    }

    async fn by_message(&self, message_id: &str) -> StoreResult<Option<Application>> {
        lift(async move {
            Entity::find()
                .filter(Column::MessageId.eq(message_id))
                .one(&self.conn)
                .await?
                .map(to_domain)
                .transpose()
        })
        .await
    }

    async fn update(&self, c: NewSupplyChange<'_>) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = Entity::update_many()
                .set(to_row(c.application))
                .filter(Column::WorkOrderId.eq(c.application.work_order_id))
                .filter(Column::Version.eq(c.expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 || !update_in(&txn, c.work_order, c.work_order_version, c.line, c.audit).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            outbox::append(&txn, c.events).await?;
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn opened_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(Application, WorkOrder)>> {
        lift(async move {
            let apps = Entity::find()
                .filter(Column::CreatedAt.gte(from))
                .filter(Column::CreatedAt.lt(to))
                .order_by_asc(Column::CreatedAt)
                .all(&self.conn)
                .await?;
            let mut out = Vec::with_capacity(apps.len());
            for chunk in apps.chunks(500) {
                let ids: Vec<Uuid> = chunk.iter().map(|a| a.work_order_id).collect();
                let orders: std::collections::HashMap<Uuid, WorkOrder> = row::Entity::find()
                    .filter(row::Column::Id.is_in(ids))
                    .all(&self.conn)
                    .await?
                    .into_iter()
                    .map(|m| super::work_orders::to_domain(m).map(|w| (w.id, w)))
                    .collect::<DbResult<_>>()?;
                for a in chunk {
                    if let Some(wo) = orders.get(&a.work_order_id) {
                        out.push((to_domain(a.clone())?, wo.clone()));
                    }
                }
            }
            Ok(out)
        })
        .await
    }
}
