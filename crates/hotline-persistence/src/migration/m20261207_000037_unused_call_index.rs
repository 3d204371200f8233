//! A leaner call write: no query looks calls up by `external_id` (a PBX's
//! own call id is matched through `cti_calls`, and neither the call list
//! nor any report filters on it), so `calls_external_idx` was an index
//! entry written with every call and never read.

use sea_orm_migration::prelude::*;

use super::indexes::{drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "calls", "calls_external_idx").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("calls", "calls_external_idx", &["external_id"])).await
    }
}
