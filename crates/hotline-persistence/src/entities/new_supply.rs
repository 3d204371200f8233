//! New-supply applications, keyed by their work order's id.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "new_supply_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub work_order_id: Uuid,
    pub supply_type: Option<String>,
    pub stage: String,
    /// JSON object.
    pub applicant: String,
    /// JSON array of checklist items.
    pub checklist: String,
    /// JSON array of steps.
    pub steps: String,
    pub documents_complete_at: Option<DateTimeUtc>,
    pub documents_confirmed_by: Option<String>,
    pub message: Option<String>,
    pub message_id: Option<String>,
    /// The applicant's name, e-mail and phone, folded for search.
    pub search_text: String,
    /// When the e-mail it came in was received.
    pub received_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
