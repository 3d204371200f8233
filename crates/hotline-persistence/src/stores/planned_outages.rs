//! Planned-outage notices. The notice, its areas, its audit entry and its
//! events (the customers' notices among them) commit together.

use async_trait::async_trait;
use hotline_domain::audit::AuditEntry;
use hotline_domain::customer::Customer;
use hotline_domain::event::OutboxEvent;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::page::{Page, Position};
use hotline_domain::planned_outage::{NoticeStatus, OutageKind, PlannedOutage, PlannedOutageFilter, Recipient};
use hotline_domain::ports::{Created, PlannedOutageStore, StoreResult};
use hotline_domain::{StoreError, UnitCode};
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::customers::with_phones;
use super::{Listed, audit, decode, idempotency, like_contains, newest_first, outbox, page_of};
use crate::Db;
use crate::entities::customer as customer_rows;
use crate::entities::planned_outage::{area, row};
use crate::errors::{DbResult, lift};

impl Listed for PlannedOutage {
    fn position(&self) -> Position {
        Position {
            at: self.created_at,
            id: self.id,
        }
    }
}

fn json_list<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: DeserializeOwned>(column: &str, text: &str) -> DbResult<Vec<T>> {
    Ok(serde_json::from_str(text)
        .map_err(|e| StoreError::Other(format!("unexpected {column} in the database: {e}")))?)
}

fn to_row(n: &PlannedOutage) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(n.id),
        code: Set(n.code.clone()),
        unit_code: Set(n.unit_code.to_string()),
        kind: Set(n.kind.as_str().into()),
        reason: Set(n.reason.clone()),
        starts_at: Set(n.starts_at),
        expected_end_at: Set(n.expected_end_at),
        area_codes: Set(json_list(&n.area_codes)),
        stations: Set(json_list(&n.stations)),
        customer_codes: Set(json_list(&n.customer_codes)),
        status: Set(n.status.as_str().into()),
        published_at: Set(n.published_at),
        late_notice: Set(n.late_notice),
        late_reason: Set(n.late_reason.clone()),
        postponements: Set(n.postponements),
        created_by: Set(n.created_by.clone()),
        created_at: Set(n.created_at),
        updated_at: Set(n.updated_at),
        version: Set(n.version),
    }
}

fn to_domain(m: row::Model) -> DbResult<PlannedOutage> {
    Ok(PlannedOutage {
        id: m.id,
        code: m.code,
        unit_code: UnitCode::stored(m.unit_code),
        kind: decode("kind", &m.kind, OutageKind::parse)?,
        reason: m.reason,
        starts_at: m.starts_at,
        expected_end_at: m.expected_end_at,
        area_codes: from_json("area_codes", &m.area_codes)?,
        stations: from_json("stations", &m.stations)?,
        customer_codes: from_json("customer_codes", &m.customer_codes)?,
        status: decode("status", &m.status, NoticeStatus::parse)?,
        published_at: m.published_at,
        late_notice: m.late_notice,
        late_reason: m.late_reason,
        postponements: m.postponements,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

async fn write_areas(db: &impl ConnectionTrait, n: &PlannedOutage) -> DbResult<()> {
    area::Entity::delete_many()
        .filter(area::Column::PlannedOutageId.eq(n.id))
        .exec(db)
        .await?;
    let rows = n.area_codes.iter().map(|c| area::ActiveModel {
        planned_outage_id: Set(n.id),
        area_code: Set(c.to_string()),
    });
    area::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

fn filtered(f: &PlannedOutageFilter) -> Option<sea_orm::Select<row::Entity>> {
    let mut q = row::Entity::find();
    if let Some(units) = &f.units {
        if units.is_empty() {
            return None;
        }
        q = q.filter(row::Column::UnitCode.is_in(units.iter().map(String::as_str)));
    }
    if let Some(codes) = &f.area_codes {
        if codes.is_empty() {
            return None;
        }
        let ids = Query::select()
            .column(area::Column::PlannedOutageId)
            .from(area::Entity)
            .and_where(area::Column::AreaCode.is_in(codes.iter().map(String::as_str)))
            .to_owned();
        let named = f
            .customer_code
            .as_ref()
            .map(|c| row::Column::CustomerCodes.like(LikeExpr::new(like_contains(&format!("\"{c}\""))).escape('\\')));
        // A customer named on a notice is covered by it wherever they live.
        let mut either = Condition::any().add(row::Column::Id.in_subquery(ids));
        if let Some(n) = named {
            either = either.add(n);
        }
        q = q.filter(either);
    } else if let Some(c) = &f.customer_code {
        q = q.filter(row::Column::CustomerCodes.like(LikeExpr::new(like_contains(&format!("\"{c}\""))).escape('\\')));
    }
    if !f.statuses.is_empty() {
        q = q.filter(row::Column::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(from) = f.from {
        q = q.filter(row::Column::ExpectedEndAt.gt(from));
    }
    if let Some(to) = f.to {
        q = q.filter(row::Column::StartsAt.lt(to));
    }
    if let Some(late) = f.late {
        q = q.filter(row::Column::LateNotice.eq(late));
    }
    Some(q)
}

fn recipient(c: Customer) -> Recipient {
    Recipient {
        customer_code: c.code,
        name: c.name,
        phones: c.phones.into_iter().map(|p| p.number.as_str().to_string()).collect(),
        area_code: c.area_code,
    }
}

#[async_trait]
impl PlannedOutageStore for Db {
    async fn create(
        &self,
        notice: &PlannedOutage,
        entry: &AuditEntry,
        idem: Option<&IdempotencyRecord>,
    ) -> StoreResult<Created<()>> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, idem).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Created::KeyTaken(first)),
            };
            row::Entity::insert(to_row(notice)).exec_without_returning(&txn).await?;
            write_areas(&txn, notice).await?;
            audit::record(&txn, entry).await?;
            txn.commit().await?;
            Ok(Created::Stored(()))
        })
        .await
    }

    async fn get(&self, id: Uuid) -> StoreResult<Option<PlannedOutage>> {
        lift(async move {
            row::Entity::find_by_id(id)
                .one(&self.conn)
                .await?
                .map(to_domain)
                .transpose()
        })
        .await
    }

    async fn list(
        &self,
        filter: &PlannedOutageFilter,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<PlannedOutage>> {
        lift(async move {
            let Some(q) = filtered(filter) else {
                return Ok(Page {
                    items: Vec::new(),
                    next: None,
                    total: None,
                });
            };
            let rows = newest_first(&self.conn, q, (row::Column::CreatedAt, row::Column::Id), after, limit).await?;
            let items = rows.into_iter().map(to_domain).collect::<DbResult<Vec<_>>>()?;
            Ok(page_of(items, limit, None))
        })
        .await
    }

    async fn update(
        &self,
        notice: &PlannedOutage,
        expected_version: i64,
        entry: &AuditEntry,
        events: &[OutboxEvent],
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            let done = row::Entity::update_many()
                .set(to_row(notice))
                .filter(row::Column::Id.eq(notice.id))
                .filter(row::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(false);
            }
            write_areas(&txn, notice).await?;
            audit::record(&txn, entry).await?;
            for chunk in events.chunks(500) {
                outbox::append(&txn, chunk).await?;
            }
            txn.commit().await?;
            if !events.is_empty() {
                self.events_written();
            }
            Ok(true)
        })
        .await
    }

    async fn recipients(
        &self,
        codes: &[String],
        areas: &[String],
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<Recipient>> {
        lift(async move {
            if codes.is_empty() && areas.is_empty() {
                return Ok(Page {
                    items: Vec::new(),
                    next: None,
                    total: None,
                });
            }
            let mut either = Condition::any();
            if !codes.is_empty() {
                either = either.add(customer_rows::Column::Code.is_in(codes.iter().map(String::as_str)));
            }
            if !areas.is_empty() {
                either = either.add(customer_rows::Column::AreaCode.is_in(areas.iter().map(String::as_str)));
            }
            let q = customer_rows::Entity::find().filter(either);
            let rows = newest_first(
                &self.conn,
                q,
                (customer_rows::Column::CreatedAt, customer_rows::Column::Id),
                after,
                limit,
            )
            .await?;
            let page = page_of(with_phones(&self.conn, rows).await?, limit, None);
            Ok(Page {
                items: page.items.into_iter().map(recipient).collect(),
                next: page.next,
                total: None,
            })
        })
        .await
    }

    async fn known_customers(&self, codes: &[String]) -> StoreResult<Vec<String>> {
        lift(async move {
            let mut known = Vec::new();
            for chunk in codes.chunks(500) {
                let found: Vec<String> = customer_rows::Entity::find()
                    .select_only()
                    .column(customer_rows::Column::Code)
                    .filter(customer_rows::Column::Code.is_in(chunk.iter().map(String::as_str)))
                    .into_tuple::<String>()
                    .all(&self.conn)
                    .await?;
                known.extend(found);
            }
            Ok(known)
        })
        .await
    }
}
