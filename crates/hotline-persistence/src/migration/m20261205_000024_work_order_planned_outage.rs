//! An outage work order remembers the planned outage announced for its area
//! when it was reported (`planned_outage_id`), so the reports can tell
//! outages the customers were warned of from those they were not.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "work_orders", vec![uuid_null("planned_outage_id")]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, "work_orders", &["planned_outage_id"]).await
    }
}
