//! Audit-trail bodies.

use crate::dto::page::{Page, Paged};
use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The kinds of record the audit trail covers.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditEntity {
    Call,
    User,
    ApiKey,
    Customer,
    BlockedNumber,
    Unit,
    Area,
    Team,
    Calendar,
    SlaPolicy,
    WorkOrder,
    Incident,
    RoutingRules,
    Webhook,
    Callback,
    Article,
    PlannedOutage,
    SurveyCampaign,
    SurveyResponse,
}

impl AuditEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEntity::Call => "call",
            AuditEntity::User => "user",
            AuditEntity::ApiKey => "api_key",
            AuditEntity::Customer => "customer",
            AuditEntity::BlockedNumber => "blocked_number",
            AuditEntity::Unit => "unit",
            AuditEntity::Area => "area",
            AuditEntity::Team => "team",
            AuditEntity::Calendar => "calendar",
            AuditEntity::SlaPolicy => "sla_policy",
            AuditEntity::WorkOrder => "work_order",
            AuditEntity::RoutingRules => "routing_rules",
            AuditEntity::Incident => "incident",
            AuditEntity::Webhook => "webhook",
            AuditEntity::Callback => "callback",
            AuditEntity::Article => "article",
            AuditEntity::PlannedOutage => "planned_outage",
            AuditEntity::SurveyCampaign => "survey_campaign",
            AuditEntity::SurveyResponse => "survey_response",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub entity: AuditEntity,
    /// One record's id; all records of the kind when omitted.
    pub id: Option<Uuid>,
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    /// `create`, `update`, `revoke`…
    pub action: String,
    /// `user:<name>` or `api_key:<name>`.
    pub actor: String,
    pub at: DateTime<Utc>,
    /// For updates `{field: {from, to}}`; for creations the new record.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView {
            id: e.id,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            actor: e.actor,
            at: e.at,
            changes: e.changes,
        }
    }
}

pub type AuditPage = Page<AuditView>;

impl Paged for AuditView {
    const PAGE: &'static str = "AuditPage";
}
