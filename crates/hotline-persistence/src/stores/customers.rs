//! The customer directory: customers with their phone numbers (one row per
//! number in `customer_phones`, indexed by number for caller lookup), and
//! the bulk import that upserts a batch by customer code.

use hotline_domain::{AreaCode, CustomerCode, UnitCode};
use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::StoreError;
use hotline_domain::audit::{self as audit_trail, AuditEntry};
use hotline_domain::customer::{Customer, CustomerFilter, CustomerPhone};
use hotline_domain::page::{Page, Position};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{CustomerStore, ImportCounts, StoreResult};
use hotline_domain::principal::Principal;
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::search_window::{self, Paging};
use super::{audit, like_contains};
use crate::Db;
use crate::entities::audit as audit_rows;
use crate::entities::customer::{ActiveModel, Column, Entity, Model};
use crate::entities::customer_phone as phone_rows;
use crate::errors::{DbResult, lift};

/// Rows per multi-row INSERT or `IN (…)` list. Customers have 12 columns,
/// phones 5 and audit entries 7, so this stays far below SQLite's 32766
/// bound parameters (and PostgreSQL's 65535).
const CHUNK: usize = 1000;

/// How often a batch is run again after losing a race with another writer.
const IMPORT_ATTEMPTS: u32 = 3;

fn to_row(c: &Customer) -> ActiveModel {
    ActiveModel {
        id: Set(c.id),
        code: Set(c.code.to_string()),
        name: Set(c.name.clone()),
        email: Set(c.email.clone()),
        address: Set(c.address.clone()),
        area_code: Set(c.area_code.as_ref().map(ToString::to_string)),
        unit_code: Set(c.unit_code.as_ref().map(ToString::to_string)),
        notes: Set(c.notes.clone()),
        search_text: Set(c.search_text()),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
        version: Set(c.version),
    }
}

fn phone_row_list(c: &Customer) -> impl Iterator<Item = phone_rows::ActiveModel> + '_ {
    c.phones.iter().enumerate().map(|(i, p)| phone_rows::ActiveModel {
        customer_id: Set(c.id),
        number: Set(p.number.as_str().to_string()),
        raw: Set(p.raw.clone()),
        renumbered: Set(p.renumbered),
        position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
    })
}

fn to_domain(m: Model, phones: Vec<phone_rows::Model>) -> Customer {
    Customer {
        id: m.id,
        code: CustomerCode::stored(m.code),
        name: m.name,
        phones: phones
            .into_iter()
            .map(|p| CustomerPhone {
                number: PhoneNumber::from_stored(p.number),
                raw: p.raw,
                renumbered: p.renumbered,
            })
            .collect(),
        email: m.email,
        address: m.address,
        area_code: m.area_code.map(AreaCode::stored),
        unit_code: m.unit_code.map(UnitCode::stored),
        notes: m.notes,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// Attaches the phones of all `rows` with one query per `CHUNK` customers
/// (not one per customer), keeping the rows' order.
pub(crate) async fn with_phones(db: &impl ConnectionTrait, rows: Vec<Model>) -> Result<Vec<Customer>, DbErr> {
    let mut phones: HashMap<Uuid, Vec<phone_rows::Model>> = HashMap::with_capacity(rows.len());
    for ids in rows.chunks(CHUNK) {
        let found = phone_rows::Entity::find()
            .filter(phone_rows::Column::CustomerId.is_in(ids.iter().map(|m| m.id)))
            .order_by_asc(phone_rows::Column::CustomerId)
            .order_by_asc(phone_rows::Column::Position)
            .all(db)
            .await?;
        for p in found {
            phones.entry(p.customer_id).or_default().push(p);
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| {
            let own = phones.remove(&m.id).unwrap_or_default();
            to_domain(m, own)
        })
        .collect())
}

/// Customers having this normalised number among their phones.
fn having_phone(number: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(phone_rows::Column::CustomerId)
        .from(phone_rows::Entity)
        .and_where(phone_rows::Column::Number.eq(number))
        .to_owned()
}

/// The customers `f`'s filters other than its text leave.
fn candidates(f: &CustomerFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find();
    if let Some(code) = &f.code {
        q = q.filter(Column::Code.eq(code.as_str()));
    }
    if let Some(number) = &f.phone {
        q = q.filter(Column::Id.in_subquery(having_phone(number)));
    }
    q
}

/// How many customers a search page reads for each call a call search
/// reads (see `search_window`).
const CUSTOMERS_PER_CALL: u64 = 5;

/// The customers whose folded code, name and address hold `text`.
fn matching(text: &str) -> Condition {
    Condition::all().add(Column::SearchText.like(LikeExpr::new(like_contains(text)).escape('\\')))
}

pub(crate) async fn insert_customers(db: &impl ConnectionTrait, customers: &[&Customer]) -> Result<(), DbErr> {
    for chunk in customers.chunks(CHUNK) {
        Entity::insert_many(chunk.iter().map(|c| to_row(c)))
            .exec_without_returning(db)
            .await?;
    }
    let phones: Vec<_> = customers.iter().flat_map(|c| phone_row_list(c)).collect();
    let mut phones = phones.into_iter().peekable();
    while phones.peek().is_some() {
        phone_rows::Entity::insert_many(phones.by_ref().take(CHUNK))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn delete_phones(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), DbErr> {
    for chunk in ids.chunks(CHUNK) {
        phone_rows::Entity::delete_many()
            .filter(phone_rows::Column::CustomerId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

async fn insert_audit(db: &impl ConnectionTrait, entries: &[AuditEntry]) -> Result<(), DbErr> {
    for chunk in entries.chunks(CHUNK) {
        audit_rows::Entity::insert_many(chunk.iter().map(audit::row))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Writes the customer row guarded by `expected_version` and replaces its
/// phones; false, with nothing written, when the version moved on.
async fn replace(db: &impl ConnectionTrait, c: &Customer, expected_version: i64) -> Result<bool, DbErr> {
    let rows = Entity::update_many()
        .set(to_row(c))
        .filter(Column::Id.eq(c.id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?
        .rows_affected;
    if rows != 1 {
        return Ok(false);
    }
    delete_phones(db, &[c.id]).await?;
    insert_phones(db, c).await?;
    Ok(true)
}

async fn insert_phones(db: &impl ConnectionTrait, c: &Customer) -> Result<(), DbErr> {
    phone_rows::Entity::insert_many(phone_row_list(c))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The stored customers with these codes, by code.
async fn existing_by_code(db: &impl ConnectionTrait, codes: &[&str]) -> Result<HashMap<String, Customer>, DbErr> {
    let mut rows = Vec::new();
    for chunk in codes.chunks(CHUNK) {
        rows.extend(
            Entity::find()
                .filter(Column::Code.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    Ok(with_phones(db, rows)
        .await?
        .into_iter()
        .map(|c| (c.code.to_string(), c))
        .collect())
}

/// One customer code's fate within a batch.
struct Slot {
    customer: Customer,
    /// The version stored before this batch, if the code was stored.
    stored_version: Option<i64>,
    changed: bool,
}

/// What one try at a batch did; `None` when another writer got in between
/// (the transaction was rolled back and the batch may be run again).
async fn import_once(
    conn: &DatabaseConnection,
    batch: &[Customer],
    actor: &Principal,
    now: DateTime<Utc>,
) -> DbResult<Option<ImportCounts>> {
    // Reads the stored customers, then writes: on SQLite the write lock is
    // taken first, so a concurrent write cannot make the read stale.
    let txn = crate::group_commit::begin_writing(conn).await?;
    let mut codes: Vec<&str> = batch.iter().map(|c| c.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut slots: HashMap<String, Slot> = existing_by_code(&txn, &codes)
        .await?
        .into_iter()
        .map(|(code, c)| {
            let slot = Slot {
                stored_version: Some(c.version),
                customer: c,
                changed: false,
            };
            (code, slot)
        })
        .collect();

    // Applied in order, so a code given twice in one batch ends as its
    // later line says, exactly as if the lines had come one by one.
    let mut counts = ImportCounts::default();
    let mut entries = Vec::new();
    let mut order: Vec<&str> = Vec::new();
    for incoming in batch {
        match slots.get_mut(incoming.code.as_str()) {
            Some(slot) if incoming.same_content(&slot.customer) => counts.unchanged += 1,
            Some(slot) => {
                let next = incoming.clone().replacing(&slot.customer, now);
                let changes = audit_trail::diff(&slot.customer.audit_view(), &next.audit_view());
                entries.push(AuditEntry::new("customer", next.id, "update", actor, now, changes));
                slot.customer = next;
                slot.changed = true;
                counts.updated += 1;
            }
            None => {
                let mut created = incoming.clone();
                created.created_at = now;
                created.updated_at = now;
                created.version = 1;
                entries.push(AuditEntry::new(
                    "customer",
                    created.id,
                    "create",
                    actor,
                    now,
                    created.audit_view(),
                ));
                order.push(incoming.code.as_str());
                slots.insert(
                    incoming.code.to_string(),
                    Slot {
                        customer: created,
                        stored_version: None,
                        changed: true,
                    },
                );
            }
        }
    }
    counts.created = order.len() as u64;

    let new: Vec<&Customer> = order
        .iter()
        .filter_map(|code| slots.get(*code).map(|s| &s.customer))
        .collect();
    insert_customers(&txn, &new).await?;

    let mut replaced: Vec<(&Customer, i64)> = slots
        .values()
        .filter(|s| s.changed)
        .filter_map(|s| s.stored_version.map(|v| (&s.customer, v)))
        .collect();
    replaced.sort_unstable_by_key(|(c, _)| c.id);
    for (c, expected) in &replaced {
        let rows = Entity::update_many()
            .set(to_row(c))
            .filter(Column::Id.eq(c.id))
            .filter(Column::Version.eq(*expected))
            .exec(&txn)
            .await?
            .rows_affected;
        if rows != 1 {
            txn.rollback().await?;
            return Ok(None);
        }
    }
    let ids: Vec<Uuid> = replaced.iter().map(|(c, _)| c.id).collect();
    delete_phones(&txn, &ids).await?;
    let phones: Vec<_> = replaced.iter().flat_map(|(c, _)| phone_row_list(c)).collect();
    let mut phones = phones.into_iter().peekable();
    while phones.peek().is_some() {
        phone_rows::Entity::insert_many(phones.by_ref().take(CHUNK))
            .exec_without_returning(&txn)
            .await?;
    }

    insert_audit(&txn, &entries).await?;
    txn.commit().await?;
    Ok(Some(counts))
}

#[async_trait]
impl CustomerStore for Db {
    async fn create(&self, customer: &Customer, audit_entry: &AuditEntry) -> StoreResult<()> {
        lift(async move {
            let txn = self.conn.begin().await?;
            insert_customers(&txn, &[customer]).await?;
            audit::record(&txn, audit_entry).await?;
            Ok(txn.commit().await?)
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<Customer>> {
        lift(async move {
            let Some(row) = Entity::find_by_id(id).one(&self.conn).await? else {
                return Ok(None);
            };
            let found = with_phones(&self.conn, vec![row]).await?;
            Ok(found.into_iter().next())
        })
        .await
    }

    async fn list(&self, filter: &CustomerFilter, after: Option<Position>, limit: u64) -> StoreResult<Page<Customer>> {
        lift(async move {
            // A free-text search reads a bounded window of customers per
            // page (see `search_window`). A customer's text (code, name,
            // address) is a tenth of a call's: five times as many are read
            // for about the same time.
            search_window::list_page(
                &self.conn,
                &self.window_ends,
                candidates(filter),
                filter.text.as_deref().map(matching),
                (Column::CreatedAt, Column::Id),
                Paging {
                    after,
                    limit,
                    window: self.search_window.saturating_mul(CUSTOMERS_PER_CALL),
                    by_month: false,
                },
                |rows| async { Ok(with_phones(&self.conn, rows).await?) },
            )
            .await
        })
        .await
    }

    async fn update(&self, customer: &Customer, expected_version: i64, audit_entry: &AuditEntry) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !replace(&txn, customer, expected_version).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            audit::record(&txn, audit_entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn find_by_phone(&self, number: &str) -> StoreResult<Vec<Customer>> {
        lift(async move {
            let rows = Entity::find()
                .filter(Column::Id.in_subquery(having_phone(number)))
                .order_by_desc(Column::CreatedAt)
                .order_by_desc(Column::Id)
                .all(&self.conn)
                .await?;
            Ok(with_phones(&self.conn, rows).await?)
        })
        .await
    }

    async fn import(&self, batch: &[Customer], actor: &Principal, now: DateTime<Utc>) -> StoreResult<ImportCounts> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= IMPORT_ATTEMPTS;
            match import_once(&self.conn, batch, actor, now).await {
                Ok(Some(counts)) => return Ok(counts),
                // A customer changed between our read and our write.
                Ok(None) if !last => {}
                Ok(None) => {
                    return Err(StoreError::Other(
                        "customers kept changing during the import; run it again".into(),
                    ));
                }
                // Another import created one of these codes first, or the
                // database asked for a retry: read again and redo the batch.
                Err(e) if !last && (e.is_retryable() || e.duplicate().is_some()) => {}
                Err(e) => return Err(e.into()),
            }
            tokio::time::sleep(std::time::Duration::from_millis(10 * u64::from(attempt))).await;
        }
    }
}
