//! The complaints report's query and body.

use chrono::{DateTime, Utc};
use hotline_domain::complaint::report::{
    BillingFigures, ComplaintReport, ComplimentFigures, ConductFigures, MeteringFigures, Recognition, RepeatCount,
    VoltageFigures,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The report's range: work orders opened in [from, to).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplaintReportQuery {
    /// RFC 3339, or a local date.
    pub from: Option<String>,
    /// RFC 3339, or a local date (its whole day included).
    pub to: Option<String>,
    /// `csv` for CSV (as `Accept: text/csv`).
    pub format: Option<String>,
}

/// Metering or billing complaints and how they ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeteringFiguresView {
    pub complaints: u64,
    pub meter_tested: u64,
    pub within_tolerance: u64,
    pub outside_tolerance: u64,
    pub bill_adjusted: u64,
    /// The adjustments added up, in VND (negative: bills went down).
    pub adjusted_vnd: i64,
    pub unfounded: u64,
    pub no_outcome: u64,
}

impl From<&MeteringFigures> for MeteringFiguresView {
    fn from(f: &MeteringFigures) -> Self {
        MeteringFiguresView {
            complaints: f.complaints,
            meter_tested: f.meter_tested,
            within_tolerance: f.within_tolerance,
            outside_tolerance: f.outside_tolerance,
            bill_adjusted: f.bill_adjusted,
            adjusted_vnd: f.adjusted_vnd,
            unfounded: f.unfounded,
            no_outcome: f.no_outcome,
        }
    }
}

/// Bill complaints, and how they fared against settlement within 24 hours.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingFiguresView {
    #[serde(flatten)]
    pub outcomes: MeteringFiguresView,
    pub settled_within_24h: u64,
    pub settled_late: u64,
    /// Still open, opened more than 24 hours ago.
    pub open_past_24h: u64,
    pub open_within_24h: u64,
}

impl From<&BillingFigures> for BillingFiguresView {
    fn from(f: &BillingFigures) -> Self {
        BillingFiguresView {
            outcomes: (&f.outcomes).into(),
            settled_within_24h: f.settled_within_24h,
            settled_late: f.settled_late,
            open_past_24h: f.open_past_24h,
            open_within_24h: f.open_within_24h,
        }
    }
}

/// An area (its code) or transformer station (as first named) and how many
/// of its complaints repeated an earlier one.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepeatCountView {
    pub key: String,
    pub repeated: u64,
}

fn repeats(list: &[RepeatCount]) -> Vec<RepeatCountView> {
    list.iter()
        .map(|r| RepeatCountView {
            key: r.key.clone(),
            repeated: r.repeated,
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoltageFiguresView {
    pub complaints: u64,
    /// Complaints with appliances claimed damaged.
    pub claims: u64,
    pub claimed_vnd: i64,
    pub accepted: u64,
    pub partly_accepted: u64,
    pub rejected: u64,
    pub claims_pending: u64,
    pub paid_vnd: i64,
    /// Complaints repeating an earlier one of the same area or
    /// transformer within 90 days.
    pub repeated: u64,
    pub repeated_by_area: Vec<RepeatCountView>,
    pub repeated_by_transformer: Vec<RepeatCountView>,
}

impl From<&VoltageFigures> for VoltageFiguresView {
    fn from(f: &VoltageFigures) -> Self {
        VoltageFiguresView {
            complaints: f.complaints,
            claims: f.claims,
            claimed_vnd: f.claimed_vnd,
            accepted: f.accepted,
            partly_accepted: f.partly_accepted,
            rejected: f.rejected,
            claims_pending: f.claims_pending,
            paid_vnd: f.paid_vnd,
            repeated: f.repeated,
            repeated_by_area: repeats(&f.repeated_by_area),
            repeated_by_transformer: repeats(&f.repeated_by_transformer),
        }
    }
}

/// Staff-conduct complaints against the date promised to the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConductFiguresView {
    pub complaints: u64,
    /// Answered on or before the promised date.
    pub answered_on_time: u64,
    pub answered_late: u64,
    /// Not answered, and the promised date has passed.
    pub unanswered_past_promise: u64,
    pub unanswered_not_yet_due: u64,
}

impl From<&ConductFigures> for ConductFiguresView {
    fn from(f: &ConductFigures) -> Self {
        ConductFiguresView {
            complaints: f.complaints,
            answered_on_time: f.answered_on_time,
            answered_late: f.answered_late,
            unanswered_past_promise: f.unanswered_past_promise,
            unanswered_not_yet_due: f.unanswered_not_yet_due,
        }
    }
}

/// Someone complimented, and how often.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionView {
    pub name: String,
    pub compliments: u64,
}

fn ranked(list: &[Recognition]) -> Vec<RecognitionView> {
    list.iter()
        .map(|r| RecognitionView {
            name: r.name.clone(),
            compliments: r.compliments,
        })
        .collect()
}

/// The recognition list: compliments per agent, team and staff member,
/// most first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplimentFiguresView {
    pub compliments: u64,
    pub by_agent: Vec<RecognitionView>,
    pub by_team: Vec<RecognitionView>,
    pub by_staff: Vec<RecognitionView>,
}

impl From<&ComplimentFigures> for ComplimentFiguresView {
    fn from(f: &ComplimentFigures) -> Self {
        ComplimentFiguresView {
            compliments: f.compliments,
            by_agent: ranked(&f.by_agent),
            by_team: ranked(&f.by_team),
            by_staff: ranked(&f.by_staff),
        }
    }
}

/// Complaints and compliments opened in [from, to), in the caller's units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintReportView {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub metering: MeteringFiguresView,
    pub billing: BillingFiguresView,
    pub voltage_quality: VoltageFiguresView,
    /// Supervisors and admins only; absent for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_conduct: Option<ConductFiguresView>,
    pub compliments: ComplimentFiguresView,
}

impl ComplaintReportView {
    pub fn new(r: &ComplaintReport, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        ComplaintReportView {
            from,
            to,
            metering: (&r.metering).into(),
            billing: (&r.billing).into(),
            voltage_quality: (&r.voltage_quality).into(),
            staff_conduct: r.staff_conduct.as_ref().map(Into::into),
            compliments: (&r.compliments).into(),
        }
    }
}
