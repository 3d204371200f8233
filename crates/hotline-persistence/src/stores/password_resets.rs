use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::ports::{PasswordResetStore, StoreResult};
use hotline_domain::user::PasswordReset;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::{audit, insert_audited};
use crate::Db;
use crate::entities::password_reset::{ActiveModel, Column, Entity};
use crate::entities::{refresh_token, user};
use crate::errors::{DbResult, lift};

/// Sets the password, notes when, moves the sessions version on and
/// revokes every refresh token of the user; false when there is no user.
async fn set_password_in(db: &impl ConnectionTrait, user_id: Uuid, hash: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let changed = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::PasswordChangedAt, Expr::value(now))
        .col_expr(
            user::Column::SessionsVersion,
            Expr::col(user::Column::SessionsVersion).add(1),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    if changed.rows_affected != 1 {
        return Ok(false);
    }
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(true)
}

#[async_trait]
impl PasswordResetStore for Db {
    async fn issue(&self, reset: &PasswordReset, audit_entry: &AuditEntry) -> StoreResult<()> {
        let row = ActiveModel {
            token_hash: Set(reset.token_hash.clone()),
            user_id: Set(reset.user_id),
            created_at: Set(reset.created_at),
            expires_at: Set(reset.expires_at),
            used_at: Set(None),
        };
        Ok(insert_audited(&self.conn, row, audit_entry).await?)
    }

    async fn live(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<PasswordReset>> {
        lift(async move {
            let row = Entity::find_by_id(token_hash.to_string())
                .filter(Column::UsedAt.is_null())
                .filter(Column::ExpiresAt.gt(now))
                .one(&self.conn)
                .await?;
            Ok(row.map(|m| PasswordReset {
                token_hash: m.token_hash,
                user_id: m.user_id,
                created_at: m.created_at,
                expires_at: m.expires_at,
            }))
        })
        .await
    }

    async fn redeem(
        &self,
        token_hash: &str,
        user_id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            // The conditional update is the lock: of two uses of one token,
            // exactly one sees a row change.
            let claimed = Entity::update_many()
                .col_expr(Column::UsedAt, Expr::value(now))
                .filter(Column::TokenHash.eq(token_hash))
                .filter(Column::UserId.eq(user_id))
                .filter(Column::UsedAt.is_null())
                .filter(Column::ExpiresAt.gt(now))
                .exec(&txn)
                .await?;
            if claimed.rows_affected != 1 || !set_password_in(&txn, user_id, password_hash, now).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            audit::record(&txn, audit_entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }

    async fn set_password(
        &self,
        user_id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
        audit_entry: &AuditEntry,
    ) -> StoreResult<bool> {
        lift(async move {
            let txn = self.conn.begin().await?;
            if !set_password_in(&txn, user_id, password_hash, now).await? {
                txn.rollback().await?;
                return Ok(false);
            }
            audit::record(&txn, audit_entry).await?;
            txn.commit().await?;
            Ok(true)
        })
        .await
    }
}
