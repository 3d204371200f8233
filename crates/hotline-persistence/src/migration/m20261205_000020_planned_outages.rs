//! Planned-outage notices and the areas each stops (one row per area, so
//! that "the notices covering this area or an ancestor" is an indexed
//! lookup, as for incidents).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("planned_outages")
            .col(string_len("code", 32))
            .col(string_len("unit_code", 32))
            .col(string_len("kind", 32))
            .col(text("reason"))
            .col(timestamp_with_time_zone("starts_at"))
            .col(timestamp_with_time_zone("expected_end_at"))
            .col(text("area_codes"))
            .col(text("stations"))
            .col(text("customer_codes"))
            .col(string_len("status", 16))
            .col(timestamp_with_time_zone_null("published_at"))
            .col(boolean("late_notice"))
            .col(text_null("late_reason"))
            .col(integer("postponements"))
            .col(string_len("created_by", 200))
            .versioned()
            .indexes(&[
                ("planned_outages_code_idx", &["code"]),
                ("planned_outages_unit_idx", &["unit_code", "created_at"]),
                ("planned_outages_window_idx", &["starts_at", "expected_end_at"]),
                ("planned_outages_created_idx", &["created_at", "id"]),
            ])
            .create(m)
            .await?;
        NewTable::new("planned_outage_areas")
            .col(uuid("planned_outage_id"))
            .col(string_len("area_code", 32))
            .primary_key(&["planned_outage_id", "area_code"])
            .index("planned_outage_areas_area_idx", &["area_code"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["planned_outage_areas", "planned_outages"]).await
    }
}
