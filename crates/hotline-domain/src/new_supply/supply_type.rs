//! The kind of new supply asked for, its deadline in working days, and how
//! it is chosen from the applicant's answers and the area.

use crate::DomainError;

named_enum!(
    /// What a new-supply request is, which sets its deadline and its
    /// document checklist.
    SupplyType {
        /// A household in a town centre: 3 working days.
        ResidentialUrban => "residential_urban",
        /// A household in a rural area: 5 working days.
        ResidentialRural => "residential_rural",
        /// A business, an office, a workshop: 7 working days.
        NonResidential => "non_residential",
        /// Supply through a dedicated substation: 10 working days.
        DedicatedSubstation => "dedicated_substation",
    }
);

named_enum!(
    /// Who applies: a household (identified by a citizen ID) or a business
    /// (identified by a tax code).
    ApplicantKind {
        Household => "household",
        Business => "business",
    }
);

/// What an area says about itself: town centre, countryside, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaSetting {
    Urban,
    Rural,
    Unknown,
}

impl AreaSetting {
    /// From an area's tri-state `urban` flag.
    pub fn of(urban: Option<bool>) -> AreaSetting {
        match urban {
            Some(true) => AreaSetting::Urban,
            Some(false) => AreaSetting::Rural,
            None => AreaSetting::Unknown,
        }
    }
}

impl SupplyType {
    /// The working days from complete paperwork to energisation.
    pub fn working_days(self) -> u32 {
        match self {
            SupplyType::ResidentialUrban => 3,
            SupplyType::ResidentialRural => 5,
            SupplyType::NonResidential => 7,
            SupplyType::DedicatedSubstation => 10,
        }
    }

    pub fn kind(self) -> ApplicantKind {
        match self {
            SupplyType::ResidentialUrban | SupplyType::ResidentialRural => ApplicantKind::Household,
            SupplyType::NonResidential | SupplyType::DedicatedSubstation => ApplicantKind::Business,
        }
    }

    /// The type of a request: the one asked for wins; a business without
    /// one is non-residential; a household's comes from its area, which
    /// must say whether it is urban or rural (never guessed).
    pub fn choose(
        asked: Option<SupplyType>,
        kind: ApplicantKind,
        area: AreaSetting,
    ) -> Result<SupplyType, DomainError> {
        if let Some(t) = asked {
            return Ok(t);
        }
        match (kind, area) {
            (ApplicantKind::Business, _) => Ok(SupplyType::NonResidential),
            (ApplicantKind::Household, AreaSetting::Urban) => Ok(SupplyType::ResidentialUrban),
            (ApplicantKind::Household, AreaSetting::Rural) => Ok(SupplyType::ResidentialRural),
            (ApplicantKind::Household, AreaSetting::Unknown) => Err(DomainError::invalid(
                "supply_type",
                "is required: the area's urban or rural kind is not known",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_has_its_working_days() {
        let days: Vec<u32> = SupplyType::ALL.iter().map(|t| t.working_days()).collect();
        assert_eq!(days, [3, 5, 7, 10]);
        assert_eq!(
            SupplyType::parse("dedicated_substation"),
            Some(SupplyType::DedicatedSubstation)
        );
        assert_eq!(SupplyType::ResidentialRural.kind(), ApplicantKind::Household);
        assert_eq!(SupplyType::DedicatedSubstation.kind(), ApplicantKind::Business);
    }

    #[test]
    fn the_type_asked_for_wins() {
        let t = SupplyType::choose(
            Some(SupplyType::DedicatedSubstation),
            ApplicantKind::Household,
            AreaSetting::Unknown,
        );
        assert_eq!(t.unwrap(), SupplyType::DedicatedSubstation);
    }

    #[test]
    fn households_take_the_area_setting_and_an_unknown_one_is_refused() {
        use ApplicantKind::*;
        assert_eq!(
            SupplyType::choose(None, Household, AreaSetting::of(Some(true))).unwrap(),
            SupplyType::ResidentialUrban
        );
        assert_eq!(
            SupplyType::choose(None, Household, AreaSetting::of(Some(false))).unwrap(),
            SupplyType::ResidentialRural
        );
        assert_eq!(
            SupplyType::choose(None, Business, AreaSetting::Unknown).unwrap(),
            SupplyType::NonResidential
        );
        match SupplyType::choose(None, Household, AreaSetting::of(None)).unwrap_err() {
            DomainError::Validation(f) => {
                assert_eq!(f[0].field, "supply_type");
                assert!(f[0].message.contains("urban or rural"));
            }
            other => panic!("{other:?}"),
        }
    }
}
