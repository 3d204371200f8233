//! How urgent a work order is. Routing rules match on it and dispatchers
//! sort their queues by it; the order of the variants is the order of
//! urgency.

use crate::call::Category;

named_enum!(
    /// Urgency, least to most.
    #[derive(PartialOrd, Ord, Default)]
    Priority {
        /// Can wait for office hours: information requests.
        Low => "low",
        /// The usual request: billing, metering, new supply.
        #[default]
        Normal => "normal",
        /// Customers without power.
        High => "high",
        /// Danger to life or property (a fallen line, a burning pole).
        Emergency => "emergency",
    }
);

impl Priority {
    /// What a call-taker gets pre-filled; they may always change it (an
    /// outage at a hospital is an emergency).
    ///
    /// - `safety_hazard` is an emergency: people can be hurt before anyone
    ///   calls back.
    /// - `outage` is high: supply must be restored within 2 hours around the
    ///   clock, but a single house without power is not a danger by itself.
    /// - `information` is low: it is answered on the phone and rarely needs
    ///   a field visit at all; so is a `compliment`, which asks for none.
    /// - everything else, staff-conduct complaints included (they have their
    ///   own promised answer date), is normal.
    pub fn default_for(category: Category) -> Priority {
        match category {
            Category::SafetyHazard => Priority::Emergency,
            Category::Outage => Priority::High,
            Category::Information | Category::Compliment => Priority::Low,
            Category::NewSupply
            | Category::Metering
            | Category::Billing
            | Category::VoltageQuality
            | Category::StaffConduct
            | Category::Other => Priority::Normal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_per_category() {
        assert_eq!(Priority::default_for(Category::SafetyHazard), Priority::Emergency);
        assert_eq!(Priority::default_for(Category::Outage), Priority::High);
        assert_eq!(Priority::default_for(Category::Information), Priority::Low);
        assert_eq!(Priority::default_for(Category::Billing), Priority::Normal);
        assert_eq!(Priority::default_for(Category::StaffConduct), Priority::Normal);
        assert_eq!(Priority::default(), Priority::Normal);
    }

    #[test]
    fn orders_by_urgency_and_round_trips() {
        assert!(Priority::Low < Priority::Normal && Priority::High < Priority::Emergency);
        for p in Priority::ALL {
            assert_eq!(p.as_str().parse::<Priority>(), Ok(*p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        assert!("urgent".parse::<Priority>().unwrap_err().contains("emergency"));
    }
}
