//! Webhooks: subscriptions, the fan-out cursor into the event log (one
//! row), one delivery per event and subscription, and every attempt.

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
                .table("webhook_subscriptions")
                .col(pk_uuid("id"))
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
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("webhook_cursor")
                .col(integer("id").primary_key())
                .col(big_integer("txid"))
                .col(big_integer("seq"))
                .col(timestamp_with_time_zone_null("updated_at"))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("webhook_cursor")
                .columns(["id", "txid", "seq"])
                .values_panic([1.into(), 0i64.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("webhook_deliveries")
                .col(pk_uuid("id"))
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
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "webhook_deliveries",
                "webhook_deliveries_event_idx",
                &["subscription_id", "event_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "webhook_deliveries",
            "webhook_deliveries_list_idx",
            &["subscription_id", "created_at", "id"],
        ))
        .await?;
        m.create_index(index(
            "webhook_deliveries",
            "webhook_deliveries_due_idx",
            &["status", "next_attempt_at"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("webhook_attempts")
                .col(pk_uuid("id"))
                .col(uuid("delivery_id"))
                .col(timestamp_with_time_zone("attempted_at"))
                .col(big_integer("duration_ms"))
                .col(integer_null("status_code"))
                .col(text_null("error"))
                .col(text_null("response_body"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "webhook_attempts",
            "webhook_attempts_delivery_idx",
            &["delivery_id", "attempted_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "webhook_attempts",
            "webhook_deliveries",
            "webhook_cursor",
            "webhook_subscriptions",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
