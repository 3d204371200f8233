//! Callbacks: one row per task, its attempts and the calls that led to it
//! kept with it (JSON), indexed for the worklists (due first) and for
//! finding a number's open callback when a call comes in or goes out.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("callbacks")
            .col(string_len("number", 32))
            .col(string_len_null("customer_code", 64))
            .col(string_len("reason", 32))
            .col(text_null("note"))
            .col(timestamp_with_time_zone("due_at"))
            .col(string_len_null("agent", 100))
            .col(string_len_null("queue", 100))
            .col(string_len_null("unit_code", 32))
            .col(string_len("status", 16))
            .col(text("attempts"))
            .col(integer("max_attempts"))
            .col(text("calls"))
            .col(uuid_null("incident_id"))
            .col(string_len("day", 10))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(string_len("created_by", 200))
            .versioned()
            .index("callbacks_due_idx", &["status", "due_at", "id"])
            .index("callbacks_number_idx", &["number", "status"])
            .index("callbacks_agent_idx", &["agent", "due_at"])
            .index("callbacks_queue_idx", &["queue", "due_at"])
            .index("callbacks_created_idx", &["created_at"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["callbacks"]).await
    }
}
