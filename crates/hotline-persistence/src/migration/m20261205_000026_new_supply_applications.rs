//! New-supply applications, one row per work order (same id): the type,
//! the applicant, the document checklist and the steps (JSON), when the
//! paperwork was complete and who confirmed it, and the e-mail it came in
//! (one request per message id). Areas learn to say that their urban or
//! rural kind is not known (`urban_known`); the areas already there keep
//! the kind they had.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::columns::{add_columns, drop_columns};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, "areas", vec![boolean("urban_known").default(true).to_owned()]).await?;
        NewTable::new("new_supply_applications")
            .col(pk_uuid("work_order_id"))
            .col(string_len_null("supply_type", 32))
            .col(string_len("stage", 32))
            .col(text("applicant"))
            .col(text("checklist"))
            .col(text("steps"))
            .col(timestamp_with_time_zone_null("documents_complete_at"))
            .col(string_len_null("documents_confirmed_by", 200))
            .col(text_null("message"))
            .col(string_len_null("message_id", 500))
            .versioned()
            .unique_index("new_supply_applications_message_idx", &["message_id"])
            .index("new_supply_applications_created_idx", &["created_at"])
            .create(m)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["new_supply_applications"]).await?;
        drop_columns(m, "areas", &["urban_known"]).await
    }
}
