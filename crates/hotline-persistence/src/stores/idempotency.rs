use async_trait::async_trait;
use hotline_domain::StoreError;
use hotline_domain::idempotency::{IdempotencyRecord, key_digest};
use hotline_domain::ports::{Created, IdempotencyStore, StoreResult};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Insert};

use crate::Db;
use crate::entities::idempotency::{ActiveModel, Entity, Model};
use crate::errors::{DbResult, Error};
use crate::inserts::Inserts;
use crate::signal::EventSignal;

/// The row that claims the key; inserting it fails as a duplicate when
/// another request holds the key.
pub(crate) fn row(r: &IdempotencyRecord) -> ActiveModel {
    ActiveModel {
        digest: Set(r.digest().to_vec()),
        fingerprint: Set(r.fingerprint.clone()),
        status: Set(i32::from(r.status)),
        body: Set(r.body.clone()),
        location: Set(r.location.clone()),
        created_at: Set(r.created_at),
    }
}

/// The insert that claims the key (see [`row`]).
pub(crate) fn insert(r: &IdempotencyRecord) -> Insert<ActiveModel> {
    Entity::insert(row(r))
}

/// Claims the key inside the caller's transaction; `StoreError::Duplicate`
/// when another request holds it.
pub(crate) async fn claim(db: &impl ConnectionTrait, r: &IdempotencyRecord) -> DbResult<()> {
    insert(r).exec_without_returning(db).await?;
    Ok(())
}

/// Claims `record`'s key inside `txn`, the transaction of the create it
/// guards. When another request holds the key, nothing is written: the
/// transaction is dropped and that request's record is returned instead
/// (it committed, or it would not clash).
pub(crate) async fn claim_or_holder(
    txn: DatabaseTransaction,
    conn: &DatabaseConnection,
    record: Option<&IdempotencyRecord>,
) -> DbResult<Result<DatabaseTransaction, IdempotencyRecord>> {
    let Some(record) = record else { return Ok(Ok(txn)) };
    match claim(&txn, record).await {
        Ok(()) => Ok(Ok(txn)),
        Err(e) if e.duplicate().is_some() => {
            drop(txn);
            let first = find_in(conn, &record.scope, &record.key).await?.ok_or_else(vanished)?;
            Ok(Err(first))
        }
        Err(e) => Err(e),
    }
}

/// Writes a new record's `rows` with the claim of `idem`'s key, all or
/// nothing: with group commit in the next shared transaction (SQLite) or
/// statement (PostgreSQL), else in one statement of its own. A taken key
/// writes nothing, and its holder is the answer.
pub(crate) async fn create_claimed(
    db: &Db,
    rows: Inserts,
    idem: Option<&IdempotencyRecord>,
) -> StoreResult<Created<()>> {
    if let Some(group) = &db.pg_group {
        return group.create(rows, idem).await;
    }
    let Some(group) = &db.group else {
        return write_claimed(&db.conn, &db.signal, rows, idem).await;
    };
    let idem = idem.cloned();
    group
        .run(move |txn| Box::pin(async move { claimed_in(txn, rows, idem.as_ref()).await }))
        .await
}

/// [`create_claimed`] as one request of a group commit: the holder of a
/// taken key is read inside the shared transaction, where a request
/// earlier in the same batch may have claimed it.
async fn claimed_in(
    txn: &DatabaseTransaction,
    rows: Inserts,
    idem: Option<&IdempotencyRecord>,
) -> StoreResult<Created<()>> {
    if let Some(record) = idem {
        match claim(txn, record).await {
            Ok(()) => {}
            Err(e) if e.duplicate().is_some() => {
                let first = find_in(txn, &record.scope, &record.key).await?.ok_or_else(vanished)?;
                return Ok(Created::KeyTaken(first));
            }
            Err(e) => return Err(e.into()),
        }
    }
    rows.run_in(txn).await.map_err(|e| StoreError::from(Error::from(e)))?;
    Ok(Created::Stored(()))
}

fn vanished() -> StoreError {
    StoreError::Other("idempotency key vanished".into())
}

/// Writes `rows` with the claim of `idem`'s key in one statement on
/// PostgreSQL (see `Inserts`), a transaction elsewhere, then tells the
/// event log's readers. A taken key fails the whole write, and its holder
/// is the answer: nothing was written.
pub(crate) async fn write_claimed(
    conn: &DatabaseConnection,
    signal: &EventSignal,
    mut rows: Inserts,
    idem: Option<&IdempotencyRecord>,
) -> StoreResult<Created<()>> {
    if let Some(record) = idem {
        rows.push([row(record)]);
    }
    let Err(failure) = rows.write(conn).await.map(|()| signal.written_here()) else {
        return Ok(Created::Stored(()));
    };
    let failure = Error::from(failure);
    let Some(what) = failure.duplicate() else {
        return Err(failure.into());
    };
    let holder = match idem {
        Some(record) => find_in(conn, &record.scope, &record.key).await?,
        None => None,
    };
    holder.map(Created::KeyTaken).ok_or(StoreError::Duplicate(what))
}

/// The record holding `scope`/`key`, read through `db` (inside a
/// transaction, this sees what the transaction wrote).
pub(crate) async fn find_in(db: &impl ConnectionTrait, scope: &str, key: &str) -> DbResult<Option<IdempotencyRecord>> {
    let row = Entity::find_by_id(key_digest(scope, key).to_vec()).one(db).await?;
    Ok(row.map(|m| to_domain(m, scope, key)))
}

fn to_domain(m: Model, scope: &str, key: &str) -> IdempotencyRecord {
    IdempotencyRecord {
        scope: scope.to_string(),
        key: key.to_string(),
        fingerprint: m.fingerprint,
        status: u16::try_from(m.status).unwrap_or(200),
        body: m.body,
        location: m.location,
        created_at: m.created_at,
    }
}

#[async_trait]
impl IdempotencyStore for Db {
    async fn find(&self, scope: &str, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        Ok(find_in(&self.conn, scope, key).await?)
    }
}
