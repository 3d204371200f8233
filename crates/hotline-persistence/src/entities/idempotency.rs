use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// The scope's and key's digest (`IdempotencyRecord::digest`), which
    /// they are found by; since migration 000045 they are not kept
    /// themselves.
    #[sea_orm(primary_key, auto_increment = false)]
    pub digest: Vec<u8>,
    pub fingerprint: String,
    pub status: i32,
    pub body: String,
    pub location: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
