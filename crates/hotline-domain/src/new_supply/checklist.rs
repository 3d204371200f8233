//! The documents each type of request needs, and who ticked each off when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SupplyType;

named_enum!(
    /// A document an applicant hands in.
    Document {
        /// The signed application form.
        ApplicationForm => "application_form",
        /// The applicant's (or the legal representative's) citizen ID card.
        IdCard => "id_card",
        /// Proof of residence or ownership of the premises.
        ProofOfResidence => "proof_of_residence",
        /// The business registration certificate.
        BusinessRegistration => "business_registration",
        /// The list of equipment and the power it needs.
        PowerDemandList => "power_demand_list",
        /// The approved design of the dedicated substation.
        SubstationDesignApproval => "substation_design_approval",
    }
);

/// One line of the checklist: the document, and who confirmed it when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub document: Document,
    pub ticked_by: Option<String>,
    pub ticked_at: Option<DateTime<Utc>>,
}

impl ChecklistItem {
    pub fn is_ticked(&self) -> bool {
        self.ticked_at.is_some()
    }
}

/// The documents a request of this type needs, in the order they are
/// asked for; of a request whose type is not known yet, what every request needs.
pub fn required(t: Option<SupplyType>) -> Vec<Document> {
    use Document::*;
    let mut docs = vec![ApplicationForm, IdCard, ProofOfResidence];
    if matches!(t, Some(SupplyType::NonResidential | SupplyType::DedicatedSubstation)) {
        docs.extend([BusinessRegistration, PowerDemandList]);
    }
    if t == Some(SupplyType::DedicatedSubstation) {
        docs.push(SubstationDesignApproval);
    }
    docs
}

/// An unticked checklist for a request of this type.
pub fn checklist(t: Option<SupplyType>) -> Vec<ChecklistItem> {
    required(t)
        .into_iter()
        .map(|document| ChecklistItem {
            document,
            ticked_by: None,
            ticked_at: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn businesses_need_more_than_households() {
        assert_eq!(required(Some(SupplyType::ResidentialUrban)).len(), 3);
        assert_eq!(required(None), required(Some(SupplyType::ResidentialUrban)));
        assert_eq!(
            required(Some(SupplyType::ResidentialRural)),
            required(Some(SupplyType::ResidentialUrban))
        );
        let business = required(Some(SupplyType::NonResidential));
        assert!(business.contains(&Document::BusinessRegistration) && business.contains(&Document::PowerDemandList));
        assert!(!business.contains(&Document::SubstationDesignApproval));
        assert_eq!(
            required(Some(SupplyType::DedicatedSubstation)).last(),
            Some(&Document::SubstationDesignApproval)
        );
        assert!(
            checklist(Some(SupplyType::NonResidential))
                .iter()
                .all(|i| !i.is_ticked())
        );
    }
}
