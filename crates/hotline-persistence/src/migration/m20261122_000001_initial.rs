//! The call log, access control, audit trail and idempotency keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tstz(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

fn tstz_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        NewTable::keyed("calls")
            .col(string_len("direction", 16))
            .col(string_len_null("caller_number", 32))
            .col(string_len("caller_number_raw", 64))
            .col(string_len_null("callee_number", 32))
            .col(string_len("callee_number_raw", 64))
            .col(tstz("started_at"))
            .col(tstz_null("answered_at"))
            .col(tstz_null("ended_at"))
            .col(string_len_null("agent", 100))
            .col(string_len_null("queue", 100))
            .col(string_len_null("outcome", 16))
            .col(string_len_null("category", 32))
            .col(string_len_null("customer_code", 32))
            .col(text_null("caller_name"))
            .col(text_null("address"))
            .col(text_null("notes"))
            .col(text_null("external_id"))
            .col(string_len("source", 100))
            .col(text("search_text"))
            .col(string_len("created_by", 200))
            .versioned()
            .indexes(&[
                ("calls_started_idx", &["started_at", "id"]),
                ("calls_caller_idx", &["caller_number", "started_at", "id"]),
                ("calls_category_idx", &["category", "started_at", "id"]),
                ("calls_outcome_idx", &["outcome", "started_at", "id"]),
                ("calls_agent_idx", &["agent", "started_at", "id"]),
                ("calls_queue_idx", &["queue", "started_at", "id"]),
                ("calls_customer_idx", &["customer_code", "started_at"]),
                ("calls_external_idx", &["external_id"]),
            ])
            .create(m)
            .await?;

        NewTable::keyed("users")
            .col(string_len_uniq("username", 64))
            .col(text("password_hash"))
            .col(string_len("role", 16))
            .col(boolean("disabled"))
            .versioned()
            .create(m)
            .await?;

        NewTable::keyed("api_keys")
            .col(string_len("name", 100))
            .col(string_len("role", 16))
            .col(string_len("prefix", 16))
            .col(string_len_uniq("secret_hash", 64))
            .col(tstz("created_at"))
            .col(tstz_null("revoked_at"))
            .create(m)
            .await?;

        NewTable::new("refresh_tokens")
            .col(string_len("token_hash", 64).primary_key())
            .col(uuid("user_id"))
            .col(uuid("family"))
            .col(tstz("expires_at"))
            .col(tstz_null("used_at"))
            .col(tstz_null("revoked_at"))
            .index("refresh_tokens_family_idx", &["family"])
            .create(m)
            .await?;

        NewTable::keyed("audit_log")
            .col(string_len("entity", 32))
            .col(uuid("entity_id"))
            .col(string_len("action", 32))
            .col(string_len("actor", 200))
            .col(tstz("at"))
            .col(json_binary("changes"))
            .index("audit_entity_idx", &["entity", "entity_id", "at", "id"])
            .create(m)
            .await?;

        NewTable::new("idempotency_keys")
            .col(string_len("scope", 100))
            .col(string_len("key", 255))
            .col(string_len("fingerprint", 64))
            .col(integer("status"))
            .col(text("body"))
            .col(text_null("location"))
            .col(tstz("created_at"))
            .primary_key(&["scope", "key"])
            .create(m)
            .await?;

        NewTable::keyed("login_failures")
            .col(string_len("username", 64))
            .col(string_len("address", 64))
            .col(tstz("at"))
            .index("login_failures_user_idx", &["username", "at"])
            .index("login_failures_addr_idx", &["address", "at"])
            .create(m)
            .await?;

        NewTable::new("settings")
            .col(string_len("key", 64).primary_key())
            .col(text("value"))
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            &[
                "settings",
                "login_failures",
                "idempotency_keys",
                "audit_log",
                "refresh_tokens",
                "api_keys",
                "users",
                "calls",
            ],
        )
        .await
    }
}
