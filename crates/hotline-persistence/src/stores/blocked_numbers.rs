use async_trait::async_trait;
use hotline_domain::audit::AuditEntry;
use hotline_domain::blocked::BlockedNumber;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{BlockedNumberStore, StoreResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{insert_audited, update_audited};
use crate::Db;
use crate::entities::blocked_number::{ActiveModel, Column, Entity, Model};
use crate::errors::lift;

fn to_domain(m: Model) -> BlockedNumber {
    BlockedNumber {
        id: m.id,
        number: PhoneNumber::from_stored(m.number),
        reason: m.reason,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

#[async_trait]
impl BlockedNumberStore for Db {
    async fn create(&self, b: &BlockedNumber, audit_entry: &AuditEntry) -> StoreResult<()> {
        let row = ActiveModel {
            id: Set(b.id),
            number: Set(b.number.as_str().into()),
            reason: Set(b.reason.clone()),
            created_by: Set(b.created_by.clone()),
            created_at: Set(b.created_at),
        };
        Ok(insert_audited(&self.conn, row, audit_entry).await?)
    }

    async fn list(&self) -> StoreResult<Vec<BlockedNumber>> {
        lift(async move {
            let rows = Entity::find()
                .order_by_desc(Column::CreatedAt)
                .order_by_desc(Column::Id)
                .all(&self.conn)
                .await?;
            Ok(rows.into_iter().map(to_domain).collect())
        })
        .await
    }

    async fn find(&self, number: &str) -> StoreResult<Option<BlockedNumber>> {
        lift(async move {
            let row = Entity::find().filter(Column::Number.eq(number)).one(&self.conn).await?;
            Ok(row.map(to_domain))
        })
        .await
    }

    async fn delete(&self, id: Uuid, audit_entry: &AuditEntry) -> StoreResult<bool> {
        Ok(update_audited(&self.conn, Entity::delete_many().filter(Column::Id.eq(id)), audit_entry).await?)
    }
}
