use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cti_calls")]
pub struct Model {
    /// The API key the PBX uses: call ids are unique per PBX only.
    #[sea_orm(primary_key, auto_increment = false)]
    pub integration_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_id: String,
    /// The call-log record's id, reserved when the first event arrives.
    pub call_row_id: Uuid,
    pub contact_id: Uuid,
    /// The folded `CtiState`, as JSON.
    pub state: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
