//! Callbacks: tasks to call a customer back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callbacks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub customer_code: Option<String>,
    pub reason: String,
    pub note: Option<String>,
    pub due_at: DateTimeUtc,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub unit_code: Option<String>,
    pub status: String,
    /// JSON array of attempts.
    pub attempts: String,
    pub max_attempts: i32,
    /// JSON array of the calls that led to it.
    pub calls: String,
    pub incident_id: Option<Uuid>,
    /// The local day it was opened for, `YYYY-MM-DD`.
    pub day: String,
    pub closed_at: Option<DateTimeUtc>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
