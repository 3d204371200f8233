//! Units, areas and field teams (with their service areas and on-call
//! shifts); users gain a unit and a team.
//!
//! Units and areas keep a materialised `path` (`/EVNSPC/PB03/PC15/`) so a
//! subtree is one `LIKE 'path%'` query; on PostgreSQL its index uses
//! `text_pattern_ops` so that prefix match can use it whatever the collation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn path_index(m: &SchemaManager<'_>, table: &'static str, name: &'static str) -> Result<(), DbErr> {
    if m.get_database_backend() == DbBackend::Postgres {
        m.get_connection()
            .execute_unprepared(&format!("CREATE INDEX {name} ON {table} (path text_pattern_ops)"))
            .await?;
        Ok(())
    } else {
        m.create_index(index(table, name, &["path"])).await
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("units")
                .col(pk_uuid("id"))
                .col(string_len_uniq("code", 32))
                .col(text("name"))
                .col(string_len_null("parent_code", 32))
                .col(text("path"))
                .col(text("search_text"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        path_index(m, "units", "units_path_idx").await?;
        m.create_index(index("units", "units_parent_idx", &["parent_code"]))
            .await?;

        m.create_table(
            Table::create()
                .table("areas")
                .col(pk_uuid("id"))
                .col(string_len_uniq("code", 32))
                .col(text("name"))
                .col(string_len("kind", 32))
                .col(string_len_null("parent_code", 32))
                .col(text("former_names"))
                .col(boolean("urban"))
                .col(text("path"))
                .col(text("search_text"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        path_index(m, "areas", "areas_path_idx").await?;
        m.create_index(index("areas", "areas_parent_idx", &["parent_code"]))
            .await?;

        m.create_table(
            Table::create()
                .table("teams")
                .col(pk_uuid("id"))
                .col(string_len_uniq("code", 32))
                .col(text("name"))
                .col(string_len("unit_code", 32))
                .col(text("skills"))
                .col(integer("capacity"))
                .col(string_len_null("contact_number", 32))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(big_integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("teams", "teams_unit_idx", &["unit_code"])).await?;

        m.create_table(
            Table::create()
                .table("team_areas")
                .col(string_len("team_code", 32))
                .col(string_len("area_code", 32))
                .primary_key(Index::create().col("team_code").col("area_code"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("team_areas", "team_areas_area_idx", &["area_code"]))
            .await?;

        m.create_table(
            Table::create()
                .table("team_shifts")
                .col(pk_uuid("id"))
                .col(string_len("team_code", 32))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "team_shifts",
            "team_shifts_team_idx",
            &["team_code", "starts_at"],
        ))
        .await?;

        // SQLite adds one column per ALTER TABLE.
        for c in ["unit_code", "team_code"] {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len_null(c, 32))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index("users", "users_team_idx", &["team_code"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("users_team_idx").table("users").to_owned())
            .await?;
        for c in ["team_code", "unit_code"] {
            m.alter_table(Table::alter().table("users").drop_column(c).to_owned())
                .await?;
        }
        for t in ["team_shifts", "team_areas", "teams", "areas", "units"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
