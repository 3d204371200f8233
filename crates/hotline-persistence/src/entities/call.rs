use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub direction: String,
    pub caller_number: Option<String>,
    pub caller_number_raw: String,
    pub callee_number: Option<String>,
    pub callee_number_raw: String,
    pub started_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub outcome: Option<String>,
    pub blocked: bool,
    pub hangup_cause: Option<String>,
    pub category: Option<String>,
    pub customer_code: Option<String>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub source: String,
    pub search_text: String,
    pub contact_id: Option<Uuid>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
