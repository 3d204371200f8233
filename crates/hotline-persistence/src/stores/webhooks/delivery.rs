//! The webhook worker's side: fan-out from the event log behind one cursor,
//! claiming due deliveries, and recording each attempt with its outcome.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::event::EventPosition;
use hotline_domain::ports::OutboxStore;
use hotline_domain::webhook::{Attempt, AttemptOutcome, DeliveryStatus, DueDelivery, FanOut, WebhookSecret};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::to_domain;
use crate::Db;
use crate::entities::org::unit;
use crate::entities::webhook::{attempt, cursor, delivery as dl, subscription as sub};
use crate::errors::DbResult;

/// The one cursor row.
const CURSOR: i32 = 1;
/// Delivery rows per INSERT (well under SQLite's bound-parameter limit).
const INSERT_CHUNK: usize = 500;
/// What is kept of an error message.
const MAX_ERROR: usize = 1000;

/// SQLite: a write as a transaction's first statement takes the database's
/// write lock before anything is read, so a concurrent fan-out or claim
/// waits its turn instead of failing later on a stale snapshot.
async fn sqlite_write_lock(txn: &DatabaseTransaction) -> DbResult<()> {
    if txn.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE webhook_cursor SET seq = seq WHERE id = 0")
            .await?;
    }
    Ok(())
}

/// Takes the cursor row (`FOR UPDATE` on PostgreSQL, so another replica's
/// fan-out waits for this one and then reads the advanced cursor).
async fn take_cursor(txn: &DatabaseTransaction) -> DbResult<cursor::Model> {
    sqlite_write_lock(txn).await?;
    let mut q = cursor::Entity::find_by_id(CURSOR);
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock(LockType::Update);
    }
    Ok(q.one(txn)
        .await?
        .ok_or_else(|| StoreError::Other("the webhook cursor row is missing".into()))?)
}

/// Locks a subscription's row for an update of it (`FOR NO KEY UPDATE` on
/// PostgreSQL; SQLite's write lock), and answers whether it still exists.
async fn take_subscription(txn: &DatabaseTransaction, id: Uuid) -> DbResult<bool> {
    sqlite_write_lock(txn).await?;
    let mut q = sub::Entity::find_by_id(id).select_only().column(sub::Column::Id);
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock(LockType::NoKeyUpdate);
    }
    Ok(q.into_tuple::<Uuid>().one(txn).await?.is_some())
}

/// Unit code → tree path, for unit-scoped subscriptions.
async fn unit_paths(txn: &DatabaseTransaction) -> DbResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Code)
        .column(unit::Column::Path)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub(super) async fn fan_out(db: &Db, now: DateTime<Utc>, limit: u64) -> DbResult<FanOut> {
    // The events are read through the pool before any lock is taken: on
    // SQLite a transaction holding the write lock while it waits for a
    // second pooled connection would wait on every writer queued behind
    // that lock (until the pool's timeout).
    let seen = cursor::Entity::find_by_id(CURSOR)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::Other("the webhook cursor row is missing".into()))?;
    let after = EventPosition {
        txid: seen.txid,
        seq: seen.seq,
    };
    let events = db.read_after(Some(after), limit).await?;
    let Some(last) = events.last().map(|e| e.position) else {
        return Ok(FanOut::default());
    };
    let txn = db.conn.begin().await?;
    let at = take_cursor(&txn).await?;
    if (at.txid, at.seq) != (seen.txid, seen.seq) {
        // Another replica fanned these out meanwhile; the next tick reads on.
        txn.rollback().await?;
        return Ok(FanOut::default());
    }
    // `FOR KEY SHARE` on PostgreSQL: a subscription being deleted is
    // waited for and then skipped, and one deleted after this read waits
    // for these deliveries and takes them with it (SQLite's write lock,
    // taken with the cursor, already keeps the two apart).
    let mut subs = sub::Entity::find().filter(sub::Column::Enabled.eq(true));
    if txn.get_database_backend() == DbBackend::Postgres {
        subs = subs.lock(LockType::KeyShare);
    }
    let subs = subs
        .all(&txn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let paths = if subs.iter().any(|s| s.unit_code.is_some()) {
        unit_paths(&txn).await?
    } else {
        HashMap::new()
    };
    let mut rows = Vec::new();
    for logged in &events {
        let e = &logged.event;
        let mut body = None;
        for s in subs.iter().filter(|s| s.wants(e, &paths)) {
            let body = body.get_or_insert_with(|| e.envelope().to_string());
            rows.push(dl::ActiveModel {
                id: Set(Uuid::now_v7()),
                subscription_id: Set(s.id),
                event_id: Set(e.id),
                event_type: Set(e.event_type.clone()),
                body: Set(body.clone()),
                status: Set(DeliveryStatus::Pending.as_str().into()),
                attempts: Set(0),
                next_attempt_at: Set(Some(now)),
                last_attempt_at: Set(None),
                last_status_code: Set(None),
                last_error: Set(None),
                delivered_at: Set(None),
                run_started_at: Set(now),
                created_at: Set(now),
                traceparent: Set(logged.traceparent.clone()),
            });
        }
    }
    let created = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        dl::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([dl::Column::SubscriptionId, dl::Column::EventId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    cursor::Entity::update_many()
        .col_expr(cursor::Column::Txid, Expr::value(last.txid))
        .col_expr(cursor::Column::Seq, Expr::value(last.seq))
        .col_expr(cursor::Column::UpdatedAt, Expr::value(now))
        .filter(cursor::Column::Id.eq(CURSOR))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(FanOut {
        events: events.len(),
        deliveries: created,
    })
}

pub(super) async fn claim_due(
    conn: &DatabaseConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> DbResult<Vec<DueDelivery>> {
    let due = || {
        dl::Entity::find()
            .filter(dl::Column::Status.is_in([DeliveryStatus::Pending.as_str(), DeliveryStatus::Retrying.as_str()]))
            .filter(dl::Column::NextAttemptAt.lte(now))
    };
    // Most ticks find nothing due: a plain read first, so they never take
    // SQLite's write lock from the requests that need it.
    if due().one(conn).await?.is_none() {
        return Ok(Vec::new());
    }
    let txn = conn.begin().await?;
    sqlite_write_lock(&txn).await?;
    let enabled = Query::select()
        .column(sub::Column::Id)
        .from(sub::Entity)
        .and_where(sub::Column::Enabled.eq(true))
        .to_owned();
    let mut q = due()
        .filter(dl::Column::SubscriptionId.in_subquery(enabled))
        .order_by_asc(dl::Column::NextAttemptAt)
        .order_by_asc(dl::Column::Id)
        .limit(limit);
    // Another replica's claim skips the rows locked here.
    if txn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(&txn).await?;
    if rows.is_empty() {
        txn.rollback().await?;
        return Ok(Vec::new());
    }
    dl::Entity::update_many()
        .col_expr(dl::Column::NextAttemptAt, Expr::value(lease_until))
        .filter(dl::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(&txn)
        .await?;
    let subs: HashMap<Uuid, sub::Model> = sub::Entity::find()
        .filter(sub::Column::Id.is_in(rows.iter().map(|r| r.subscription_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    txn.commit().await?;
    let mut due = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(s) = subs.get(&r.subscription_id) else {
            continue;
        };
        let secret = WebhookSecret::parse(&s.secret)
            .map_err(|e| StoreError::Other(format!("webhook {}: stored secret unusable: {e}", s.id)))?;
        // A previous secret past its overlap (or unreadable) no longer signs.
        let previous_secret = s
            .previous_secret
            .as_deref()
            .filter(|_| s.previous_secret_expires_at.is_some_and(|until| until > now))
            .and_then(|p| WebhookSecret::parse(p).ok());
        due.push(DueDelivery {
            id: r.id,
            subscription_id: r.subscription_id,
            url: s.url.clone(),
            secret,
            previous_secret,
            event_id: r.event_id,
            body: r.body,
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            run_started_at: r.run_started_at,
            traceparent: r.traceparent,
        });
    }
    Ok(due)
}

pub(super) async fn record_attempt(
    conn: &DatabaseConnection,
    due: &DueDelivery,
    a: &Attempt,
    outcome: AttemptOutcome,
    disable_reason: &str,
) -> DbResult<bool> {
    let txn = conn.begin().await?;
    // The subscription's row is taken first, as deleting the subscription
    // takes it first: the other order (this delivery, then the
    // subscription) deadlocked on PostgreSQL with an admin's delete. A
    // subscription deleted meanwhile took its deliveries with it, and the
    // attempt is not kept for a delivery that is gone.
    if !take_subscription(&txn, due.subscription_id).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    let error = a.error.as_ref().map(|e| e.chars().take(MAX_ERROR).collect::<String>());
    attempt::Entity::insert(attempt::ActiveModel {
        id: Set(a.id),
        delivery_id: Set(a.delivery_id),
        attempted_at: Set(a.attempted_at),
        duration_ms: Set(a.duration_ms),
        status_code: Set(a.status_code.map(i32::from)),
        error: Set(error.clone()),
        response_body: Set(a.response_body.clone()),
    })
    .exec_without_returning(&txn)
    .await?;
    let (status, next, delivered) = match outcome {
        AttemptOutcome::Delivered => (DeliveryStatus::Delivered, None, Some(a.attempted_at)),
        AttemptOutcome::RetryAt(at) => (DeliveryStatus::Retrying, Some(at), None),
        AttemptOutcome::GaveUp => (DeliveryStatus::Failed, None, None),
    };
    // Guarded by the attempt count, so a sender whose lease ran out (and
    // whose delivery was claimed again) does not overwrite the newer state.
    let moved = dl::Entity::update_many()
        .col_expr(dl::Column::Status, Expr::value(status.as_str()))
        .col_expr(dl::Column::Attempts, Expr::value(due.attempts as i32 + 1))
        .col_expr(dl::Column::NextAttemptAt, Expr::value(next))
        .col_expr(dl::Column::LastAttemptAt, Expr::value(a.attempted_at))
        .col_expr(dl::Column::LastStatusCode, Expr::value(a.status_code.map(i32::from)))
        .col_expr(dl::Column::LastError, Expr::value(error))
        .col_expr(dl::Column::DeliveredAt, Expr::value(delivered))
        .filter(dl::Column::Id.eq(due.id))
        .filter(dl::Column::Attempts.eq(due.attempts as i32))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let mut disabled = false;
    match outcome {
        AttemptOutcome::Delivered => {
            sub::Entity::update_many()
                .col_expr(sub::Column::LastSuccessAt, Expr::value(a.attempted_at))
                .filter(sub::Column::Id.eq(due.subscription_id))
                .exec(&txn)
                .await?;
        }
        AttemptOutcome::GaveUp if moved => {
            // Disabled only when nothing at all got through during the
            // whole run (more than a day on the default schedule).
            disabled = sub::Entity::update_many()
                .col_expr(sub::Column::Enabled, Expr::value(false))
                .col_expr(sub::Column::DisabledReason, Expr::value(disable_reason))
                .col_expr(sub::Column::DisabledAt, Expr::value(a.attempted_at))
                .col_expr(sub::Column::UpdatedAt, Expr::value(a.attempted_at))
                .col_expr(sub::Column::Version, Expr::col(sub::Column::Version).add(1))
                .filter(sub::Column::Id.eq(due.subscription_id))
                .filter(sub::Column::Enabled.eq(true))
                .filter(
                    sea_orm::Condition::any()
                        .add(sub::Column::LastSuccessAt.is_null())
                        .add(sub::Column::LastSuccessAt.lt(due.run_started_at)),
                )
                .exec(&txn)
                .await?
                .rows_affected
                == 1;
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(disabled)
}
