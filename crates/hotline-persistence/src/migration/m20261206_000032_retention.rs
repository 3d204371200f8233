//! Retention and anonymisation: when a call's personal fields, its free
//! text, a callback's number, a customer's record, a survey response's
//! free-text answers and a finished new-supply application's applicant were
//! anonymised (`anonymised_at`, `notes_removed_at`), and the indexes the retention
//! worker's batches read by age.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};
use super::indexes::{IndexDef, create_indexes, drop_indexes};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[IndexDef] = &[
    ("calls", "calls_anonymised_idx", &["anonymised_at", "started_at"]),
    ("calls", "calls_notes_removed_idx", &["notes_removed_at", "started_at"]),
    ("callbacks", "callbacks_anonymised_idx", &["anonymised_at", "created_at"]),
    ("survey_responses", "survey_responses_notes_removed_idx", &["notes_removed_at", "recorded_at"]),
    (
        "new_supply_applications",
        "new_supply_applications_anonymised_idx",
        &["anonymised_at", "updated_at"],
    ),
    ("idempotency_keys", "idempotency_keys_created_idx", &["created_at"]),
    ("webhook_deliveries", "webhook_deliveries_created_idx", &["created_at"]),
    ("refresh_tokens", "refresh_tokens_expires_idx", &["expires_at"]),
    ("refresh_tokens", "refresh_tokens_revoked_idx", &["revoked_at"]),
    ("login_failures", "login_failures_at_idx", &["at"]),
    ("audit_log", "audit_at_idx", &["at"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            "calls",
            vec![
                timestamp_with_time_zone_null("anonymised_at"),
                timestamp_with_time_zone_null("notes_removed_at"),
            ],
        )
        .await?;
        add_columns(m, "callbacks", vec![timestamp_with_time_zone_null("anonymised_at")]).await?;
        add_columns(m, "customers", vec![timestamp_with_time_zone_null("anonymised_at")]).await?;
        add_columns(
            m,
            "survey_responses",
            vec![timestamp_with_time_zone_null("notes_removed_at")],
        )
        .await?;
        add_columns(
            m,
            "new_supply_applications",
            vec![timestamp_with_time_zone_null("anonymised_at")],
        )
        .await?;
        create_indexes(m, INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, INDEXES).await?;
        drop_columns(m, "new_supply_applications", &["anonymised_at"]).await?;
        drop_columns(m, "survey_responses", &["notes_removed_at"]).await?;
        drop_columns(m, "customers", &["anonymised_at"]).await?;
        drop_columns(m, "callbacks", &["anonymised_at"]).await?;
        drop_columns(m, "calls", &["anonymised_at", "notes_removed_at"]).await
    }
}
