//! Work orders, their history, the calls they came from, and the per-prefix
//! yearly sequences behind their short codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("work_orders")
            .col(string_len_uniq("code", 16))
            .col(string_len("category", 32))
            .col(string_len("priority", 16))
            .col(string_len("status", 16))
            .col(string_len_null("held_from", 16))
            .col(text_null("description"))
            .col(string_len_null("customer_code", 32))
            .col(text_null("address"))
            .col(string_len_null("area_code", 32))
            .col(string_len_null("unit_code", 32))
            .col(string_len_null("team_code", 32))
            .col(double_null("latitude"))
            .col(double_null("longitude"))
            .col(boolean("callback_requested"))
            .col(date_null("promised_answer_date"))
            .col(uuid_null("sla_policy_id"))
            .col(timestamp_with_time_zone_null("response_due"))
            .col(timestamp_with_time_zone_null("resolution_due"))
            .col(timestamp_with_time_zone_null("acknowledged_at"))
            .col(timestamp_with_time_zone_null("resolved_at"))
            .col(text("pauses"))
            .col(uuid_null("incident_id"))
            .col(text_null("routing"))
            .col(integer_null("routing_target"))
            .col(timestamp_with_time_zone_null("escalate_at"))
            .col(text("search_text"))
            .col(string_len("created_by", 200))
            .versioned()
            .indexes(&[
                ("work_orders_created_idx", &["created_at", "id"]),
                ("work_orders_status_due_idx", &["status", "resolution_due"]),
                ("work_orders_team_idx", &["team_code", "created_at", "id"]),
                ("work_orders_unit_idx", &["unit_code", "created_at", "id"]),
                ("work_orders_area_idx", &["area_code", "created_at", "id"]),
                ("work_orders_customer_idx", &["customer_code"]),
                ("work_orders_escalate_idx", &["escalate_at"]),
                ("work_orders_incident_idx", &["incident_id"]),
            ])
            .create(m)
            .await?;

        NewTable::keyed("work_order_events")
            .col(uuid("work_order_id"))
            .col(timestamp_with_time_zone("at"))
            .col(string_len("actor", 200))
            .col(string_len("kind", 32))
            .col(string_len_null("action", 16))
            .col(string_len_null("from_status", 16))
            .col(string_len_null("to_status", 16))
            .col(string_len_null("team_code", 32))
            .col(text_null("note"))
            .col(text("detail"))
            .index("work_order_events_wo_idx", &["work_order_id", "at", "id"])
            .create(m)
            .await?;

        NewTable::new("work_order_calls")
            .col(uuid("work_order_id"))
            .col(uuid("call_id"))
            .col(timestamp_with_time_zone("linked_at"))
            .primary_key(&["work_order_id", "call_id"])
            .index("work_order_calls_call_idx", &["call_id"])
            .create(m)
            .await?;

        NewTable::new("work_order_sequences")
            .col(string_len("prefix", 8))
            .col(integer("year"))
            .col(big_integer("last"))
            .primary_key(&["prefix", "year"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            &[
                "work_order_sequences",
                "work_order_calls",
                "work_order_events",
                "work_orders",
            ],
        )
        .await
    }
}
