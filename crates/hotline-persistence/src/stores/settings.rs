use async_trait::async_trait;
use hotline_domain::StoreError;
use hotline_domain::ports::{SettingsStore, StoreResult};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::Db;
use crate::entities::setting::{ActiveModel, Column, Entity};
use crate::errors::lift;

#[async_trait]
impl SettingsStore for Db {
    async fn get_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        lift(async move {
            let row = ActiveModel {
                key: Set(key.into()),
                value: Set(value.into()),
            };
            // Two replicas starting at once both try; the first insert wins and
            // both read it back.
            Entity::insert(row)
                .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
                .exec_without_returning(&self.conn)
                .await?;
            let stored = Entity::find_by_id(key.to_string()).one(&self.conn).await?;
            let value = stored.map(|m| m.value);
            Ok(value.ok_or_else(|| StoreError::Other(format!("setting {key} missing after insert")))?)
        })
        .await
    }
}
