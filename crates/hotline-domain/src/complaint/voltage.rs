//! A voltage-quality complaint: what was measured, where and when, the
//! transformer station, the appliances claimed damaged and the claim's
//! outcome.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{FactsInput, Outcome};
use crate::time::{RangeEnd, parse_instant};
use crate::validation::{Validation, optional_text};

pub const MAX_PLACE: usize = 500;
pub const MAX_STATION: usize = 200;
pub const MAX_APPLIANCES: usize = 50;
/// Low voltage ends at 1 kV.
pub const MAX_VOLTS: f64 = 1000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appliance {
    pub name: String,
    pub claimed_amount_vnd: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoltageFacts {
    pub measured_voltage_v: Option<f64>,
    pub measured_at: Option<DateTime<Utc>>,
    pub measured_where: Option<String>,
    pub transformer_station: Option<String>,
    pub damaged_appliances: Vec<Appliance>,
    /// The damage claim's outcome.
    pub outcome: Option<Outcome>,
    pub amount_paid_vnd: Option<i64>,
}

impl VoltageFacts {
    /// What the damaged appliances were claimed at, in all.
    pub fn claimed_vnd(&self) -> i64 {
        self.damaged_appliances.iter().map(|a| a.claimed_amount_vnd).sum()
    }
}

fn appliances(v: &mut Validation, input: &FactsInput) -> Vec<Appliance> {
    let given = input.damaged_appliances.as_deref().unwrap_or(&[]);
    if given.len() > MAX_APPLIANCES {
        v.add("facts.damaged_appliances", "must have at most 50 items");
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, a) in given.iter().enumerate() {
        let name = optional_text(
            v,
            &format!("facts.damaged_appliances[{i}].name"),
            a.name.as_deref(),
            200,
        );
        if a.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            v.add(format!("facts.damaged_appliances[{i}].name"), "is required");
        }
        let amount = a.claimed_amount_vnd;
        match amount {
            None => v.add(
                format!("facts.damaged_appliances[{i}].claimed_amount_vnd"),
                "is required",
            ),
            Some(x) if x < 0 => v.add(
                format!("facts.damaged_appliances[{i}].claimed_amount_vnd"),
                "must be 0 or more",
            ),
            _ => {}
        }
        if let (Some(name), Some(amount)) = (name, amount) {
            out.push(Appliance {
                name,
                claimed_amount_vnd: amount,
            });
        }
    }
    out
}

pub(super) fn check(v: &mut Validation, input: &FactsInput) -> VoltageFacts {
    let volts = input.measured_voltage_v;
    if volts.is_some_and(|x| !x.is_finite() || x <= 0.0 || x > MAX_VOLTS) {
        v.add("facts.measured_voltage_v", "must be more than 0 and at most 1000");
    }
    let measured_at = input
        .measured_at
        .as_deref()
        .and_then(|raw| v.check("facts.measured_at", parse_instant(raw, RangeEnd::Start)));
    let measured_where = optional_text(v, "facts.measured_where", input.measured_where.as_deref(), MAX_PLACE);
    let station = optional_text(
        v,
        "facts.transformer_station",
        input.transformer_station.as_deref(),
        MAX_STATION,
    );
    let damaged = appliances(v, input);
    let outcome = input
        .outcome
        .as_deref()
        .and_then(|o| v.check("facts.outcome", o.parse::<Outcome>()));
    if outcome.is_some() && input.damaged_appliances.as_ref().is_none_or(Vec::is_empty) {
        v.add("facts.outcome", "needs the damaged appliances claimed");
    }
    let paid = input.amount_paid_vnd;
    match (outcome, paid) {
        (Some(Outcome::Accepted | Outcome::PartlyAccepted), None) => {
            v.add("facts.amount_paid_vnd", "is required when the claim is accepted")
        }
        (Some(Outcome::Rejected) | None, Some(p)) if p != 0 => {
            v.add("facts.amount_paid_vnd", "does not apply to this outcome")
        }
        (_, Some(p)) if p < 0 => v.add("facts.amount_paid_vnd", "must be 0 or more"),
        _ => {}
    }
    VoltageFacts {
        measured_voltage_v: volts,
        measured_at,
        measured_where,
        transformer_station: station,
        damaged_appliances: damaged,
        outcome,
        amount_paid_vnd: paid.filter(|_| matches!(outcome, Some(Outcome::Accepted | Outcome::PartlyAccepted))),
    }
}
