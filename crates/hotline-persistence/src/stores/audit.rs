use async_trait::async_trait;
use hotline_domain::audit::AuditEntry;
use hotline_domain::page::{Page, Position};
use hotline_domain::ports::{AuditStore, StoreResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Insert, QueryFilter};
use uuid::Uuid;

use super::{newest_first, page_of};
use crate::Db;
use crate::entities::audit::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};

pub(crate) fn row(e: &AuditEntry) -> ActiveModel {
    ActiveModel {
        id: Set(e.id),
        entity: Set(e.entity.clone()),
        entity_id: Set(e.entity_id),
        action: Set(e.action.clone()),
        actor: Set(e.actor.clone()),
        at: Set(e.at),
        changes: Set(e.changes.clone()),
    }
}

/// The insert that writes an audit entry.
pub(crate) fn insert(e: &AuditEntry) -> Insert<ActiveModel> {
    Entity::insert(row(e))
}

/// Writes an audit entry inside the caller's transaction.
pub(crate) async fn record(db: &impl ConnectionTrait, e: &AuditEntry) -> DbResult<()> {
    insert(e).exec_without_returning(db).await?;
    Ok(())
}

fn to_domain(m: Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        entity: m.entity,
        entity_id: m.entity_id,
        action: m.action,
        actor: m.actor,
        at: m.at,
        changes: m.changes,
    }
}

#[async_trait]
impl AuditStore for Db {
    async fn list(
        &self,
        entity: &str,
        entity_id: Option<Uuid>,
        after: Option<Position>,
        limit: u64,
    ) -> StoreResult<Page<AuditEntry>> {
        lift(async move {
            let mut q = Entity::find().filter(Column::Entity.eq(entity));
            if let Some(id) = entity_id {
                q = q.filter(Column::EntityId.eq(id));
            }
            let rows = newest_first(&self.conn, q, (Column::At, Column::Id), after, limit).await?;
            let items = rows.into_iter().map(to_domain).collect();
            Ok(page_of(items, limit, None))
        })
        .await
    }

    async fn of_records(&self, entity: &str, ids: &[Uuid]) -> StoreResult<Vec<AuditEntry>> {
        lift(async move {
            let rows = Entity::find()
                .filter(Column::Entity.eq(entity))
                .filter(Column::EntityId.is_in(ids.iter().copied()))
                .all(&self.conn)
                .await?;
            Ok(rows.into_iter().map(to_domain).collect())
        })
        .await
    }
}
