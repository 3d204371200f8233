//! Outage incidents and the areas they cover.

pub mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incidents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: Option<String>,
        /// JSON array, in the order given.
        pub area_codes: String,
        pub unit_code: Option<String>,
        pub cause: Option<String>,
        pub started_at: DateTimeUtc,
        pub estimated_restoration_at: Option<DateTimeUtc>,
        pub status: String,
        pub resolved_at: Option<DateTimeUtc>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod area {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incident_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub incident_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub area_code: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
