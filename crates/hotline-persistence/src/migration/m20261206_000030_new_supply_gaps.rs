//! New-supply applications learn what their list searches and shows: the
//! applicant's name, e-mail and phone folded for search (`search_text`,
//! filled in here for the requests already there), and when the e-mail a
//! request came in was received (`received_at`). Indexes for the list's
//! filters by stage and type, newest first.

use hotline_domain::new_supply::Applicant;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use super::columns::{add_columns, drop_columns};
use super::indexes::{IndexDef, create_indexes, drop_indexes};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "new_supply_applications";

const INDEXES: &[IndexDef] = &[
    (TABLE, "new_supply_applications_stage_idx", &["stage", "created_at"]),
    (TABLE, "new_supply_applications_type_idx", &["supply_type", "created_at"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            TABLE,
            vec![
                text("search_text").default("").to_owned(),
                timestamp_with_time_zone_null("received_at"),
            ],
        )
        .await?;
        create_indexes(m, INDEXES).await?;
        fill_search_text(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, INDEXES).await?;
        drop_columns(m, TABLE, &["search_text", "received_at"]).await
    }
}

/// The search text of the requests opened before this migration.
async fn fill_search_text(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT work_order_id, applicant FROM {TABLE}"),
        ))
        .await?;
    for row in rows {
        let id: uuid::Uuid = row.try_get("", "work_order_id")?;
        let raw: String = row.try_get("", "applicant")?;
        let Ok(applicant) = serde_json::from_str::<Applicant>(&raw) else {
            continue;
        };
        let update = Query::update()
            .table(Alias::new(TABLE))
            .value(Alias::new("search_text"), applicant.search_text())
            .and_where(Expr::col(Alias::new("work_order_id")).eq(id))
            .to_owned();
        db.execute_raw(backend.build(&update)).await?;
    }
    Ok(())
}
