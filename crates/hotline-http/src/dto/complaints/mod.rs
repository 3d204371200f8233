//! Complaint facts and compliments: the body that records them, the
//! `facts` and `repeats` a work order's view shows, and the report.

mod report;

pub use report::*;

use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::complaint::{ApplianceInput, ComplaintFacts, Facts, FactsInput, MeterResult, Repeats};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A damaged appliance claimed after a voltage problem.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceBody {
    #[schema(example = "Tủ lạnh")]
    pub name: Option<String>,
    /// In VND, a whole number.
    pub claimed_amount_vnd: Option<i64>,
}

/// The facts of a complaint or compliment; which fields apply depends on
/// the work order's category (others are refused, named):
/// - `metering`, `billing`: `meter_number` (required); `disputed_reading_kwh`
///   or `bill_period` (YYYY-MM) with `disputed_amount_vnd`; `outcome`
///   `meter_tested` (with `meter_within_tolerance`), `bill_adjusted` (with
///   `adjusted_amount_vnd`, negative when the bill went down) or
///   `unfounded` (with `unfounded_reason`);
/// - `voltage_quality`: `measured_voltage_v`, `measured_at`,
///   `measured_where`, `transformer_station`, `damaged_appliances`, and the
///   claim's `outcome` `accepted`, `partly_accepted` (both with
///   `amount_paid_vnd`) or `rejected`;
/// - `staff_conduct` (supervisors and admins only): `staff_name` and/or
///   `team_code`, `verification_finding`, `answer_text` with `answered_on`,
///   `action_taken`;
/// - `compliment`: at least one of `agent` (a username), `team_code`,
///   `staff_name`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactsBody {
    #[schema(example = "PE-14082213")]
    pub meter_number: Option<String>,
    pub disputed_reading_kwh: Option<f64>,
    #[schema(example = "2026-10")]
    pub bill_period: Option<String>,
    pub disputed_amount_vnd: Option<i64>,
    #[schema(example = "bill_adjusted")]
    pub outcome: Option<String>,
    pub meter_within_tolerance: Option<bool>,
    pub adjusted_amount_vnd: Option<i64>,
    pub unfounded_reason: Option<String>,
    pub measured_voltage_v: Option<f64>,
    /// RFC 3339.
    pub measured_at: Option<String>,
    pub measured_where: Option<String>,
    #[schema(example = "TBA Tân Thành 3")]
    pub transformer_station: Option<String>,
    pub damaged_appliances: Option<Vec<ApplianceBody>>,
    pub amount_paid_vnd: Option<i64>,
    pub staff_name: Option<String>,
    pub team_code: Option<String>,
    pub verification_finding: Option<String>,
    pub answer_text: Option<String>,
    /// The day the answer was given to the customer (YYYY-MM-DD).
    pub answered_on: Option<String>,
    pub action_taken: Option<String>,
    /// The agent complimented, by username.
    pub agent: Option<String>,
}

impl From<FactsBody> for FactsInput {
    fn from(b: FactsBody) -> Self {
        FactsInput {
            meter_number: b.meter_number,
            disputed_reading_kwh: b.disputed_reading_kwh,
            bill_period: b.bill_period,
            disputed_amount_vnd: b.disputed_amount_vnd,
            outcome: b.outcome,
            meter_within_tolerance: b.meter_within_tolerance,
            adjusted_amount_vnd: b.adjusted_amount_vnd,
            unfounded_reason: b.unfounded_reason,
            measured_voltage_v: b.measured_voltage_v,
            measured_at: b.measured_at,
            measured_where: b.measured_where,
            transformer_station: b.transformer_station,
            damaged_appliances: b.damaged_appliances.map(|list| {
                list.into_iter()
                    .map(|a| ApplianceInput {
                        name: a.name,
                        claimed_amount_vnd: a.claimed_amount_vnd,
                    })
                    .collect()
            }),
            amount_paid_vnd: b.amount_paid_vnd,
            staff_name: b.staff_name,
            team_code: b.team_code,
            verification_finding: b.verification_finding,
            answer_text: b.answer_text,
            answered_on: b.answered_on,
            action_taken: b.action_taken,
            agent: b.agent,
        }
    }
}

/// The facts recorded on a work order: the fields of its category, as
/// recorded (absent ones left out).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct FactsView {
    /// `metering` (metering and billing), `voltage_quality`,
    /// `staff_conduct` or `compliment`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meter_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disputed_reading_kwh: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disputed_amount_vnd: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meter_within_tolerance: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_amount_vnd: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unfounded_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured_voltage_v: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured_where: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transformer_station: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damaged_appliances: Option<Vec<ApplianceBody>>,
    /// The damaged appliances' claimed amounts added up, in VND.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_vnd: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_paid_vnd: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_finding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_taken: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub recorded_by: String,
    pub updated_at: DateTime<Utc>,
    /// 1 when first recorded, one more at each change.
    pub version: i64,
}

impl From<&ComplaintFacts> for FactsView {
    fn from(c: &ComplaintFacts) -> Self {
        let mut v = FactsView {
            recorded_by: c.recorded_by.clone(),
            updated_at: c.updated_at,
            version: c.version,
            ..FactsView::default()
        };
        match &c.facts {
            Facts::Metering(m) => {
                v.kind = "metering".into();
                v.meter_number = Some(m.meter_number.clone());
                v.disputed_reading_kwh = m.disputed_reading_kwh;
                v.bill_period = m.bill_period.clone();
                v.disputed_amount_vnd = m.disputed_amount_vnd;
                v.outcome = m.outcome.map(|o| o.to_string());
                v.meter_within_tolerance = m.meter_result.map(|r| r == MeterResult::WithinTolerance);
                v.adjusted_amount_vnd = m.adjusted_amount_vnd;
                v.unfounded_reason = m.unfounded_reason.clone();
            }
            Facts::VoltageQuality(f) => {
                v.kind = "voltage_quality".into();
                v.measured_voltage_v = f.measured_voltage_v;
                v.measured_at = f.measured_at;
                v.measured_where = f.measured_where.clone();
                v.transformer_station = f.transformer_station.clone();
                v.damaged_appliances = Some(
                    f.damaged_appliances
                        .iter()
                        .map(|a| ApplianceBody {
                            name: Some(a.name.clone()),
                            claimed_amount_vnd: Some(a.claimed_amount_vnd),
                        })
                        .collect(),
                );
                v.claimed_vnd = Some(f.claimed_vnd());
                v.outcome = f.outcome.map(|o| o.to_string());
                v.amount_paid_vnd = f.amount_paid_vnd;
            }
            Facts::StaffConduct(s) => {
                v.kind = "staff_conduct".into();
                v.staff_name = s.staff_name.clone();
                v.team_code = s.team_code.as_ref().map(ToString::to_string);
                v.verification_finding = s.verification_finding.clone();
                v.answer_text = s.answer_text.clone();
                v.answered_on = s.answered_on;
                v.action_taken = s.action_taken.clone();
            }
            Facts::Compliment(p) => {
                v.kind = "compliment".into();
                v.agent = p.agent.clone();
                v.team_code = p.team_code.as_ref().map(ToString::to_string);
                v.staff_name = p.staff_name.clone();
            }
        }
        v
    }
}

/// The earlier voltage-quality complaints of the same unit, area or
/// transformer station, opened within the 90 days before this one.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepeatsView {
    pub count: usize,
    /// Their codes, oldest first.
    pub codes: Vec<String>,
}

impl From<&Repeats> for RepeatsView {
    fn from(r: &Repeats) -> Self {
        RepeatsView {
            count: r.count,
            codes: r.codes.clone(),
        }
    }
}
