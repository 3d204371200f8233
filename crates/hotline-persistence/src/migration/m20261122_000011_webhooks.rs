//! Webhooks: subscriptions, the fan-out cursor into the event log (one
//! row), one delivery per event and subscription, and every attempt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("webhook_subscriptions")
            .col(string_len("url", 2048))
            .col(text("events"))
            .col(string_len_null("unit_code", 32))
            .col(boolean("include_restricted"))
            .col(string_len_null("description", 500))
            .col(string_len("secret", 128))
            .col(boolean("enabled"))
            .col(string_len_null("disabled_reason", 500))
            .col(timestamp_with_time_zone_null("disabled_at"))
            .col(timestamp_with_time_zone_null("last_success_at"))
            .versioned()
            .create(m)
            .await?;
        NewTable::new("webhook_cursor")
            .col(integer("id").primary_key())
            .col(big_integer("txid"))
            .col(big_integer("seq"))
            .col(timestamp_with_time_zone_null("updated_at"))
            .create(m)
            .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("webhook_cursor")
                .columns(["id", "txid", "seq"])
                .values_panic([1.into(), 0i64.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        NewTable::keyed("webhook_deliveries")
            .col(uuid("subscription_id"))
            .col(uuid("event_id"))
            .col(string_len("event_type", 64))
            .col(text("body"))
            .col(string_len("status", 16))
            .col(integer("attempts"))
            .col(timestamp_with_time_zone_null("next_attempt_at"))
            .col(timestamp_with_time_zone_null("last_attempt_at"))
            .col(integer_null("last_status_code"))
            .col(text_null("last_error"))
            .col(timestamp_with_time_zone_null("delivered_at"))
            .col(timestamp_with_time_zone("run_started_at"))
            .col(timestamp_with_time_zone("created_at"))
            .unique_index("webhook_deliveries_event_idx", &["subscription_id", "event_id"])
            .index("webhook_deliveries_list_idx", &["subscription_id", "created_at", "id"])
            .index("webhook_deliveries_due_idx", &["status", "next_attempt_at"])
            .create(m)
            .await?;
        NewTable::keyed("webhook_attempts")
            .col(uuid("delivery_id"))
            .col(timestamp_with_time_zone("attempted_at"))
            .col(big_integer("duration_ms"))
            .col(integer_null("status_code"))
            .col(text_null("error"))
            .col(text_null("response_body"))
            .index("webhook_attempts_delivery_idx", &["delivery_id", "attempted_at"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            &[
                "webhook_attempts",
                "webhook_deliveries",
                "webhook_cursor",
                "webhook_subscriptions",
            ],
        )
        .await
    }
}
