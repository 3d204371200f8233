//! The facts as submitted: every field of every category, as typed. Each
//! category's check takes its own and refuses the others by name.

use crate::call::Category;
use crate::validation::Validation;

/// One damaged appliance as claimed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplianceInput {
    pub name: Option<String>,
    pub claimed_amount_vnd: Option<i64>,
}

/// The facts as submitted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactsInput {
    // Metering and billing.
    pub meter_number: Option<String>,
    pub disputed_reading_kwh: Option<f64>,
    pub bill_period: Option<String>,
    pub disputed_amount_vnd: Option<i64>,
    pub outcome: Option<String>,
    pub meter_within_tolerance: Option<bool>,
    pub adjusted_amount_vnd: Option<i64>,
    pub unfounded_reason: Option<String>,
    // Voltage quality.
    pub measured_voltage_v: Option<f64>,
    pub measured_at: Option<String>,
    pub measured_where: Option<String>,
    pub transformer_station: Option<String>,
    pub damaged_appliances: Option<Vec<ApplianceInput>>,
    pub amount_paid_vnd: Option<i64>,
    // Staff conduct (and compliments: team and staff member).
    pub staff_name: Option<String>,
    pub team_code: Option<String>,
    pub verification_finding: Option<String>,
    pub answer_text: Option<String>,
    pub answered_on: Option<String>,
    pub action_taken: Option<String>,
    // Compliments.
    pub agent: Option<String>,
}

const METERING: &[&str] = &[
    "meter_number",
    "disputed_reading_kwh",
    "bill_period",
    "disputed_amount_vnd",
    "outcome",
    "meter_within_tolerance",
    "adjusted_amount_vnd",
    "unfounded_reason",
];
const VOLTAGE: &[&str] = &[
    "measured_voltage_v",
    "measured_at",
    "measured_where",
    "transformer_station",
    "damaged_appliances",
    "outcome",
    "amount_paid_vnd",
];
const CONDUCT: &[&str] = &[
    "staff_name",
    "team_code",
    "verification_finding",
    "answer_text",
    "answered_on",
    "action_taken",
];
const COMPLIMENT: &[&str] = &["agent", "team_code", "staff_name"];

/// The fields a category's facts have.
pub(super) fn fields_of(category: Category) -> &'static [&'static str] {
    match category {
        Category::Metering | Category::Billing => METERING,
        Category::VoltageQuality => VOLTAGE,
        Category::StaffConduct => CONDUCT,
        Category::Compliment => COMPLIMENT,
        _ => &[],
    }
}

impl FactsInput {
    /// The fields given, by name.
    fn given(&self) -> [(&'static str, bool); 21] {
        [
            ("meter_number", self.meter_number.is_some()),
            ("disputed_reading_kwh", self.disputed_reading_kwh.is_some()),
            ("bill_period", self.bill_period.is_some()),
            ("disputed_amount_vnd", self.disputed_amount_vnd.is_some()),
            ("outcome", self.outcome.is_some()),
            ("meter_within_tolerance", self.meter_within_tolerance.is_some()),
            ("adjusted_amount_vnd", self.adjusted_amount_vnd.is_some()),
            ("unfounded_reason", self.unfounded_reason.is_some()),
            ("measured_voltage_v", self.measured_voltage_v.is_some()),
            ("measured_at", self.measured_at.is_some()),
            ("measured_where", self.measured_where.is_some()),
            ("transformer_station", self.transformer_station.is_some()),
            ("damaged_appliances", self.damaged_appliances.is_some()),
            ("amount_paid_vnd", self.amount_paid_vnd.is_some()),
            ("staff_name", self.staff_name.is_some()),
            ("team_code", self.team_code.is_some()),
            ("verification_finding", self.verification_finding.is_some()),
            ("answer_text", self.answer_text.is_some()),
            ("answered_on", self.answered_on.is_some()),
            ("action_taken", self.action_taken.is_some()),
            ("agent", self.agent.is_some()),
        ]
    }

    /// Records every given field that is not one of `allowed`.
    pub(super) fn refuse_others(&self, v: &mut Validation, allowed: &[&str]) {
        for (name, given) in self.given() {
            if given && !allowed.contains(&name) {
                v.add(format!("facts.{name}"), "does not apply to this category");
            }
        }
    }
}
