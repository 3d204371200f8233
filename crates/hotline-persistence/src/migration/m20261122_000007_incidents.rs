//! Outage incidents and the areas each covers (one row per area, so that
//! "the incident covering this area or an ancestor" is an indexed lookup).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("incidents")
                .col(pk_uuid("id"))
                .col(string_len_null("code", 32))
                .col(text("area_codes"))
                .col(text_null("cause"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("estimated_restoration_at"))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .col(string_len("created_by", 200))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("incidents", "incidents_status_idx", &["status", "created_at"]))
            .await?;
        m.create_table(
            Table::create()
                .table("incident_areas")
                .col(uuid("incident_id"))
                .col(string_len("area_code", 32))
                .primary_key(Index::create().col("incident_id").col("area_code"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("incident_areas", "incident_areas_area_idx", &["area_code"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["incident_areas", "incidents"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
