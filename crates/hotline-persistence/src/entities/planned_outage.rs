//! Planned-outage notices and the areas they stop.

pub mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "planned_outages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: String,
        pub unit_code: String,
        pub kind: String,
        pub reason: String,
        pub starts_at: DateTimeUtc,
        pub expected_end_at: DateTimeUtc,
        /// JSON arrays, in the order given.
        pub area_codes: String,
        pub stations: String,
        pub customer_codes: String,
        pub status: String,
        pub published_at: Option<DateTimeUtc>,
        pub late_notice: bool,
        pub late_reason: Option<String>,
        pub postponements: i32,
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
    #[sea_orm(table_name = "planned_outage_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub planned_outage_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub area_code: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
