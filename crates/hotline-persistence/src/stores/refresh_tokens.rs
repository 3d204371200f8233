use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::ports::{RefreshTokenStore, StoreResult};
use hotline_domain::user::{RefreshToken, RotateOutcome};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::Db;
use crate::entities::refresh_token::{ActiveModel, Column, Entity};
use crate::errors::{DbResult, lift};

async fn insert(db: &impl ConnectionTrait, t: &RefreshToken) -> DbResult<()> {
    let row = ActiveModel {
        token_hash: Set(t.token_hash.clone()),
        user_id: Set(t.user_id),
        family: Set(t.family),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    };
    Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

#[async_trait]
impl RefreshTokenStore for Db {
    async fn insert(&self, token: &RefreshToken) -> StoreResult<()> {
        Ok(insert(&self.conn, token).await?)
    }

    async fn rotate(&self, old_hash: &str, next: &RefreshToken, now: DateTime<Utc>) -> StoreResult<RotateOutcome> {
        lift(async move {
            let txn = self.conn.begin().await?;
            // The conditional update is the lock: of two concurrent refreshes
            // with one token, exactly one sees a row change.
            let claimed = Entity::update_many()
                .col_expr(Column::UsedAt, Expr::value(now))
                .filter(Column::TokenHash.eq(old_hash))
                .filter(Column::UsedAt.is_null())
                .filter(Column::RevokedAt.is_null())
                .filter(Column::ExpiresAt.gt(now))
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 1 {
                let old = Entity::find_by_id(old_hash.to_string()).one(&txn).await?;
                let Some(old) = old else {
                    txn.rollback().await?;
                    return Ok(RotateOutcome::Invalid);
                };
                let next = RefreshToken {
                    user_id: old.user_id,
                    family: old.family,
                    ..next.clone()
                };
                insert(&txn, &next).await?;
                txn.commit().await?;
                return Ok(RotateOutcome::Rotated { user_id: old.user_id });
            }
            let old = Entity::find_by_id(old_hash.to_string()).one(&txn).await?;
            let outcome = match old {
                Some(o) if o.used_at.is_some() && o.revoked_at.is_none() => {
                    Entity::update_many()
                        .col_expr(Column::RevokedAt, Expr::value(now))
                        .filter(Column::Family.eq(o.family))
                        .filter(Column::RevokedAt.is_null())
                        .exec(&txn)
                        .await?;
                    RotateOutcome::Reused
                }
                _ => RotateOutcome::Invalid,
            };
            txn.commit().await?;
            Ok(outcome)
        })
        .await
    }

    async fn revoke(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        lift(async move {
            let result = Entity::update_many()
                .col_expr(Column::RevokedAt, Expr::value(now))
                .filter(Column::TokenHash.eq(token_hash))
                .filter(Column::RevokedAt.is_null())
                .exec(&self.conn)
                .await?;
            Ok(result.rows_affected == 1)
        })
        .await
    }
}
