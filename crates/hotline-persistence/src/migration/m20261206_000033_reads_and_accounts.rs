//! Reads of personal data (who looked up which customer or number), and
//! accounts: when a password was last set and the sessions version access
//! tokens are checked against, one-time password resets, and the scopes an
//! API key is limited to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};
use super::indexes::{drop_index, index};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            "users",
            vec![
                timestamp_with_time_zone_null("password_changed_at"),
                big_integer("sessions_version").default(0).to_owned(),
            ],
        )
        .await?;
        // Comma-separated scope names; NULL: the key's role's rights.
        add_columns(m, "api_keys", vec![string_len_null("scopes", 400)]).await?;
        // Signing a user out everywhere revokes their refresh tokens.
        m.create_index(index("refresh_tokens", "refresh_tokens_user_idx", &["user_id"]))
            .await?;
        NewTable::new("password_resets")
            .col(string_len("token_hash", 64).primary_key())
            .col(uuid("user_id"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("used_at"))
            .index("password_resets_user_idx", &["user_id"])
            .create(m)
            .await?;
        NewTable::keyed("personal_reads")
            .col(timestamp_with_time_zone("at"))
            .col(string_len("actor", 200))
            .col(string_len_null("actor_unit", 32))
            .col(string_len("endpoint", 64))
            .col(string_len_null("customer_code", 32))
            .col(string_len_null("customer_unit", 32))
            .col(string_len_null("number", 32))
            .col(string_len_null("request_id", 64))
            .indexes(&[
                ("personal_reads_at_idx", &["at", "id"]),
                ("personal_reads_customer_idx", &["customer_code", "at"]),
                ("personal_reads_number_idx", &["number", "at"]),
                ("personal_reads_actor_idx", &["actor", "at"]),
            ])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["personal_reads", "password_resets"]).await?;
        drop_index(m, "refresh_tokens", "refresh_tokens_user_idx").await?;
        drop_columns(m, "api_keys", &["scopes"]).await?;
        drop_columns(m, "users", &["password_changed_at", "sessions_version"]).await
    }
}
