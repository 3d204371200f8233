//! Survey tables: campaigns, their samples and responses, and the
//! attribution of after-contact feedback.

pub mod campaign {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_campaigns")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub unit_code: String,
        /// JSON array of the questions, in order.
        pub questions: String,
        pub sample_from: DateTimeUtc,
        pub sample_to: DateTimeUtc,
        /// JSON: `{"per_unit": n}` or `{"total": n}`.
        pub size: String,
        pub seed: i64,
        pub days: i32,
        pub status: String,
        pub sampled_at: Option<DateTimeUtc>,
        pub opened_at: Option<DateTimeUtc>,
        pub closed_at: Option<DateTimeUtc>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sample {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_samples")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub campaign_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_code: String,
        pub unit_code: String,
        pub team_code: Option<String>,
        pub number: String,
        pub position: i32,
        pub callback_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod response {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_responses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub campaign_id: Uuid,
        pub customer_code: String,
        pub callback_id: Option<Uuid>,
        pub agent: String,
        pub unit_code: String,
        pub team_code: Option<String>,
        /// JSON array of `{question, value}`.
        pub answers: String,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attribution {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "feedback_attributions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub work_order_id: Uuid,
        pub agent: Option<String>,
        pub team_code: Option<String>,
        pub unit_code: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
