//! Complaints with their facts, and compliments. The facts of a metering,
//! billing, voltage-quality or staff-conduct complaint, or whom a
//! compliment is for, kept beside the work order (one record per work
//! order); the repeated voltage complaints of an area or transformer; and
//! the complaints report. Pure: checked here, stored by the ports.

mod compliment;
mod conduct;
mod input;
mod metering;
pub mod repeats;
pub mod report;
mod voltage;

#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::call::Category;
use crate::validation::Validation;

pub use compliment::ComplimentFacts;
pub use conduct::ConductFacts;
pub use input::{ApplianceInput, FactsInput};
pub use metering::{MeterResult, MeteringFacts};
pub use repeats::{REPEAT_WINDOW, Repeats, VoltageMark};
pub use voltage::{Appliance, VoltageFacts};

named_enum!(
    /// How a complaint ended: `meter_tested`, `bill_adjusted` and
    /// `unfounded` for metering and billing; `accepted`, `partly_accepted`
    /// and `rejected` for a voltage-quality damage claim.
    Outcome {
        MeterTested => "meter_tested",
        BillAdjusted => "bill_adjusted",
        Unfounded => "unfounded",
        Accepted => "accepted",
        PartlyAccepted => "partly_accepted",
        Rejected => "rejected",
    }
);

impl Outcome {
    /// Whether this outcome may be recorded on a work order of `category`.
    pub fn belongs_to(self, category: Category) -> bool {
        match self {
            Outcome::MeterTested | Outcome::BillAdjusted | Outcome::Unfounded => {
                matches!(category, Category::Metering | Category::Billing)
            }
            Outcome::Accepted | Outcome::PartlyAccepted | Outcome::Rejected => category == Category::VoltageQuality,
        }
    }
}

/// The facts of one work order, by its category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Facts {
    /// A metering or billing complaint.
    Metering(MeteringFacts),
    VoltageQuality(VoltageFacts),
    StaffConduct(ConductFacts),
    Compliment(ComplimentFacts),
}

impl Facts {
    /// Whether work orders of `category` keep facts at all (a category
    /// never changes once opened, so others never have any).
    pub fn kept_for(category: Category) -> bool {
        !input::fields_of(category).is_empty()
    }

    /// Checks what was submitted for a work order of `category`, naming
    /// each bad field as `facts.<field>`; `today` is the local date (an
    /// answer cannot be dated later).
    pub fn check(category: Category, input: &FactsInput, today: NaiveDate) -> Result<Facts, DomainError> {
        if let Some(raw) = input.outcome.as_deref()
            && let Ok(outcome) = raw.parse::<Outcome>()
            && !outcome.belongs_to(category)
        {
            return Err(DomainError::invalid(
                "facts.outcome",
                "is not an outcome of this category",
            ));
        }
        let mut v = Validation::new();
        let facts = match category {
            Category::Metering | Category::Billing => Facts::Metering(metering::check(&mut v, input)),
            Category::VoltageQuality => Facts::VoltageQuality(voltage::check(&mut v, input)),
            Category::StaffConduct => Facts::StaffConduct(conduct::check(&mut v, input, today)),
            Category::Compliment => Facts::Compliment(compliment::check(&mut v, input)),
            _ => return Err(DomainError::invalid("facts", "are not kept for this category")),
        };
        input.refuse_others(&mut v, input::fields_of(category));
        v.finish()?;
        Ok(facts)
    }

    /// The transformer station the facts name, if any.
    pub fn transformer_station(&self) -> Option<&str> {
        match self {
            Facts::VoltageQuality(f) => f.transformer_station.as_deref(),
            _ => None,
        }
    }

    /// The facts as the audit trail and the history line keep them.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// The facts recorded on one work order.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintFacts {
    pub work_order_id: Uuid,
    pub facts: Facts,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// 1 when first recorded, one more at each change.
    pub version: i64,
}

impl ComplaintFacts {
    /// The facts `earlier` becomes with `facts`, recorded by `actor` at `now`.
    pub fn recorded(
        work_order_id: Uuid,
        earlier: Option<&ComplaintFacts>,
        facts: Facts,
        actor: &str,
        now: DateTime<Utc>,
    ) -> ComplaintFacts {
        ComplaintFacts {
            work_order_id,
            facts,
            recorded_by: actor.to_string(),
            created_at: earlier.map_or(now, |e| e.created_at),
            updated_at: now,
            version: earlier.map_or(1, |e| e.version + 1),
        }
    }
}
