//! SLA-policy bodies and the deadline preview.

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::calendar::Target;
use hotline_domain::sla::{AreaKind, Deadlines, SlaPolicy, SlaPolicyInput, SlaPolicyPatch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::CategoryDto;
use super::present;

/// `urban` (town centre) or `rural`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = UrbanRural)]
pub enum AreaKindDto {
    Urban,
    Rural,
}

impl From<AreaKindDto> for AreaKind {
    fn from(k: AreaKindDto) -> Self {
        match k {
            AreaKindDto::Urban => AreaKind::Urban,
            AreaKindDto::Rural => AreaKind::Rural,
        }
    }
}

impl From<AreaKind> for AreaKindDto {
    fn from(k: AreaKind) -> Self {
        match k {
            AreaKind::Urban => AreaKindDto::Urban,
            AreaKind::Rural => AreaKindDto::Rural,
        }
    }
}

/// How long a request may take, as exactly one of: `{"clock_hours": 2}`
/// (around the clock, whatever the calendar), `{"working_days": 3}` (whole
/// working days after the day of receipt, due at the close of the last),
/// `{"working_hours": 4}` (hours inside the calendar's working periods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Target)]
pub enum TargetDto {
    ClockHours(u32),
    WorkingDays(u32),
    WorkingHours(u32),
}

impl From<TargetDto> for Target {
    fn from(t: TargetDto) -> Self {
        match t {
            TargetDto::ClockHours(n) => Target::ClockHours(n),
            TargetDto::WorkingDays(n) => Target::WorkingDays(n),
            TargetDto::WorkingHours(n) => Target::WorkingHours(n),
        }
    }
}

impl From<Target> for TargetDto {
    fn from(t: Target) -> Self {
        match t {
            Target::ClockHours(n) => TargetDto::ClockHours(n),
            Target::WorkingDays(n) => TargetDto::WorkingDays(n),
            Target::WorkingHours(n) => TargetDto::WorkingHours(n),
        }
    }
}

/// A policy to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlaPolicyBody {
    #[schema(example = "Cấp điện mới sinh hoạt — thành thị (PC15)")]
    pub name: String,
    pub category: CategoryDto,
    /// The unit it applies to, and the units below it; omitted for
    /// everyone. Not yet checked against the units.
    #[schema(example = "PC15")]
    pub unit_code: Option<String>,
    /// Only requests from this kind of area; omitted for any.
    pub area_kind: Option<AreaKindDto>,
    /// The first local day it applies to.
    #[schema(example = "2026-01-01")]
    pub effective_from: NaiveDate,
    /// Time to acknowledge; omitted when not tracked.
    pub response: Option<TargetDto>,
    /// Time to resolve.
    pub resolution: TargetDto,
    /// The calendar working time is counted in (default `default`).
    pub calendar_code: Option<String>,
}

impl From<NewSlaPolicyBody> for SlaPolicyInput {
    fn from(b: NewSlaPolicyBody) -> Self {
        SlaPolicyInput {
            name: b.name,
            category: b.category.into(),
            unit_code: b.unit_code,
            area_kind: b.area_kind.map(Into::into),
            effective_from: b.effective_from,
            response: b.response.map(Into::into),
            resolution: b.resolution.into(),
            calendar_code: b.calendar_code,
        }
    }
}

/// Changes to a policy: only the fields present change; `null` clears
/// `unit_code`, `area_kind` and `response`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyPatchBody {
    pub name: Option<String>,
    pub category: Option<CategoryDto>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<AreaKindDto>)]
    pub area_kind: Option<Option<AreaKindDto>>,
    pub effective_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<TargetDto>)]
    pub response: Option<Option<TargetDto>>,
    pub resolution: Option<TargetDto>,
    pub calendar_code: Option<String>,
}

impl From<SlaPolicyPatchBody> for SlaPolicyPatch {
    fn from(b: SlaPolicyPatchBody) -> Self {
        SlaPolicyPatch {
            name: b.name,
            category: b.category.map(Into::into),
            unit_code: b.unit_code,
            area_kind: b.area_kind.map(|k| k.map(Into::into)),
            effective_from: b.effective_from,
            response: b.response.map(|r| r.map(Into::into)),
            resolution: b.resolution.map(Into::into),
            calendar_code: b.calendar_code,
        }
    }
}

/// An SLA policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaPolicyView {
    pub id: Uuid,
    pub name: String,
    pub category: CategoryDto,
    /// Null for everyone.
    pub unit_code: Option<String>,
    /// Null for any area.
    pub area_kind: Option<AreaKindDto>,
    pub effective_from: NaiveDate,
    pub response: Option<TargetDto>,
    pub resolution: TargetDto,
    pub calendar_code: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Also the ETag.
    pub version: i64,
}

impl From<&SlaPolicy> for SlaPolicyView {
    fn from(p: &SlaPolicy) -> Self {
        SlaPolicyView {
            id: p.id,
            name: p.name.clone(),
            category: p.category.into(),
            unit_code: p.unit_code.as_ref().map(ToString::to_string),
            area_kind: p.area_kind.map(Into::into),
            effective_from: p.effective_from,
            response: p.response.map(Into::into),
            resolution: p.resolution.into(),
            calendar_code: p.calendar_code.clone(),
            created_at: p.created_at,
            updated_at: p.updated_at,
            version: p.version,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlaPolicyListQuery {
    pub category: Option<CategoryDto>,
    /// Policies of exactly this unit (not its parents').
    #[param(example = "PC15")]
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    pub category: CategoryDto,
    /// The unit handling the request; omitted when unknown.
    #[param(example = "PC15")]
    pub unit: Option<String>,
    /// The kind of area the request comes from; omitted when unknown (then
    /// only policies for any area match).
    pub area_kind: Option<AreaKindDto>,
    /// When the request was received: an RFC 3339 instant; now when omitted.
    #[param(example = "2026-11-20T16:30:00+07:00")]
    pub at: Option<String>,
}

/// The policy that applies to a request and the deadlines it gives.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaPreview {
    pub policy: SlaPolicyView,
    pub received_at: DateTime<Utc>,
    /// Null when the policy sets no response target.
    pub response_due: Option<DateTime<Utc>>,
    pub resolution_due: DateTime<Utc>,
}

impl SlaPreview {
    pub fn new(policy: &SlaPolicy, received_at: DateTime<Utc>, d: Deadlines) -> Self {
        SlaPreview {
            policy: policy.into(),
            received_at,
            response_due: d.response_due,
            resolution_due: d.resolution_due,
        }
    }
}
