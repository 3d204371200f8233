use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "work_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub held_from: Option<String>,
    pub description: Option<String>,
    pub customer_code: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub callback_requested: bool,
    pub promised_answer_date: Option<Date>,
    pub sla_policy_id: Option<Uuid>,
    pub response_due: Option<DateTimeUtc>,
    pub resolution_due: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    /// `[[start, end|null], …]` as JSON.
    pub pauses: String,
    pub incident_id: Option<Uuid>,
    pub planned_outage_id: Option<Uuid>,
    /// The latest routing decision, as JSON.
    pub routing: Option<String>,
    pub routing_target: Option<i32>,
    /// `call`, `direct` or `open311`.
    pub source: String,
    pub media_url: Option<String>,
    pub escalate_at: Option<DateTimeUtc>,
    pub search_text: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
