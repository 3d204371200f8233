//! The domain's storage ports, one file per aggregate, all on [`crate::Db`].

mod api_keys;
mod articles;
mod audit;
mod blocked_numbers;
mod call_topics;
mod callbacks;
pub(crate) mod calls;
mod complaints;
mod cti;
pub(crate) mod customers;
pub(crate) mod idempotency;
mod incidents;
mod login_throttle;
mod new_supply;
mod org;
mod outbox;
mod partitions;
mod password_resets;
mod personal_reads;
mod planned_outages;
mod privacy;
mod refresh_tokens;
pub(crate) mod reports;
pub(crate) mod routing;
pub(crate) mod search_window;
mod settings;
mod sla;
pub(crate) mod surveys;
mod users;
mod webhooks;
pub(crate) mod work_orders;

use hotline_domain::StoreError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::event::OutboxEvent;
use hotline_domain::page::{Page, Position};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, DeleteMany, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, TransactionTrait, UpdateMany,
};

use crate::errors::DbResult;

/// Inserts a row and its audit entry in one transaction.
pub(crate) async fn insert_audited<A>(conn: &DatabaseConnection, row: A, entry: &AuditEntry) -> DbResult<()>
where
    A: ActiveModelTrait + Send,
{
    let txn = conn.begin().await?;
    A::Entity::insert(row).exec_without_returning(&txn).await?;
    audit::record(&txn, entry).await?;
    Ok(txn.commit().await?)
}

/// An update or delete whose filter names the one row and the version or
/// state it must still have.
#[async_trait::async_trait]
pub(crate) trait GuardedWrite: Send {
    async fn rows(self, txn: &DatabaseTransaction) -> Result<u64, DbErr>;
}

#[async_trait::async_trait]
impl<E: EntityTrait> GuardedWrite for UpdateMany<E> {
    async fn rows(self, txn: &DatabaseTransaction) -> Result<u64, DbErr> {
        Ok(self.exec(txn).await?.rows_affected)
    }
}

#[async_trait::async_trait]
impl<E: EntityTrait> GuardedWrite for DeleteMany<E> {
    async fn rows(self, txn: &DatabaseTransaction) -> Result<u64, DbErr> {
        Ok(self.exec(txn).await?.rows_affected)
    }
}

/// Runs a guarded write and records the audit entry with it. False, with
/// nothing written, when the guard no longer matches.
pub(crate) async fn update_audited(
    conn: &DatabaseConnection,
    write: impl GuardedWrite,
    entry: &AuditEntry,
) -> DbResult<bool> {
    let txn = conn.begin().await?;
    if !guarded(&txn, write, entry, &[]).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    txn.commit().await?;
    Ok(true)
}

/// Like [`update_audited`], with the change's events in the same
/// transaction; wakes the event readers once committed.
pub(crate) async fn update_announced(
    db: &crate::Db,
    write: impl GuardedWrite,
    entry: &AuditEntry,
    events: &[OutboxEvent],
) -> DbResult<bool> {
    let txn = db.conn.begin().await?;
    if !guarded(&txn, write, entry, events).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    txn.commit().await?;
    db.events_written();
    Ok(true)
}

/// The guarded write, its audit entry and its events inside `txn`; rolls
/// back and answers false when the guard no longer matches.
async fn guarded(
    txn: &DatabaseTransaction,
    write: impl GuardedWrite,
    entry: &AuditEntry,
    events: &[OutboxEvent],
) -> DbResult<bool> {
    if write.rows(txn).await? != 1 {
        return Ok(false);
    }
    audit::record(txn, entry).await?;
    outbox::append(txn, events).await?;
    Ok(true)
}

/// Decodes a column holding one of a domain enum's names.
pub(crate) fn decode<T>(column: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> DbResult<T> {
    Ok(parse(value).ok_or_else(|| StoreError::Other(format!("unexpected {column} {value:?} in the database")))?)
}

/// Splits a fetched `limit + 1` rows into a page and the position to resume from.
pub(crate) fn page_of<T: Listed>(mut items: Vec<T>, limit: u64, total: Option<u64>) -> Page<T> {
    let next = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(Listed::position)
    } else {
        None
    };
    Page { items, next, total }
}

/// Escapes LIKE metacharacters so user text matches literally.
pub(crate) fn like_contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Where a record stands in its newest-first list: the instant it is
/// listed by, then its id.
pub(crate) trait Listed {
    fn position(&self) -> Position;
}

macro_rules! listed_by {
    ($($t:ty => $at:ident),* $(,)?) => {
        $(impl Listed for $t {
            fn position(&self) -> Position {
                Position { at: self.$at, id: self.id }
            }
        })*
    };
}

listed_by!(
    hotline_domain::call::Call => started_at,
    hotline_domain::work_order::WorkOrder => created_at,
    hotline_domain::customer::Customer => created_at,
    hotline_domain::user::User => created_at,
    hotline_domain::audit::AuditEntry => at,
    hotline_domain::webhook::Delivery => created_at,
    hotline_domain::personal_read::PersonalRead => at,
);

/// The rows of a newest-first page: `query` ordered by (`at`, `id`)
/// descending, after the position the previous page ended at, one more than
/// `limit` so that [`page_of`] can tell whether another page follows.
pub(crate) async fn newest_first<E: EntityTrait>(
    conn: &DatabaseConnection,
    query: Select<E>,
    (at, id): (E::Column, E::Column),
    after: Option<Position>,
    limit: u64,
) -> DbResult<Vec<E::Model>> {
    let query = match after {
        None => query,
        Some(p) => query.filter(search_window::older_than((at, id), p)),
    };
    Ok(query
        .order_by_desc(at)
        .order_by_desc(id)
        .limit(limit + 1)
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::like_contains;

    #[test]
    fn like_metacharacters_match_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_contains("ca mau"), "%ca mau%");
    }
}
