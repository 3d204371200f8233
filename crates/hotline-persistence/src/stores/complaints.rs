//! Complaint facts: one row per work order, written with the work order's
//! new version, its history line, audit entry and events.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::complaint::report::ComplaintItem;
use hotline_domain::complaint::{ComplaintFacts, Facts, VoltageMark};
use hotline_domain::event::OutboxEvent;
use hotline_domain::org::UnitScope;
use hotline_domain::ports::{ComplaintStore, StoreResult};
use hotline_domain::text;
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

use super::work_orders::{event_row, to_domain, to_row};
use super::{audit, outbox};
use crate::Db;
use crate::entities::complaint_facts::{self as row, Column, Entity};
use crate::entities::work_order::event;
use crate::entities::work_order::row as wo_row;
use crate::errors::{DbResult, lift};

fn to_facts(m: row::Model) -> DbResult<ComplaintFacts> {
    let facts: Facts = serde_json::from_str(&m.facts)
        .map_err(|e| StoreError::Other(format!("unreadable complaint facts of {}: {e}", m.work_order_id)))?;
    Ok(ComplaintFacts {
        work_order_id: m.work_order_id,
        facts,
        recorded_by: m.recorded_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn kind_of(f: &Facts) -> &'static str {
    match f {
        Facts::Metering(_) => "metering",
        Facts::VoltageQuality(_) => "voltage_quality",
        Facts::StaffConduct(_) => "staff_conduct",
        Facts::Compliment(_) => "compliment",
    }
}

/// Work orders of `categories` opened in [from, to), of the units in `scope`.
fn opened(
    categories: &[Category],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    scope: Option<&UnitScope>,
) -> sea_orm::Select<wo_row::Entity> {
    let mut q = wo_row::Entity::find()
        .filter(wo_row::Column::Category.is_in(categories.iter().map(|c| c.as_str())))
        .filter(wo_row::Column::CreatedAt.gte(from))
        .filter(wo_row::Column::CreatedAt.lt(to));
    if let Some(scope) = scope {
        let mut placed = Condition::any().add(wo_row::Column::UnitCode.is_in(scope.units.iter().map(String::as_str)));
        if scope.unplaced {
            placed = placed.add(wo_row::Column::UnitCode.is_null());
        }
        q = q.filter(placed);
    }
    q.order_by_asc(wo_row::Column::CreatedAt)
        .order_by_asc(wo_row::Column::Id)
}

/// The facts of these work orders, by work order.
async fn facts_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> DbResult<HashMap<Uuid, ComplaintFacts>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = Entity::find()
            .filter(Column::WorkOrderId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for r in rows {
            out.insert(r.work_order_id, to_facts(r)?);
        }
    }
    Ok(out)
}

#[async_trait]
impl ComplaintStore for Db {
    async fn facts(&self, work_order_id: Uuid) -> StoreResult<Option<ComplaintFacts>> {
        lift(async move {
            Entity::find_by_id(work_order_id)
                .one(&self.conn)
                .await?
                .map(to_facts)
                .transpose()
        })
        .await
    }

    async fn facts_of(&self, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, ComplaintFacts>> {
        lift(async move { facts_of(&self.conn, ids).await }).await
    }

    async fn save_facts(
        &self,
        facts: &ComplaintFacts,
        wo: &WorkOrder,
        expected_version: i64,
        lines: &[WorkOrderEvent],
        audit_entry: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool> {
        lift(async move {
            let json = serde_json::to_string(&facts.facts).map_err(|e| StoreError::Other(e.to_string()))?;
            let r = row::ActiveModel {
                work_order_id: Set(facts.work_order_id),
                kind: Set(kind_of(&facts.facts).into()),
                facts: Set(json),
                transformer_key: Set(facts.facts.transformer_station().map(text::fold)),
                recorded_by: Set(facts.recorded_by.clone()),
                created_at: Set(facts.created_at),
                updated_at: Set(facts.updated_at),
                version: Set(facts.version),
            };
            let txn = self.conn.begin().await?;
            let done = wo_row::Entity::update_many()
                .set(to_row(wo))
                .filter(wo_row::Column::Id.eq(wo.id))
                .filter(wo_row::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            Entity::insert(r)
                .on_conflict(
                    OnConflict::column(Column::WorkOrderId)
                        .update_columns([
                            Column::Kind,
                            Column::Facts,
                            Column::TransformerKey,
                            Column::RecordedBy,
                            Column::UpdatedAt,
                            Column::Version,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            event::Entity::insert_many(lines.iter().map(event_row))
                .exec_without_returning(&txn)
                .await?;
            audit::record(&txn, audit_entry).await?;
            outbox::append(&txn, events).await?;
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn voltage_marks(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<VoltageMark>> {
        lift(async move {
            let rows = opened(&[Category::VoltageQuality], from, to, scope)
                .all(&self.conn)
                .await?;
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let mut facts = facts_of(&self.conn, &ids).await?;
            rows.into_iter()
                .map(|r| {
                    let wo = to_domain(r)?;
                    let station = facts
                        .remove(&wo.id)
                        .and_then(|f| f.facts.transformer_station().map(String::from));
                    Ok(VoltageMark {
                        id: wo.id,
                        code: wo.code.to_string(),
                        unit_code: wo.unit_code,
                        area_code: wo.area_code,
                        transformer_station: station,
                        opened_at: wo.created_at,
                    })
                })
                .collect()
        })
        .await
    }

    async fn complaints(
        &self,
        categories: &[Category],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<ComplaintItem>> {
        lift(async move {
            let rows = opened(categories, from, to, scope).all(&self.conn).await?;
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let mut facts = facts_of(&self.conn, &ids).await?;
            rows.into_iter()
                .map(|r| {
                    let work_order = to_domain(r)?;
                    let facts = facts.remove(&work_order.id).map(|f| f.facts);
                    Ok(ComplaintItem { work_order, facts })
                })
                .collect()
        })
        .await
    }
}
