//! Accounts: when a password was last set and the sessions version access
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
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["password_resets"]).await?;
        drop_index(m, "refresh_tokens", "refresh_tokens_user_idx").await?;
        drop_columns(m, "api_keys", &["scopes"]).await?;
        drop_columns(m, "users", &["password_changed_at", "sessions_version"]).await
    }
}
