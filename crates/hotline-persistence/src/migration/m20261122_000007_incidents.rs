//! Outage incidents and the areas each covers (one row per area, so that
//! "the incident covering this area or an ancestor" is an indexed lookup).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("incidents")
            .col(string_len_null("code", 32))
            .col(text("area_codes"))
            .col(text_null("cause"))
            .col(timestamp_with_time_zone("started_at"))
            .col(timestamp_with_time_zone_null("estimated_restoration_at"))
            .col(string_len("status", 16))
            .col(timestamp_with_time_zone_null("resolved_at"))
            .col(string_len("created_by", 200))
            .versioned()
            .index("incidents_status_idx", &["status", "created_at"])
            .create(m)
            .await?;
        NewTable::new("incident_areas")
            .col(uuid("incident_id"))
            .col(string_len("area_code", 32))
            .primary_key(&["incident_id", "area_code"])
            .index("incident_areas_area_idx", &["area_code"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["incident_areas", "incidents"]).await
    }
}
