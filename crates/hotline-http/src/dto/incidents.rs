//! Outage-incident bodies.

use chrono::{DateTime, Utc};
use hotline_domain::incident::{Callback, Incident, IncidentPatch, IncidentStatus, NewIncident};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::present;

api_enum!(
    /// `proposed` (by clustering, waiting for a dispatcher), `active`, `resolved`.
    IncidentStatusDto as IncidentStatus => IncidentStatus { Proposed, Active, Resolved }
);

/// An outage declared by a dispatcher.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentBody {
    /// The areas it covers, each with everything below it.
    pub area_codes: Vec<String>,
    pub cause: Option<String>,
    /// When the power went out; now when omitted.
    pub started_at: Option<DateTime<Utc>>,
    /// When power should be back; after `started_at`.
    pub estimated_restoration_at: Option<DateTime<Utc>>,
    /// A short label for dispatchers.
    pub code: Option<String>,
}

impl From<NewIncidentBody> for NewIncident {
    fn from(b: NewIncidentBody) -> Self {
        NewIncident {
            code: b.code,
            area_codes: b.area_codes,
            cause: b.cause,
            started_at: b.started_at,
            estimated_restoration_at: b.estimated_restoration_at,
        }
    }
}

/// Only the fields present change; `null` clears the cause or the estimate.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentPatchBody {
    pub area_codes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub cause: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub estimated_restoration_at: Option<Option<DateTime<Utc>>>,
}

impl From<IncidentPatchBody> for IncidentPatch {
    fn from(b: IncidentPatchBody) -> Self {
        IncidentPatch {
            area_codes: b.area_codes,
            cause: b.cause,
            estimated_restoration_at: b.estimated_restoration_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachBody {
    /// The work order's id or short code.
    pub work_order_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentListQuery {
    pub status: Option<IncidentStatusDto>,
    /// Incidents covering this area (one of their areas is it or an
    /// ancestor) or lying within it (one of their areas is below it).
    pub area: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentView {
    pub id: Uuid,
    pub code: Option<String>,
    pub area_codes: Vec<String>,
    /// The unit serving its areas: its dispatchers and supervisors (and
    /// those above) change it. `null` while no unit serves any of them.
    pub unit_code: Option<String>,
    pub cause: Option<String>,
    pub started_at: DateTime<Utc>,
    pub estimated_restoration_at: Option<DateTime<Utc>>,
    pub status: IncidentStatusDto,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The attached work orders, oldest first (only on single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_order_ids: Option<Vec<Uuid>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl IncidentView {
    pub fn new(i: &Incident, work_order_ids: Option<Vec<Uuid>>) -> Self {
        IncidentView {
            id: i.id,
            code: i.code.clone(),
            area_codes: i.area_codes.iter().map(ToString::to_string).collect(),
            unit_code: i.unit_code.as_ref().map(ToString::to_string),
            cause: i.cause.clone(),
            started_at: i.started_at,
            estimated_restoration_at: i.estimated_restoration_at,
            status: i.status.into(),
            resolved_at: i.resolved_at,
            work_order_ids,
            created_by: i.created_by.clone(),
            created_at: i.created_at,
            updated_at: i.updated_at,
            version: i.version,
        }
    }
}

/// A customer to call back now that power is back.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackView {
    pub customer_code: Option<String>,
    pub work_order_id: Uuid,
    pub work_order_code: String,
    /// The numbers the customer called from (the linked calls').
    pub caller_numbers: Vec<String>,
}

impl From<Callback> for CallbackView {
    fn from(c: Callback) -> Self {
        CallbackView {
            customer_code: c.customer_code.map(String::from),
            work_order_id: c.work_order_id,
            work_order_code: c.work_order_code,
            caller_numbers: c.caller_numbers,
        }
    }
}

/// What resolving an incident did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolvedIncidentView {
    pub incident: IncidentView,
    /// The attached outage work orders resolved with it.
    pub resolved_work_order_ids: Vec<Uuid>,
    /// Customers who asked to be called back.
    pub callbacks: Vec<CallbackView>,
}

/// The outage an agent tells the caller about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActiveIncidentView {
    pub id: Uuid,
    pub cause: Option<String>,
    pub area_codes: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub estimated_restoration_at: Option<DateTime<Utc>>,
}

impl From<&Incident> for ActiveIncidentView {
    fn from(i: &Incident) -> Self {
        ActiveIncidentView {
            id: i.id,
            cause: i.cause.clone(),
            area_codes: i.area_codes.iter().map(ToString::to_string).collect(),
            started_at: i.started_at,
            estimated_restoration_at: i.estimated_restoration_at,
        }
    }
}
