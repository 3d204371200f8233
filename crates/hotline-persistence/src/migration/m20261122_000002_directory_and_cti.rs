//! The customer directory, blocked numbers, and the per-call state that PBX
//! call events fold into; calls gain the contact that links transfer legs.

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
                .table("customers")
                .col(pk_uuid("id"))
                .col(string_len_uniq("code", 32))
                .col(text("name"))
                .col(string_len_null("email", 254))
                .col(text_null("address"))
                .col(string_len_null("area_code", 32))
                .col(string_len_null("unit_code", 32))
                .col(text_null("notes"))
                .col(text("search_text"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customers", "customers_created_idx", &["created_at", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("customer_phones")
                .col(uuid("customer_id"))
                .col(string_len("number", 32))
                .col(string_len("raw", 64))
                .col(boolean("renumbered"))
                .col(integer("position"))
                .primary_key(Index::create().col("customer_id").col("number"))
                .foreign_key(
                    ForeignKey::create()
                        .from("customer_phones", "customer_id")
                        .to("customers", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_phones", "customer_phones_number_idx", &["number"]))
            .await?;

        m.create_table(
            Table::create()
                .table("blocked_numbers")
                .col(pk_uuid("id"))
                .col(string_len_uniq("number", 32))
                .col(text("reason"))
                .col(string_len("created_by", 200))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("cti_calls")
                .col(uuid("integration_id"))
                .col(string_len("call_id", 255))
                .col(uuid("call_row_id"))
                .col(uuid("contact_id"))
                .col(text("state"))
                .col(timestamp_with_time_zone("updated_at"))
                .primary_key(Index::create().col("integration_id").col("call_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "cti_calls",
            "cti_calls_contact_idx",
            &["integration_id", "contact_id"],
        ))
        .await?;

        m.alter_table(
            Table::alter()
                .table("calls")
                .add_column(uuid_null("contact_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("calls", "calls_contact_idx", &["contact_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("calls_contact_idx").table("calls").to_owned())
            .await?;
        m.alter_table(Table::alter().table("calls").drop_column("contact_id").to_owned())
            .await?;
        for t in ["cti_calls", "blocked_numbers", "customer_phones", "customers"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
