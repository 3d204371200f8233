//! Work orders, their history and linked calls. A change, its history line
//! and its audit entry commit together.

mod deadlines;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::call::Category;
use hotline_domain::event::{self as events_log, OutboxEvent};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::org::UnitScope;
use hotline_domain::page::{Page, Position};
use hotline_domain::planned_outage::report::OutageReportMark;
use hotline_domain::ports::{Created, StoreResult, WorkOrderStore};
use hotline_domain::survey::FeedbackAttribution;
use hotline_domain::work_order::{
    Action, Feedback, Priority, Source, Status, WorkOrder, WorkOrderCode, WorkOrderEvent, WorkOrderFilter,
};
use hotline_domain::{AreaCode, CustomerCode, TeamCode, UnitCode};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::{audit, decode, idempotency, newest_first, outbox, page_of};
use crate::Db;
use crate::entities::work_order::call_link;
use crate::entities::work_order::event;
use crate::entities::work_order::feedback;
use crate::entities::work_order::row::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};
use crate::inserts::Inserts;

type Pauses = Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>;

pub(crate) fn to_row(w: &WorkOrder) -> ActiveModel {
    ActiveModel {
        id: Set(w.id),
        code: Set(w.code.to_string()),
        category: Set(w.category.as_str().into()),
        priority: Set(w.priority.as_str().into()),
        status: Set(w.status.as_str().into()),
        held_from: Set(w.held_from.map(|s| s.as_str().into())),
        description: Set(w.description.clone()),
        customer_code: Set(w.customer_code.as_ref().map(ToString::to_string)),
        address: Set(w.address.clone()),
        area_code: Set(w.area_code.as_ref().map(ToString::to_string)),
        unit_code: Set(w.unit_code.as_ref().map(ToString::to_string)),
        team_code: Set(w.team_code.as_ref().map(ToString::to_string)),
        latitude: Set(w.latitude),
        longitude: Set(w.longitude),
        callback_requested: Set(w.callback_requested),
        promised_answer_date: Set(w.promised_answer_date),
        sla_policy_id: Set(w.sla_policy_id),
        response_due: Set(w.response_due),
        resolution_due: Set(w.resolution_due),
        acknowledged_at: Set(w.acknowledged_at),
        resolved_at: Set(w.resolved_at),
        pauses: Set(serde_json::to_string(&w.pauses).unwrap_or_else(|_| "[]".into())),
        incident_id: Set(w.incident_id),
        planned_outage_id: Set(w.planned_outage_id),
        routing: Set(w.routing.as_ref().map(|r| r.to_string())),
        routing_target: Set(w.routing_target.map(|t| i32::try_from(t).unwrap_or(i32::MAX))),
        escalate_at: Set(w.escalate_at),
        source: Set(w.source.as_str().into()),
        media_url: Set(w.media_url.clone()),
        search_text: Set(w.search_text()),
        created_by: Set(w.created_by.clone()),
        created_at: Set(w.created_at),
        updated_at: Set(w.updated_at),
        version: Set(w.version),
    }
}

pub(crate) fn to_domain(m: Model) -> DbResult<WorkOrder> {
    Ok(WorkOrder {
        id: m.id,
        code: decode("code", &m.code, |c| WorkOrderCode::parse(c).ok())?,
        category: decode("category", &m.category, Category::parse)?,
        priority: decode("priority", &m.priority, Priority::parse)?,
        status: decode("status", &m.status, Status::parse)?,
        held_from: m
            .held_from
            .map(|s| decode("held_from", &s, Status::parse))
            .transpose()?,
        description: m.description,
        customer_code: m.customer_code.map(CustomerCode::stored),
        address: m.address,
        area_code: m.area_code.map(AreaCode::stored),
        unit_code: m.unit_code.map(UnitCode::stored),
        team_code: m.team_code.map(TeamCode::stored),
        latitude: m.latitude,
        longitude: m.longitude,
        callback_requested: m.callback_requested,
        promised_answer_date: m.promised_answer_date,
        sla_policy_id: m.sla_policy_id,
        response_due: m.response_due,
        resolution_due: m.resolution_due,
        acknowledged_at: m.acknowledged_at,
        resolved_at: m.resolved_at,
        pauses: serde_json::from_str::<Pauses>(&m.pauses).unwrap_or_default(),
        incident_id: m.incident_id,
        planned_outage_id: m.planned_outage_id,
        routing: m.routing.and_then(|r| serde_json::from_str(&r).ok()),
        routing_target: m.routing_target.and_then(|t| u32::try_from(t).ok()),
        escalate_at: m.escalate_at,
        source: decode("source", &m.source, Source::parse)?,
        media_url: m.media_url,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

pub(crate) fn event_row(e: &WorkOrderEvent) -> event::ActiveModel {
    event::ActiveModel {
        id: Set(e.id),
        work_order_id: Set(e.work_order_id),
        at: Set(e.at),
        actor: Set(e.actor.clone()),
        kind: Set(e.kind.clone()),
        action: Set(e.action.map(|a| a.as_str().into())),
        from_status: Set(e.from_status.map(|s| s.as_str().into())),
        to_status: Set(e.to_status.map(|s| s.as_str().into())),
        team_code: Set(e.team_code.as_ref().map(ToString::to_string)),
        note: Set(e.note.clone()),
        detail: Set(e.detail.to_string()),
    }
}

fn event_domain(m: event::Model) -> DbResult<WorkOrderEvent> {
    Ok(WorkOrderEvent {
        id: m.id,
        work_order_id: m.work_order_id,
        at: m.at,
        actor: m.actor,
        kind: m.kind,
        action: m.action.map(|a| decode("action", &a, Action::parse)).transpose()?,
        from_status: m
            .from_status
            .map(|s| decode("from_status", &s, Status::parse))
            .transpose()?,
        to_status: m
            .to_status
            .map(|s| decode("to_status", &s, Status::parse))
            .transpose()?,
        team_code: m.team_code.map(TeamCode::stored),
        note: m.note,
        detail: serde_json::from_str(&m.detail).unwrap_or_default(),
    })
}

async fn insert_events(db: &impl ConnectionTrait, events: &[WorkOrderEvent]) -> DbResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    event::Entity::insert_many(events.iter().map(event_row))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A new work order's rows: its row, history, the call it came from, its
/// audit entry and its events.
fn opened_rows(wo: &WorkOrder, events: &[WorkOrderEvent], call_id: Option<Uuid>, audit_entry: &AuditEntry) -> Inserts {
    let mut rows = Inserts::new();
    rows.push([to_row(wo)])
        .push(events.iter().map(event_row))
        .push(call_id.map(|call| call_link::ActiveModel {
            work_order_id: Set(wo.id),
            call_id: Set(call),
            linked_at: Set(wo.created_at),
        }));
    let mut announced = vec![OutboxEvent::work_order(
        events_log::WORK_ORDER_CREATED,
        wo,
        wo.created_at,
    )];
    for line in events {
        for t in events_log::work_order_changes(line) {
            announced.push(OutboxEvent::work_order(t, wo, line.at));
        }
    }
    rows.push([audit::row(audit_entry)])
        .push(announced.iter().map(outbox::to_row));
    rows
}

/// A new work order inside `txn` (see [`opened_rows`]).
pub(crate) async fn insert_opened(
    txn: &sea_orm::DatabaseTransaction,
    wo: &WorkOrder,
    events: &[WorkOrderEvent],
    call_id: Option<Uuid>,
    audit_entry: &AuditEntry,
) -> DbResult<()> {
    Ok(opened_rows(wo, events, call_id, audit_entry).run_in(txn).await?)
}

/// A change to a work order inside `txn`, guarded by its version, with its
/// history line, audit entry and events; false (nothing written) when the
/// version moved on.
pub(crate) async fn update_in(
    txn: &sea_orm::DatabaseTransaction,
    wo: &WorkOrder,
    expected_version: i64,
    ev: &WorkOrderEvent,
    audit_entry: &AuditEntry,
) -> DbResult<bool> {
    // A reopen clears `resolved_at`, and a change to a cancelled one moves
    // its cancellation: the report's summary must hear of the day left.
    let reopened = ev.action == Some(Action::Reopen);
    if reopened || (wo.status == Status::Cancelled && ev.action != Some(Action::Cancel)) {
        super::reports::note_moves(txn, wo.id, ev.at, reopened).await?;
    }
    let row = to_row(wo);
    let done = Entity::update_many()
        .set(row)
        .filter(Column::Id.eq(wo.id))
        .filter(Column::Version.eq(expected_version))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(false);
    }
    insert_events(txn, std::slice::from_ref(ev)).await?;
    audit::record(txn, audit_entry).await?;
    let announced: Vec<OutboxEvent> = events_log::work_order_changes(ev)
        .into_iter()
        .map(|t| OutboxEvent::work_order(t, wo, ev.at))
        .collect();
    outbox::append(txn, &announced).await?;
    Ok(true)
}

pub(crate) fn filtered(f: &WorkOrderFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if !f.statuses.is_empty() {
        q = q.filter(Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(t) = f.team_code.as_deref().or(f.only_team.as_deref()) {
        q = q.filter(Column::TeamCode.eq(t));
    }
    if let (Some(only), Some(asked)) = (&f.only_team, &f.team_code)
        && only != asked
    {
        // A field user asking for another team's list sees nothing.
        q = q.filter(Column::TeamCode.eq(only.as_str()));
    }
    if let Some(scope) = &f.within_units {
        let mut placed = sea_orm::Condition::any().add(Column::UnitCode.is_in(scope.units.iter().map(String::as_str)));
        if scope.unplaced {
            placed = placed.add(Column::UnitCode.is_null());
        }
        q = q.filter(placed);
    }
    if let Some(u) = &f.unit_code {
        q = q.filter(Column::UnitCode.eq(u.as_str()));
    }
    if let Some(a) = &f.area_code {
        q = q.filter(Column::AreaCode.eq(a.as_str()));
    }
    if let Some(c) = &f.customer_code {
        q = q.filter(Column::CustomerCode.eq(c.as_str()));
    }
    if let Some(c) = f.category {
        q = q.filter(Column::Category.eq(c.as_str()));
    }
    if let Some(s) = f.source {
        q = q.filter(Column::Source.eq(s.as_str()));
    }
    if let Some(from) = f.created_from {
        q = q.filter(Column::CreatedAt.gte(from));
    }
    if let Some(before) = f.created_before {
        q = q.filter(Column::CreatedAt.lt(before));
    }
    if let Some(d) = f.due_before {
        q = q.filter(Column::ResolutionDue.lt(d));
    }
    if let Some(now) = f.breached_at {
        let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
        q = q
            .filter(Column::Status.is_in(open))
            .filter(Column::ResolutionDue.lt(now));
    }
    q
}

#[async_trait]
impl WorkOrderStore for Db {
    async fn next_sequence(&self, prefix: &str, year: i32) -> StoreResult<u32> {
        self.numbering.next(&self.conn, prefix, year).await
    }

    async fn create(
        &self,
        wo: &WorkOrder,
        events: &[WorkOrderEvent],
        call_id: Option<Uuid>,
        audit_entry: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        idempotency::create_claimed(self, opened_rows(wo, events, call_id, audit_entry), idem).await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<WorkOrder>> {
        lift(async move { Entity::find_by_id(id).one(&self.conn).await?.map(to_domain).transpose() }).await
    }

    async fn get_by_code(&self, code: &str) -> StoreResult<Option<WorkOrder>> {
        lift(async move {
            Entity::find()
                .filter(Column::Code.eq(code))
                .one(&self.conn)
                .await?
                .map(to_domain)
                .transpose()
        })
        .await
    }

    async fn update(
        &self,
        wo: &WorkOrder,
        expected_version: i64,
        ev: &WorkOrderEvent,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !update_in(&txn, wo, expected_version, ev, audit_entry).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            txn.commit().await?;
            self.events_written();
            Ok(true)
        })
        .await
    }

    async fn list(
        &self,
        filter: &WorkOrderFilter,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<WorkOrder>> {
        lift(async move {
            let rows = newest_first(
                &self.conn,
                filtered(filter),
                (Column::CreatedAt, Column::Id),
                after,
                limit,
            )
            .await?;
            let items = rows.into_iter().map(to_domain).collect::<Result<Vec<_>, _>>()?;
            Ok(page_of(items, limit, None))
        })
        .await
    }

    async fn history(&self, id: Uuid) -> StoreResult<Vec<WorkOrderEvent>> {
        lift(async move {
            let rows = event::Entity::find()
                .filter(event::Column::WorkOrderId.eq(id))
                .order_by_asc(event::Column::At)
                .order_by_asc(event::Column::Id)
                .all(&self.conn)
                .await?;
            rows.into_iter().map(event_domain).collect()
        })
        .await
    }

    async fn link_call(&self, id: Uuid, call_id: Uuid, ev: &WorkOrderEvent) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let link = call_link::ActiveModel {
                work_order_id: Set(id),
                call_id: Set(call_id),
                linked_at: Set(ev.at),
            };
            let inserted = call_link::Entity::insert(link)
                .on_conflict(
                    OnConflict::columns([call_link::Column::WorkOrderId, call_link::Column::CallId])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            let linked = inserted > 0;
            if linked {
                insert_events(&txn, std::slice::from_ref(ev)).await?;
            }
            txn.commit().await?;
            Ok(linked)
        })
        .await
    }

    async fn calls(&self, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Vec<Uuid>>> {
        lift(async move {
            let mut out: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
            if ids.is_empty() {
                return Ok(out);
            }
            let rows = call_link::Entity::find()
                .filter(call_link::Column::WorkOrderId.is_in(ids.iter().copied()))
                .order_by_asc(call_link::Column::LinkedAt)
                .order_by_asc(call_link::Column::CallId)
                .all(&self.conn)
                .await?;
            for r in rows {
                out.entry(r.work_order_id).or_default().push(r.call_id);
            }
            Ok(out)
        })
        .await
    }

    async fn claim_escalations(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<WorkOrder>> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let mut q = Entity::find()
                .filter(Column::Status.eq(Status::Assigned.as_str()))
                .filter(Column::EscalateAt.lte(now))
                .order_by_asc(Column::EscalateAt)
                .order_by_asc(Column::Id)
                .limit(limit);
            // SQLite has one writer at a time, so its transaction is enough; on
            // PostgreSQL another replica's claim skips the rows locked here.
            if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
                q = q.lock_with_behavior(
                    sea_orm::sea_query::LockType::Update,
                    sea_orm::sea_query::LockBehavior::SkipLocked,
                );
            }
            let rows = q.all(&txn).await?;
            if rows.is_empty() {
                txn.rollback().await?;
                return Ok(Vec::new());
            }
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            Entity::update_many()
                .col_expr(Column::EscalateAt, Expr::value(lease_until))
                .filter(Column::Id.is_in(ids))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            rows.into_iter()
                .map(|r| {
                    let mut wo = to_domain(r)?;
                    wo.escalate_at = Some(lease_until);
                    Ok(wo)
                })
                .collect()
        })
        .await
    }

    async fn save_feedback(
        &self,
        id: Uuid,
        given: &Feedback,
        credit: &FeedbackAttribution,
        ev: &WorkOrderEvent,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let row = feedback::ActiveModel {
                work_order_id: Set(id),
                score: Set(i32::from(given.score)),
                comment: Set(given.comment.clone()),
                given_by: Set(given.given_by.clone()),
                given_at: Set(given.given_at),
            };
            let txn = self.conn.begin().await?;
            let inserted = feedback::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(feedback::Column::WorkOrderId)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            if inserted == 0 {
                txn.rollback().await?;
                return Ok(false);
            }
            super::surveys::attribute(&txn, credit).await?;
            insert_events(&txn, std::slice::from_ref(ev)).await?;
            audit::record(&txn, audit_entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn outage_reports(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scope: Option<&UnitScope>,
    ) -> StoreResult<Vec<OutageReportMark>> {
        lift(async move {
            let filter = WorkOrderFilter {
                category: Some(Category::Outage),
                created_from: Some(from),
                created_before: Some(to),
                within_units: scope.cloned(),
                ..WorkOrderFilter::default()
            };
            let rows: Vec<(Option<String>, DateTime<Utc>, Option<Uuid>)> = filtered(&filter)
                .select_only()
                .column(Column::UnitCode)
                .column(Column::CreatedAt)
                .column(Column::PlannedOutageId)
                .into_tuple()
                .all(&self.conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(unit, opened_at, planned)| OutageReportMark {
                    unit_code: unit.map(UnitCode::stored),
                    opened_at,
                    announced: planned.is_some(),
                })
                .collect())
        })
        .await
    }

    async fn feedbacks(&self, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, Feedback>> {
        lift(async move {
            let mut out = std::collections::HashMap::new();
            if ids.is_empty() {
                return Ok(out);
            }
            let rows = feedback::Entity::find()
                .filter(feedback::Column::WorkOrderId.is_in(ids.iter().copied()))
                .all(&self.conn)
                .await?;
            for m in rows {
                let score = u8::try_from(m.score)
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .ok_or_else(|| StoreError::Other(format!("stored feedback score {} is out of range", m.score)))?;
                let given = Feedback {
                    score,
                    comment: m.comment,
                    given_by: m.given_by,
                    given_at: m.given_at,
                };
                out.insert(m.work_order_id, given);
            }
            Ok(out)
        })
        .await
    }
}
