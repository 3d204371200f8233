use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::UnitCode;
use hotline_domain::audit::AuditEntry;
use hotline_domain::key_scope;
use hotline_domain::ports::{ApiKeyStore, StoreResult};
use hotline_domain::role::Role;
use hotline_domain::user::ApiKey;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{decode, insert_audited, update_audited};
use crate::Db;
use crate::entities::api_key::{ActiveModel, Column, Entity, Model};
use crate::errors::{DbResult, lift};

fn to_domain(m: Model) -> DbResult<ApiKey> {
    Ok(ApiKey {
        id: m.id,
        name: m.name,
        role: decode("role", &m.role, |r| r.parse::<Role>().ok())?,
        prefix: m.prefix,
        unit_code: m.unit_code.map(UnitCode::stored),
        language: m.language.as_deref().and_then(|l| l.parse().ok()),
        created_at: m.created_at,
        revoked_at: m.revoked_at,
        scopes: m.scopes.as_deref().map(key_scope::split),
    })
}

#[async_trait]
impl ApiKeyStore for Db {
    async fn create(&self, key: &ApiKey, secret_hash: &str, audit_entry: &AuditEntry) -> StoreResult<()> {
        let row = ActiveModel {
            id: Set(key.id),
            name: Set(key.name.clone()),
            role: Set(key.role.as_str().into()),
            prefix: Set(key.prefix.clone()),
            secret_hash: Set(secret_hash.into()),
            unit_code: Set(key.unit_code.as_ref().map(ToString::to_string)),
            language: Set(key.language.map(|l| l.code().to_string())),
            created_at: Set(key.created_at),
            revoked_at: Set(key.revoked_at),
            scopes: Set(key.scopes.as_deref().map(key_scope::join)),
        };
        Ok(insert_audited(&self.conn, row, audit_entry).await?)
    }

    async fn list(&self) -> StoreResult<Vec<ApiKey>> {
        lift(async move {
            let rows = Entity::find()
                .order_by_desc(Column::CreatedAt)
                .order_by_desc(Column::Id)
                .all(&self.conn)
                .await?;
            rows.into_iter().map(to_domain).collect()
        })
        .await
    }

    async fn revoke(&self, id: Uuid, at: DateTime<Utc>, audit_entry: &AuditEntry) -> StoreResult<bool> {
        let update = Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(at))
            .filter(Column::Id.eq(id))
            .filter(Column::RevokedAt.is_null());
        Ok(update_audited(&self.conn, update, audit_entry).await?)
    }

    async fn find_by_hash(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>> {
        lift(async move {
            let row = Entity::find()
                .filter(Column::SecretHash.eq(secret_hash))
                .one(&self.conn)
                .await?;
            row.map(to_domain).transpose()
        })
        .await
    }
}
