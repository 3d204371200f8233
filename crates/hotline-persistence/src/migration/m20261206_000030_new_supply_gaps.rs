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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use hotline_domain::new_supply::ApplicantKind;
    use sea_orm_migration::MigratorTrait;
    use sea_orm_migration::sea_orm::{ActiveValue::Set, Database, EntityTrait};

    use super::*;
    use crate::entities::new_supply::{ActiveModel, Entity};

    #[tokio::test]
    async fn requests_already_there_get_their_search_text() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        crate::migration::Migrator::up(&db, None).await.unwrap();
        let applicant = Applicant {
            kind: ApplicantKind::Household,
            name: "Lê Thị Hoa".into(),
            phone: Some("+84912345678".into()),
            email: None,
            address: None,
            national_id: None,
            tax_code: None,
        };
        let id = uuid::Uuid::now_v7();
        let now = Utc::now();
        let row = ActiveModel {
            work_order_id: Set(id),
            supply_type: Set(None),
            stage: Set("awaiting_documents".into()),
            applicant: Set(serde_json::to_string(&applicant).unwrap()),
            checklist: Set("[]".into()),
            steps: Set("[]".into()),
            documents_complete_at: Set(None),
            documents_confirmed_by: Set(None),
            message: Set(None),
            message_id: Set(None),
            search_text: Set(String::new()),
            received_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        };
        Entity::insert(row).exec_without_returning(&db).await.unwrap();
        fill_search_text(&SchemaManager::new(&db)).await.unwrap();
        let stored = Entity::find_by_id(id).one(&db).await.unwrap().unwrap();
        assert!(stored.search_text.contains("le thi hoa"), "{}", stored.search_text);
        assert!(stored.search_text.contains("0912345678"), "{}", stored.search_text);
    }
}
