//! The event log: events written with the change they describe.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The writing transaction on PostgreSQL (set by the database); 0 on SQLite.
    pub txid: i64,
    pub id: Uuid,
    pub event_type: String,
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    pub agent: Option<String>,
    pub subject_id: Uuid,
    /// `{"data": …, "restricted": bool}` as JSON; empty where `packed`
    /// holds it.
    pub payload: String,
    pub created_at: DateTimeUtc,
    /// The payload's JSON compressed (`crate::packed`); null for events
    /// written before migration 000043, whose `payload` holds it.
    pub packed: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
