use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_facts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub work_order_id: Uuid,
    pub kind: String,
    pub facts: String,
    pub transformer_key: Option<String>,
    pub recorded_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
