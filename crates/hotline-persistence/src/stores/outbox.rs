//! The event log (transactional outbox). Writers append events inside the
//! transaction of their change ([`append`]); readers page through it in
//! log order. Deadline events are raised here too: the claim of the work
//! orders, their events and the markers that keep each from being raised
//! twice commit together.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::event::{EventPosition, LoggedEvent, OutboxEvent};
use hotline_domain::ports::{OutboxStore, StoreResult};
use hotline_domain::work_order::{Status, WorkOrder};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, ExprTrait, InsertMany, QueryFilter, QueryOrder, QuerySelect, Select, Statement, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Db;
use crate::entities::event as row;
use crate::entities::work_order::row as wo;
use crate::errors::{DbResult, lift};

/// Set once a work order's deadline was reported at risk.
const RISK_MARKER: &str = "deadline_risk_notified_at";
/// Set once a work order's deadline was reported breached.
const BREACH_MARKER: &str = "deadline_breach_notified_at";

/// States whose deadline does not run (or no longer matters).
const NOT_RUNNING: [Status; 4] = [Status::Resolved, Status::Closed, Status::Cancelled, Status::OnHold];

/// On PostgreSQL: the oldest transaction id still running in this database
/// (as a 64-bit id, like `pg_current_xact_id()`), or the next one to be
/// given out when none runs. Every event below it is committed or gone for
/// good. Only this database's transactions count, so a long transaction
/// in another database of the cluster holds nothing up; and only those
/// younger than 5 s, so a long one here (autovacuum's ANALYZE, a bulk
/// import, a report) holds readers up for 5 s at most. Transactions that
/// write events are short (one change each), far below that.
const SETTLED_BELOW: &str = "WITH s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS cur) \
     SELECT COALESCE(MIN(((s.cur >> 32) << 32) + a.backend_xid::text::bigint \
       - CASE WHEN a.backend_xid::text::bigint > (s.cur & 4294967295) THEN 4294967296 ELSE 0 END), \
       MAX(s.cur)) AS bound \
     FROM s LEFT JOIN pg_stat_activity a ON a.datname = current_database() AND a.backend_xid IS NOT NULL \
       AND a.xact_start > now() - make_interval(secs => 5)";

fn to_row(e: &OutboxEvent) -> row::ActiveModel {
    row::ActiveModel {
        seq: NotSet,
        // The database fills it in on PostgreSQL; SQLite keeps the default 0.
        txid: NotSet,
        id: Set(e.id),
        event_type: Set(e.event_type.clone()),
        unit_code: Set(e.unit_code.clone()),
        team_code: Set(e.team_code.clone()),
        agent: Set(e.agent.clone()),
        subject_id: Set(e.subject_id),
        payload: Set(json!({ "data": e.payload, "restricted": e.restricted }).to_string()),
        created_at: Set(e.created_at),
    }
}

fn to_domain(m: row::Model) -> LoggedEvent {
    let mut stored: Value = serde_json::from_str(&m.payload).unwrap_or(Value::Null);
    LoggedEvent {
        position: EventPosition {
            txid: m.txid,
            seq: m.seq,
        },
        event: OutboxEvent {
            id: m.id,
            event_type: m.event_type,
            unit_code: m.unit_code,
            team_code: m.team_code,
            agent: m.agent,
            subject_id: m.subject_id,
            restricted: stored["restricted"].as_bool().unwrap_or(false),
            payload: stored.get_mut("data").map(Value::take).unwrap_or(Value::Null),
            created_at: m.created_at,
        },
    }
}

/// The insert that logs `events` (at least one). The caller calls
/// [`Db::events_written`] after committing.
pub(crate) fn insert(events: &[OutboxEvent]) -> InsertMany<row::ActiveModel> {
    row::Entity::insert_many(events.iter().map(to_row))
}

/// Writes events inside the caller's transaction. The caller calls
/// [`Db::events_written`] after committing.
pub(crate) async fn append(txn: &impl ConnectionTrait, events: &[OutboxEvent]) -> DbResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    insert(events).exec_without_returning(txn).await?;
    Ok(())
}

impl Db {
    /// Only settled rows. On PostgreSQL the bound is read in a statement of
    /// its own, before the rows: a transaction that commits in between is
    /// then either below the bound and visible, or above it and left for
    /// the next read — never skipped.
    async fn settled(&self, q: Select<row::Entity>) -> DbResult<Select<row::Entity>> {
        if self.conn.get_database_backend() != DbBackend::Postgres {
            return Ok(q);
        }
        let bound = self
            .conn
            .query_one_raw(Statement::from_string(DbBackend::Postgres, SETTLED_BELOW))
            .await?
            .map(|r| r.try_get::<i64>("", "bound"))
            .transpose()?
            .unwrap_or(0);
        Ok(q.filter(row::Column::Txid.lt(bound)))
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
    let rows = q.all(txn).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        events.push(event(&super::work_orders::to_domain(r)?, now));
    }
    append(txn, &events).await?;
    let mark = Query::update()
        .table(wo::Entity)
        .value(marker, now)
        .and_where(Expr::col(wo::Column::Id).is_in(ids))
        .and_where(Expr::col(marker).is_null())
        .to_owned();
    txn.execute(&mark).await?;
    Ok(events.len())
}

#[async_trait]
impl OutboxStore for Db {
    async fn raise_deadline_events(
        &self,
        now: DateTime<Utc>,
        at_risk_within: chrono::Duration,
        limit: u64,
    ) -> StoreResult<(usize, usize)> {
        lift(async move {
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
        })
        .await
    }

    async fn read_after(&self, after: Option<EventPosition>, limit: u64) -> StoreResult<Vec<LoggedEvent>> {
        lift(async move {
            let mut q = self.settled(row::Entity::find()).await?;
            if let Some(p) = after {
                q = q.filter(
                    Condition::any().add(row::Column::Txid.gt(p.txid)).add(
                        Condition::all()
                            .add(row::Column::Txid.eq(p.txid))
                            .add(row::Column::Seq.gt(p.seq)),
                    ),
                );
            }
            let rows = q
                .order_by_asc(row::Column::Txid)
                .order_by_asc(row::Column::Seq)
                .limit(limit)
                .all(&self.conn)
                .await?;
            Ok(rows.into_iter().map(to_domain).collect())
        })
        .await
    }

    async fn head(&self) -> StoreResult<Option<EventPosition>> {
        lift(async move {
            let q = self
                .settled(row::Entity::find())
                .await?
                .order_by_desc(row::Column::Txid)
                .order_by_desc(row::Column::Seq);
            Ok(q.one(&self.conn).await?.map(|m| to_domain(m).position))
        })
        .await
    }

    async fn oldest(&self) -> StoreResult<Option<EventPosition>> {
        lift(async move {
            let q = row::Entity::find()
                .order_by_asc(row::Column::Txid)
                .order_by_asc(row::Column::Seq);
            Ok(q.one(&self.conn).await?.map(|m| to_domain(m).position))
        })
        .await
    }

    async fn prune(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        lift(async move {
            let gone = row::Entity::delete_many()
                .filter(row::Column::CreatedAt.lt(before))
                .exec(&self.conn)
                .await?;
            Ok(gone.rows_affected)
        })
        .await
    }

    async fn wait_for_events(&self, seen: u64, at_most: Duration) -> u64 {
        self.signal.wait(seen, at_most).await
    }
}
