//! Units, areas and field teams (with their service areas and on-call
//! shifts); users gain a unit and a team.
//!
//! Units and areas keep a materialised `path` (`/EVNSPC/PB03/PC15/`) so a
//! subtree is one `LIKE 'path%'` query; on PostgreSQL its index uses
//! `text_pattern_ops` so that prefix match can use it whatever the collation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::columns::{add_columns, drop_columns};
use super::indexes::{drop_index, index};
use super::tables::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Units and areas: a tree of coded records, each ending with its
/// materialised `path` and search text, indexed by path (a subtree) and by
/// parent.
async fn create_tree(
    m: &SchemaManager<'_>,
    table: NewTable,
    path_idx: &'static str,
    parent_idx: &'static str,
) -> Result<(), DbErr> {
    let name = table.name();
    table
        .col(text("path"))
        .col(text("search_text"))
        .versioned()
        .create(m)
        .await?;
    path_index(m, name, path_idx).await?;
    m.create_index(index(name, parent_idx, &["parent_code"])).await
}

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
        let units = NewTable::keyed("units")
            .col(string_len_uniq("code", 32))
            .col(text("name"))
            .col(string_len_null("parent_code", 32));
        create_tree(m, units, "units_path_idx", "units_parent_idx").await?;

        let areas = NewTable::keyed("areas")
            .col(string_len_uniq("code", 32))
            .col(text("name"))
            .col(string_len("kind", 32))
            .col(string_len_null("parent_code", 32))
            .col(text("former_names"))
            .col(boolean("urban"));
        create_tree(m, areas, "areas_path_idx", "areas_parent_idx").await?;

        NewTable::keyed("teams")
            .col(string_len_uniq("code", 32))
            .col(text("name"))
            .col(string_len("unit_code", 32))
            .col(text("skills"))
            .col(integer("capacity"))
            .col(string_len_null("contact_number", 32))
            .versioned()
            .index("teams_unit_idx", &["unit_code"])
            .create(m)
            .await?;

        NewTable::new("team_areas")
            .col(string_len("team_code", 32))
            .col(string_len("area_code", 32))
            .primary_key(&["team_code", "area_code"])
            .index("team_areas_area_idx", &["area_code"])
            .create(m)
            .await?;

        NewTable::keyed("team_shifts")
            .col(string_len("team_code", 32))
            .col(timestamp_with_time_zone("starts_at"))
            .col(timestamp_with_time_zone("ends_at"))
            .index("team_shifts_team_idx", &["team_code", "starts_at"])
            .create(m)
            .await?;

        add_columns(
            m,
            "users",
            vec![string_len_null("unit_code", 32), string_len_null("team_code", 32)],
        )
        .await?;
        m.create_index(index("users", "users_team_idx", &["team_code"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "users", "users_team_idx").await?;
        drop_columns(m, "users", &["team_code", "unit_code"]).await?;
        drop_tables(m, &["team_shifts", "team_areas", "teams", "areas", "units"]).await
    }
}
