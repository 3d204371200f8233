//! The customer directory, blocked numbers, and the per-call state that PBX
//! call events fold into; calls gain the contact that links transfer legs.

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
        NewTable::keyed("customers")
            .col(string_len_uniq("code", 32))
            .col(text("name"))
            .col(string_len_null("email", 254))
            .col(text_null("address"))
            .col(string_len_null("area_code", 32))
            .col(string_len_null("unit_code", 32))
            .col(text_null("notes"))
            .col(text("search_text"))
            .versioned()
            .index("customers_created_idx", &["created_at", "id"])
            .create(m)
            .await?;

        NewTable::new("customer_phones")
            .col(uuid("customer_id"))
            .col(string_len("number", 32))
            .col(string_len("raw", 64))
            .col(boolean("renumbered"))
            .col(integer("position"))
            .primary_key(&["customer_id", "number"])
            .foreign_key(
                ForeignKey::create()
                    .from("customer_phones", "customer_id")
                    .to("customers", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .index("customer_phones_number_idx", &["number"])
            .create(m)
            .await?;

        NewTable::keyed("blocked_numbers")
            .col(string_len_uniq("number", 32))
            .col(text("reason"))
            .col(string_len("created_by", 200))
            .col(timestamp_with_time_zone("created_at"))
            .create(m)
            .await?;

        NewTable::new("cti_calls")
            .col(uuid("integration_id"))
            .col(string_len("call_id", 255))
            .col(uuid("call_row_id"))
            .col(uuid("contact_id"))
            .col(text("state"))
            .col(timestamp_with_time_zone("updated_at"))
            .primary_key(&["integration_id", "call_id"])
            .index("cti_calls_contact_idx", &["integration_id", "contact_id"])
            .create(m)
            .await?;

        add_columns(m, "calls", vec![uuid_null("contact_id")]).await?;
        m.create_index(index("calls", "calls_contact_idx", &["contact_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "calls", "calls_contact_idx").await?;
        drop_columns(m, "calls", &["contact_id"]).await?;
        drop_tables(m, &["cti_calls", "blocked_numbers", "customer_phones", "customers"]).await
    }
}
