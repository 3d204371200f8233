//! Outage incidents. The incident, the areas it covers, the work orders it
//! touches, their history lines and the audit entries commit together.

use hotline_domain::{AreaCode, CustomerCode, UnitCode};
use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::event::{self as events_log, OutboxEvent};
use hotline_domain::incident::{Callback, Incident, IncidentFilter, IncidentStatus, OutageReport};
use hotline_domain::ports::{IncidentStore, StoreResult};
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent};
use sea_orm::sea_query::{CaseStatement, Expr, Order};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, TransactionTrait,
};
use uuid::Uuid;

use super::{audit, decode, outbox};
use crate::Db;
use crate::entities::call;
use crate::entities::incident::{area, row};
use crate::entities::work_order::{call_link, event, row as wo};
use crate::errors::{DbResult, lift};

fn to_row(i: &Incident) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(i.id),
        code: Set(i.code.clone()),
        area_codes: Set(serde_json::to_string(&i.area_codes).unwrap_or_else(|_| "[]".into())),
        unit_code: Set(i.unit_code.as_ref().map(ToString::to_string)),
        cause: Set(i.cause.clone()),
        started_at: Set(i.started_at),
        estimated_restoration_at: Set(i.estimated_restoration_at),
        status: Set(i.status.as_str().into()),
        resolved_at: Set(i.resolved_at),
        created_by: Set(i.created_by.clone()),
        created_at: Set(i.created_at),
        updated_at: Set(i.updated_at),
        version: Set(i.version),
    }
}

fn to_domain(m: row::Model) -> DbResult<Incident> {
    Ok(Incident {
        id: m.id,
        code: m.code,
        area_codes: serde_json::from_str(&m.area_codes).unwrap_or_default(),
        unit_code: m.unit_code.map(UnitCode::stored),
        cause: m.cause,
        started_at: m.started_at,
        estimated_restoration_at: m.estimated_restoration_at,
        status: decode("status", &m.status, IncidentStatus::parse)?,
        resolved_at: m.resolved_at,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

async fn write_areas(db: &impl ConnectionTrait, i: &Incident) -> DbResult<()> {
    area::Entity::delete_many()
        .filter(area::Column::IncidentId.eq(i.id))
        .exec(db)
        .await?;
    let rows = i.area_codes.iter().map(|c| area::ActiveModel {
        incident_id: Set(i.id),
        area_code: Set(c.to_string()),
    });
    area::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

async fn record_all(db: &impl ConnectionTrait, audits: &[AuditEntry]) -> StoreResult<()> {
    for a in audits {
        audit::record(db, a).await?;
    }
    Ok(())
}

/// Sets `incident_id` on a work order still attached to nothing (and at
/// `expected_version`, when given); true when it did.
async fn attach_one(
    db: &impl ConnectionTrait,
    incident_id: Uuid,
    ev: &WorkOrderEvent,
    expected_version: Option<i64>,
) -> DbResult<bool> {
    // A cancelled one's last change is its cancellation, which this moves
    // (the note is written only for a cancelled one; an attach changes no
    // status, so the event cannot tell).
    super::reports::note_moves(db, ev.work_order_id, ev.at, false).await?;
    let mut q = wo::Entity::update_many()
        .col_expr(wo::Column::IncidentId, Expr::value(incident_id))
        .col_expr(wo::Column::Version, Expr::col(wo::Column::Version).add(1))
        .col_expr(wo::Column::UpdatedAt, Expr::value(ev.at))
        .filter(wo::Column::Id.eq(ev.work_order_id))
        .filter(wo::Column::IncidentId.is_null());
    if let Some(v) = expected_version {
        q = q.filter(wo::Column::Version.eq(v));
    }
    let done = q.exec(db).await?;
    if done.rows_affected != 1 {
        return Ok(false);
    }
    event::Entity::insert(super::work_orders::event_row(ev))
        .exec_without_returning(db)
        .await?;
    Ok(true)
}

/// Incidents whose areas include one of `codes`, found by the database in
/// one statement (an area's ancestry ends at the root, which every
/// incident's areas include: their ids are not brought here first).
fn of_areas(q: sea_orm::Select<row::Entity>, codes: &[String]) -> sea_orm::Select<row::Entity> {
    let ids = area::Entity::find()
        .select_only()
        .column(area::Column::IncidentId)
        .filter(area::Column::AreaCode.is_in(codes.iter().map(String::as_str)))
        .into_query();
    q.filter(row::Column::Id.in_subquery(ids))
}

#[async_trait]
impl IncidentStore for Db {
    async fn create(&self, incident: &Incident, attach: &[WorkOrderEvent], audits: &[AuditEntry]) -> StoreResult<u64> {
        lift(async move {
            let txn = self.conn.begin().await?;
            row::Entity::insert(to_row(incident))
                .exec_without_returning(&txn)
                .await?;
            write_areas(&txn, incident).await?;
            let mut attached = 0;
            for ev in attach {
                if attach_one(&txn, incident.id, ev, None).await? {
                    attached += 1;
                }
            }
            record_all(&txn, audits).await?;
            let opened = OutboxEvent::incident(events_log::INCIDENT_OPENED, incident, incident.created_at);
            outbox::append(&txn, &[opened]).await?;
            txn.commit().await?;
            self.events_written();
            Ok(attached)
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Incident>> {
        lift(async move {
            row::Entity::find_by_id(id)
                .one(&self.conn)
                .await?
                .map(to_domain)
                .transpose()
        })
        .await
    }

    async fn list(&self, filter: &IncidentFilter, limit: u64) -> StoreResult<Vec<Incident>> {
        lift(async move {
            let mut q = row::Entity::find();
            if !filter.statuses.is_empty() {
                q = q.filter(row::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
            }
            if let Some(codes) = &filter.area_codes {
                if codes.is_empty() {
                    return Ok(Vec::new());
                }
                q = of_areas(q, codes);
            }
            q.order_by_desc(row::Column::CreatedAt)
                .order_by_desc(row::Column::Id)
                .limit(limit)
                .all(&self.conn)
                .await?
                .into_iter()
                .map(to_domain)
                .collect()
        })
        .await
    }

    async fn newest_covering(&self, areas: &[String], statuses: &[IncidentStatus]) -> StoreResult<Option<Incident>> {
        lift(async move {
            if areas.is_empty() || statuses.is_empty() {
                return Ok(None);
            }
            // The position of the row's status in `statuses`: 0 wins.
            let mut rank = CaseStatement::new();
            for (i, s) in statuses.iter().enumerate() {
                rank = rank.case(row::Column::Status.eq(s.as_str()), i as i64);
            }
            let q = row::Entity::find().filter(row::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
            of_areas(q, areas)
                .order_by(Expr::Case(Box::new(rank)), Order::Asc)
                .order_by_desc(row::Column::CreatedAt)
                .order_by_desc(row::Column::Id)
                .one(&self.conn)
                .await?
                .map(to_domain)
                .transpose()
        })
        .await
    }

    async fn update(&self, incident: &Incident, expected_version: i64, entry: &AuditEntry) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = row::Entity::update_many()
                .set(to_row(incident))
                .filter(row::Column::Id.eq(incident.id))
                .filter(row::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            write_areas(&txn, incident).await?;
            audit::record(&txn, entry).await?;
            let updated = OutboxEvent::incident(events_log::INCIDENT_UPDATED, incident, incident.updated_at);
            outbox::append(&txn, &[updated]).await?;
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn work_order_ids(&self, id: Uuid) -> StoreResult<Vec<Uuid>> {
        lift(async move {
            let rows = wo::Entity::find()
                .select_only()
                .column(wo::Column::Id)
                .filter(wo::Column::IncidentId.eq(id))
                .order_by_asc(wo::Column::CreatedAt)
                .order_by_asc(wo::Column::Id)
                .into_tuple::<Uuid>()
                .all(&self.conn)
                .await?;
            Ok(rows)
        })
        .await
    }

    async fn attach(
        &self,
        incident_id: Uuid,
        _work_order_id: Uuid,
        expected_version: i64,
        ev: &WorkOrderEvent,
        audits: &[AuditEntry],
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !attach_one(&txn, incident_id, ev, Some(expected_version)).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            record_all(&txn, audits).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn recent_outages(&self, area_code: &str, since: DateTime<Utc>) -> StoreResult<Vec<OutageReport>> {
        lift(async move {
            let rows = wo::Entity::find()
                .select_only()
                .column(wo::Column::Id)
                .column(wo::Column::CreatedAt)
                .column(wo::Column::IncidentId)
                .filter(wo::Column::Category.eq(Category::Outage.as_str()))
                .filter(wo::Column::AreaCode.eq(area_code))
                .filter(wo::Column::CreatedAt.gte(since))
                .order_by_asc(wo::Column::CreatedAt)
                .limit(1000)
                .into_tuple::<(Uuid, DateTime<Utc>, Option<Uuid>)>()
                .all(&self.conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(id, at, incident)| OutageReport {
                    work_order_id: id,
                    area_code: AreaCode::stored(area_code.to_string()),
                    opened_at: at,
                    incident_id: incident,
                })
                .collect())
        })
        .await
    }

    async fn resolve(
        &self,
        incident: &Incident,
        expected_version: i64,
        work_orders: &[(WorkOrder, i64)],
        events: &[WorkOrderEvent],
        audits: &[AuditEntry],
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = row::Entity::update_many()
                .set(to_row(incident))
                .filter(row::Column::Id.eq(incident.id))
                .filter(row::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            for (w, expected) in work_orders {
                let pauses = serde_json::to_string(&w.pauses).unwrap_or_else(|_| "[]".into());
                let done = wo::Entity::update_many()
                    .col_expr(wo::Column::Status, Expr::value(w.status.as_str()))
                    .col_expr(
                        wo::Column::HeldFrom,
                        Expr::value(w.held_from.map(|s| s.as_str().to_string())),
                    )
                    .col_expr(wo::Column::ResolvedAt, Expr::value(w.resolved_at))
                    .col_expr(wo::Column::Pauses, Expr::value(pauses))
                    .col_expr(wo::Column::UpdatedAt, Expr::value(w.updated_at))
                    .col_expr(wo::Column::Version, Expr::value(w.version))
                    .filter(wo::Column::Id.eq(w.id))
                    .filter(wo::Column::Version.eq(*expected))
                    .exec(&txn)
                    .await?;
                if done.rows_affected != 1 {
                    txn.rollback().await?;
                    return Ok(false);
                }
            }
            if !events.is_empty() {
                event::Entity::insert_many(events.iter().map(super::work_orders::event_row))
                    .exec_without_returning(&txn)
                    .await?;
            }
            record_all(&txn, audits).await?;
            let at = incident.resolved_at.unwrap_or(incident.updated_at);
            let mut announced = vec![OutboxEvent::incident(events_log::INCIDENT_RESOLVED, incident, at)];
            for line in events {
                if let Some((w, _)) = work_orders.iter().find(|(w, _)| w.id == line.work_order_id) {
                    for t in events_log::work_order_changes(line) {
                        announced.push(OutboxEvent::work_order(t, w, line.at));
                    }
                }
            }
            outbox::append(&txn, &announced).await?;
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn callbacks(&self, incident_id: Uuid) -> StoreResult<Vec<Callback>> {
        lift(async move {
            let rows = wo::Entity::find()
                .filter(wo::Column::IncidentId.eq(incident_id))
                .filter(wo::Column::CallbackRequested.eq(true))
                .filter(wo::Column::Status.ne("cancelled"))
                .order_by_asc(wo::Column::CreatedAt)
                .all(&self.conn)
                .await?;
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let links = call_link::Entity::find()
                .filter(call_link::Column::WorkOrderId.is_in(ids))
                .order_by_asc(call_link::Column::LinkedAt)
                .all(&self.conn)
                .await?;
            let call_ids: Vec<Uuid> = links.iter().map(|l| l.call_id).collect();
            let numbers: HashMap<Uuid, String> = if call_ids.is_empty() {
                HashMap::new()
            } else {
                call::Entity::find()
                    .filter(call::Column::Id.is_in(call_ids))
                    .all(&self.conn)
                    .await?
                    .into_iter()
                    .filter_map(|c| c.caller_number.map(|n| (c.id, n)))
                    .collect()
            };
            Ok(rows
                .into_iter()
                .map(|r| {
                    let mut caller_numbers: Vec<String> = Vec::new();
                    for l in links.iter().filter(|l| l.work_order_id == r.id) {
                        if let Some(n) = numbers.get(&l.call_id)
                            && !caller_numbers.contains(n)
                        {
                            caller_numbers.push(n.clone());
                        }
                    }
                    Callback {
                        customer_code: r.customer_code.map(CustomerCode::stored),
                        work_order_id: r.id,
                        work_order_code: r.code,
                        caller_numbers,
                    }
                })
                .collect())
        })
        .await
    }
}
