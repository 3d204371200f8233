use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::ports::{FailureCounts, LoginThrottleStore, StoreResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::Db;
use crate::entities::login_failure::{ActiveModel, Column, Entity};
use crate::errors::{DbResult, lift};

impl Db {
    async fn count_and_oldest(
        &self,
        column: Column,
        value: &str,
        since: DateTime<Utc>,
    ) -> DbResult<(u64, Option<DateTime<Utc>>)> {
        let base = Entity::find().filter(column.eq(value)).filter(Column::At.gte(since));
        let count = base.clone().count(&self.conn).await?;
        let oldest = base
            .order_by_asc(Column::At)
            .limit(1)
            .one(&self.conn)
            .await?
            .map(|m| m.at);
        Ok((count, oldest))
    }
}

#[async_trait]
impl LoginThrottleStore for Db {
    async fn record_failure(&self, username: &str, address: &str, at: DateTime<Utc>) -> StoreResult<()> {
        lift(async move {
            let row = ActiveModel {
                id: Set(Uuid::now_v7()),
                username: Set(username.chars().take(64).collect()),
                address: Set(address.chars().take(64).collect()),
                at: Set(at),
            };
            Entity::insert(row).exec_without_returning(&self.conn).await?;
            // Old failures only slow the counts down: keep the table small.
            Entity::delete_many()
                .filter(Column::At.lt(at - chrono::Duration::days(1)))
                .exec(&self.conn)
                .await?;
            Ok(())
        })
        .await
    }

    async fn failures_since(&self, username: &str, address: &str, since: DateTime<Utc>) -> StoreResult<FailureCounts> {
        let (user, user_oldest) = self.count_and_oldest(Column::Username, username, since).await?;
        let (address, address_oldest) = self.count_and_oldest(Column::Address, address, since).await?;
        Ok(FailureCounts {
            user,
            user_oldest,
            address,
            address_oldest,
        })
    }

    async fn clear(&self, username: &str) -> StoreResult<()> {
        lift(async move {
            Entity::delete_many()
                .filter(Column::Username.eq(username))
                .exec(&self.conn)
                .await?;
            Ok(())
        })
        .await
    }
}
