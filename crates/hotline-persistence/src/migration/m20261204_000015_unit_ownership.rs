//! Who a record belongs to. An area is served by a unit (`unit_code`, the
//! owner; areas below it inherit it unless they name their own), an
//! incident belongs to the unit that serves its areas, and an API key may
//! be limited to one unit's subtree, as a user is.
//!
//! Work orders that already have a team but were never placed in a unit
//! take their team's unit: before this, a routed work order kept
//! `unit_code` empty and every unit could read it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::columns::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 3] = ["areas", "incidents", "api_keys"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            add_columns(m, table, vec![string_len_null("unit_code", 32)]).await?;
        }
        m.get_connection()
            .execute_unprepared(
                "UPDATE work_orders SET unit_code = \
                 (SELECT t.unit_code FROM teams t WHERE t.code = work_orders.team_code) \
                 WHERE unit_code IS NULL AND team_code IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            drop_columns(m, table, &["unit_code"]).await?;
        }
        Ok(())
    }
}
