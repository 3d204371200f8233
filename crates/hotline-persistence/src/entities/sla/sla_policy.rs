use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub unit_code: Option<String>,
    pub area_kind: Option<String>,
    pub effective_from: Date,
    /// The serialized domain `Target` (`{"clock_hours": 1}`), if any.
    pub response: Option<String>,
    pub resolution: String,
    pub calendar_code: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
