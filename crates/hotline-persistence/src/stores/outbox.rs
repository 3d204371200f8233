//! The event log (transactional outbox). Writers append events inside the
//! transaction of their change ([`append`]); readers page through it in
//! log order. Nothing here knows what an event is about: deadline events,
//! for one, are raised on the work orders' side.

use hotline_domain::{TeamCode, UnitCode};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::event::{EventPosition, LoggedEvent, OutboxEvent};
use hotline_domain::ports::{OutboxStore, StoreResult};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, InsertMany,
    QueryFilter, QueryOrder, QuerySelect, Select, Statement,
};
use serde_json::{Value, json};

use crate::Db;
use crate::entities::event as row;
use crate::errors::{DbResult, lift};

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

/// What the payload column keeps: the event's data, whether it is
/// restricted, and the `traceparent` of the request that caused it (its
/// webhooks continue that trace).
fn stored_payload(e: &OutboxEvent) -> Value {
    let mut stored = json!({ "data": e.payload, "restricted": e.restricted });
    if let Some(trace) = hotline_trace::current() {
        stored["traceparent"] = Value::String(trace.to_string());
    }
    stored
}

pub(crate) fn to_row(e: &OutboxEvent) -> row::ActiveModel {
    row::ActiveModel {
        seq: NotSet,
        // The database fills it in on PostgreSQL; SQLite keeps the default 0.
        txid: NotSet,
        id: Set(e.id),
        event_type: Set(e.event_type.clone()),
        unit_code: Set(e.unit_code.as_ref().map(ToString::to_string)),
        team_code: Set(e.team_code.as_ref().map(ToString::to_string)),
        agent: Set(e.agent.clone()),
        subject_id: Set(e.subject_id),
        payload: Set(String::new()),
        created_at: Set(e.created_at),
        packed: Set(Some(crate::packed::pack(&stored_payload(e).to_string()))),
    }
}

fn to_domain(m: row::Model) -> LoggedEvent {
    let mut stored: Value = match &m.packed {
        None => serde_json::from_str(&m.payload).unwrap_or(Value::Null),
        Some(packed) => match crate::packed::unpack(packed) {
            Ok(text) => serde_json::from_str(&text).unwrap_or(Value::Null),
            Err(e) => {
                tracing::error!(seq = m.seq, error = %e, "an event's packed data does not read");
                Value::Null
            }
        },
    };
    let traceparent = stored["traceparent"].as_str().map(str::to_owned);
    LoggedEvent {
        traceparent,
        position: EventPosition {
            txid: m.txid,
            seq: m.seq,
        },
        event: OutboxEvent {
            id: m.id,
            event_type: m.event_type,
            unit_code: m.unit_code.map(UnitCode::stored),
            team_code: m.team_code.map(TeamCode::stored),
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

#[async_trait]
impl OutboxStore for Db {
    async fn raise_deadline_events(
        &self,
        now: DateTime<Utc>,
        at_risk_within: chrono::Duration,
        limit: u64,
    ) -> StoreResult<(usize, usize)> {
        lift(self.raise_deadlines(now, at_risk_within, limit)).await
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
            // Whole months first (PostgreSQL), then the rows left.
            let dropped = crate::partitions::drop_before(&self.conn, crate::partitions::EVENTS, before).await?;
            let gone = row::Entity::delete_many()
                .filter(row::Column::CreatedAt.lt(before))
                .exec(&self.conn)
                .await?;
            Ok(dropped + gone.rows_affected)
        })
        .await
    }

    async fn wait_for_events(&self, seen: u64, at_most: Duration) -> u64 {
        self.signal.wait(seen, at_most).await
    }
}
