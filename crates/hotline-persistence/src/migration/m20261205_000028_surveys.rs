//! Satisfaction surveys: campaigns (the questionnaire and the sample size
//! kept as JSON), the customers sampled with their survey callback, the
//! responses, and who after-contact feedback is credited to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("survey_campaigns")
            .col(string_len("name", 200))
            .col(string_len("unit_code", 32))
            .col(text("questions"))
            .col(timestamp_with_time_zone("sample_from"))
            .col(timestamp_with_time_zone("sample_to"))
            .col(string_len("size", 100))
            .col(big_integer("seed"))
            .col(integer("days"))
            .col(string_len("status", 16))
            .col(timestamp_with_time_zone_null("sampled_at"))
            .col(timestamp_with_time_zone_null("opened_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(string_len("created_by", 200))
            .versioned()
            .index("survey_campaigns_unit_idx", &["unit_code", "status", "created_at"])
            .create(m)
            .await?;
        NewTable::new("survey_samples")
            .col(uuid("campaign_id"))
            .col(string_len("customer_code", 64))
            .col(string_len("unit_code", 32))
            .col(string_len_null("team_code", 32))
            .col(string_len("number", 32))
            .col(integer("position"))
            .col(uuid_null("callback_id"))
            .primary_key(&["campaign_id", "customer_code"])
            .index("survey_samples_callback_idx", &["callback_id"])
            .create(m)
            .await?;
        NewTable::keyed("survey_responses")
            .col(uuid("campaign_id"))
            .col(string_len("customer_code", 64))
            .col(uuid_null("callback_id"))
            .col(string_len("agent", 100))
            .col(string_len("unit_code", 32))
            .col(string_len_null("team_code", 32))
            .col(text("answers"))
            .col(timestamp_with_time_zone("recorded_at"))
            .unique_index("survey_responses_customer_idx", &["campaign_id", "customer_code"])
            .create(m)
            .await?;
        NewTable::new("feedback_attributions")
            .col(pk_uuid("work_order_id"))
            .col(string_len_null("agent", 100))
            .col(string_len_null("team_code", 32))
            .col(string_len_null("unit_code", 32))
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            &["feedback_attributions", "survey_responses", "survey_samples", "survey_campaigns"],
        )
        .await
    }
}
