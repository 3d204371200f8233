//! New-supply applications. An application is opened with its work order,
//! and changed with it, in one transaction each.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::{Application, ApplicationFilter, Stage, SupplyType};
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{Created, NewSupplyChange, NewSupplyStore, StoreResult};
use hotline_domain::work_order::{WorkOrder, WorkOrderEvent, WorkOrderFilter};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

use super::work_orders::{filtered as work_orders_filtered, insert_opened, update_in};
use super::{Listed, decode, idempotency, like_contains, newest_first, outbox, page_of};
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
        search_text: Set(a.applicant.search_text()),
        received_at: Set(a.received_at),
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
        received_at: m.received_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

impl Listed for Application {
    fn position(&self) -> Position {
        Position {
            at: self.created_at,
            id: self.work_order_id,
        }
    }
}

/// The stages still running: neither energised nor cancelled.
fn running() -> Vec<&'static str> {
    Stage::ALL
        .iter()
        .filter(|s| !matches!(s, Stage::Energised | Stage::Cancelled))
        .map(|s| s.as_str())
        .collect()
}

/// The query of a list: the application's own columns, and the work
/// order's (unit, team, source, deadline) through a subquery.
fn filtered(f: &ApplicationFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if !f.stages.is_empty() {
        q = q.filter(Column::Stage.is_in(f.stages.iter().map(|s| s.as_str())));
    }
    if !f.supply_types.is_empty() {
        let mut any = Condition::any();
        let known: Vec<&str> = f.supply_types.iter().flatten().map(|t| t.as_str()).collect();
        if !known.is_empty() {
            any = any.add(Column::SupplyType.is_in(known));
        }
        if f.supply_types.iter().any(Option::is_none) {
            any = any.add(Column::SupplyType.is_null());
        }
        q = q.filter(any);
    }
    match f.missing_documents {
        Some(true) => q = q.filter(Column::Stage.eq(Stage::AwaitingDocuments.as_str())),
        Some(false) => q = q.filter(Column::Stage.ne(Stage::AwaitingDocuments.as_str())),
        None => {}
    }
    if f.overdue_at.is_some() {
        q = q.filter(Column::Stage.is_in(running()));
    }
    if let Some(from) = f.created_from {
        q = q.filter(Column::CreatedAt.gte(from));
    }
    if let Some(before) = f.created_before {
        q = q.filter(Column::CreatedAt.lt(before));
    }
    if let Some(s) = &f.search {
        q = q.filter(Column::SearchText.like(LikeExpr::new(like_contains(&s.0)).escape('\\')));
    }
    let orders = WorkOrderFilter {
        only_team: f.only_team.clone(),
        within_units: f.within_units.clone(),
        source: f.source,
        due_before: f.overdue_at,
        ..WorkOrderFilter::default()
    };
    if orders.only_team.is_some()
        || orders.within_units.is_some()
        || orders.source.is_some()
        || orders.due_before.is_some()
    {
        let ids = work_orders_filtered(&orders)
            .select_only()
            .column(row::Column::Id)
            .into_query();
        q = q.filter(Column::WorkOrderId.in_subquery(ids));
    }
    q
}

impl Db {
    /// The work orders with these ids, read at once.
    async fn work_orders_of(&self, ids: Vec<Uuid>) -> DbResult<HashMap<Uuid, WorkOrder>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        row::Entity::find()
            .filter(row::Column::Id.is_in(ids))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| super::work_orders::to_domain(m).map(|w| (w.id, w)))
            .collect()
    }
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

    async fn list(
        &self,
        filter: &ApplicationFilter,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<(Application, WorkOrder)>> {
        lift(async move {
            let rows = newest_first(
                &self.conn,
                filtered(filter),
                (Column::CreatedAt, Column::WorkOrderId),
                after,
                limit,
            )
            .await?;
            let apps = rows.into_iter().map(to_domain).collect::<DbResult<Vec<_>>>()?;
            let page = page_of(apps, limit, None);
            let mut orders = self
                .work_orders_of(page.items.iter().map(|a| a.work_order_id).collect())
                .await?;
            let items = page
                .items
                .into_iter()
                .filter_map(|a| orders.remove(&a.work_order_id).map(|wo| (a, wo)))
                .collect();
            Ok(Page {
                items,
                next: page.next,
                total: None,
            })
        })
        .await
    }

    async fn many(&self, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, Application>> {
        lift(async move {
            if ids.is_empty() {
                return Ok(HashMap::new());
            }
            Entity::find()
                .filter(Column::WorkOrderId.is_in(ids.iter().copied()))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|m| to_domain(m).map(|a| (a.work_order_id, a)))
                .collect()
        })
        .await
    }
}
