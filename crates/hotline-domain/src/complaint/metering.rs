//! A metering or billing complaint: the meter, what is disputed, and how
//! it ended.

use serde::{Deserialize, Serialize};

use super::{FactsInput, Outcome};
use crate::validation::{Validation, optional_text};

pub const MAX_REASON: usize = 2000;

/// What testing the meter found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterResult {
    WithinTolerance,
    OutsideTolerance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeteringFacts {
    pub meter_number: String,
    /// The reading the customer disputes, in kWh.
    pub disputed_reading_kwh: Option<f64>,
    /// The bill disputed: its month (YYYY-MM) and amount in VND.
    pub bill_period: Option<String>,
    pub disputed_amount_vnd: Option<i64>,
    pub outcome: Option<Outcome>,
    /// `meter_tested`: what the test found.
    pub meter_result: Option<MeterResult>,
    /// `bill_adjusted`: by how much, in VND (negative: the bill went down).
    pub adjusted_amount_vnd: Option<i64>,
    /// `unfounded`: why.
    pub unfounded_reason: Option<String>,
}

/// A meter number: 4 to 32 letters, digits or dashes.
fn meter_number(v: &mut Validation, raw: Option<&str>) -> String {
    let n = raw.map(str::trim).unwrap_or("").to_uppercase();
    if n.is_empty() {
        v.add("facts.meter_number", "is required");
    } else if !(4..=32).contains(&n.len()) || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        v.add("facts.meter_number", "must be 4 to 32 letters, digits or dashes");
    }
    n
}

/// A month as `YYYY-MM`.
fn bill_period(v: &mut Validation, raw: Option<&str>) -> Option<String> {
    let p = raw?.trim();
    let ok = p.len() == 7
        && chrono::NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d").is_ok()
        && p.as_bytes()[4] == b'-';
    if !ok {
        v.add("facts.bill_period", "must be a month as YYYY-MM");
        return None;
    }
    Some(p.to_string())
}

pub(super) fn check(v: &mut Validation, input: &FactsInput) -> MeteringFacts {
    let meter_number = meter_number(v, input.meter_number.as_deref());
    let reading = input.disputed_reading_kwh;
    if reading.is_some_and(|r| !r.is_finite() || r < 0.0) {
        v.add("facts.disputed_reading_kwh", "must be 0 or more");
    }
    let period = bill_period(v, input.bill_period.as_deref());
    if input.disputed_amount_vnd.is_some_and(|a| a < 0) {
        v.add("facts.disputed_amount_vnd", "must be 0 or more");
    }
    if reading.is_none() && input.bill_period.is_none() {
        v.add(
            "facts.disputed_reading_kwh",
            "give the disputed reading or the bill period",
        );
    }
    if input.bill_period.is_some() && input.disputed_amount_vnd.is_none() {
        v.add("facts.disputed_amount_vnd", "is required with the bill period");
    }
    let outcome = input
        .outcome
        .as_deref()
        .and_then(|o| v.check("facts.outcome", o.parse::<Outcome>()));
    let tested = outcome == Some(Outcome::MeterTested);
    let adjusted = outcome == Some(Outcome::BillAdjusted);
    let unfounded = outcome == Some(Outcome::Unfounded);
    let meter_result = match (tested, input.meter_within_tolerance) {
        (true, None) => {
            v.add("facts.meter_within_tolerance", "is required when the meter was tested");
            None
        }
        (true, Some(true)) => Some(MeterResult::WithinTolerance),
        (true, Some(false)) => Some(MeterResult::OutsideTolerance),
        (false, Some(_)) => {
            v.add("facts.meter_within_tolerance", "does not apply to this outcome");
            None
        }
        (false, None) => None,
    };
    match (adjusted, input.adjusted_amount_vnd) {
        (true, None) => v.add("facts.adjusted_amount_vnd", "is required when the bill was adjusted"),
        (false, Some(_)) => v.add("facts.adjusted_amount_vnd", "does not apply to this outcome"),
        _ => {}
    }
    let reason = optional_text(
        v,
        "facts.unfounded_reason",
        input.unfounded_reason.as_deref(),
        MAX_REASON,
    );
    match (unfounded, &reason) {
        (true, None) => v.add("facts.unfounded_reason", "is required when the complaint is unfounded"),
        (false, Some(_)) => v.add("facts.unfounded_reason", "does not apply to this outcome"),
        _ => {}
    }
    MeteringFacts {
        meter_number,
        disputed_reading_kwh: reading,
        bill_period: period,
        disputed_amount_vnd: input.disputed_amount_vnd,
        outcome,
        meter_result,
        adjusted_amount_vnd: input.adjusted_amount_vnd.filter(|_| adjusted),
        unfounded_reason: reason,
    }
}
