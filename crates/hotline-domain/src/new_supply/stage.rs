//! Where a new-supply request stands, from paperwork to energisation.
//!
//! ```text
//! awaiting_documents ─(last document ticked)→ documents_complete ─→ surveyed
//!   ─→ contract_signed ─→ meter_installed ─→ energised
//! cancelled: from any state before energised (final)
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;

named_enum!(
    /// The stage of a new-supply request.
    Stage {
        /// Documents missing: the deadline clock has not started.
        AwaitingDocuments => "awaiting_documents",
        /// The checklist is complete: the clock runs from here.
        DocumentsComplete => "documents_complete",
        /// The site survey is done.
        Surveyed => "surveyed",
        /// The supply contract is signed.
        ContractSigned => "contract_signed",
        /// The meter is installed.
        MeterInstalled => "meter_installed",
        /// Power is on: done.
        Energised => "energised",
        /// Withdrawn or refused: final.
        Cancelled => "cancelled",
    }
);

/// One step taken: the stage reached, by whom, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub stage: Stage,
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

impl Stage {
    /// Finished (energised or cancelled): nothing more happens.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Energised | Stage::Cancelled)
    }

    /// The stage a step leads to from this one (None from the last).
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::AwaitingDocuments => Some(Stage::DocumentsComplete),
            Stage::DocumentsComplete => Some(Stage::Surveyed),
            Stage::Surveyed => Some(Stage::ContractSigned),
            Stage::ContractSigned => Some(Stage::MeterInstalled),
            Stage::MeterInstalled => Some(Stage::Energised),
            Stage::Energised | Stage::Cancelled => None,
        }
    }

    /// Whether a step to `to` may be recorded now: the next stage in order
    /// (documents are completed by ticking them, not by a step), or a
    /// cancellation before the end. 409 otherwise, naming what may come next.
    pub fn check_step(self, to: Stage) -> Result<(), DomainError> {
        if self.is_final() {
            return Err(DomainError::Conflict(format!("the request is {self}: no more steps")));
        }
        if to == Stage::Cancelled {
            return Ok(());
        }
        if self == Stage::AwaitingDocuments {
            return Err(DomainError::Conflict(
                "the request is awaiting_documents: tick the missing documents first".into(),
            ));
        }
        match self.next() {
            Some(next) if next == to => Ok(()),
            Some(next) => Err(DomainError::Conflict(format!(
                "the request is {self}: the next step is {next} (or cancelled)"
            ))),
            None => Err(DomainError::Conflict(format!("the request is {self}: no more steps"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_go_in_order() {
        assert!(Stage::DocumentsComplete.check_step(Stage::Surveyed).is_ok());
        assert!(Stage::Surveyed.check_step(Stage::ContractSigned).is_ok());
        assert!(Stage::MeterInstalled.check_step(Stage::Energised).is_ok());
        let skipped = Stage::DocumentsComplete.check_step(Stage::MeterInstalled).unwrap_err();
        assert!(matches!(skipped, DomainError::Conflict(m) if m.contains("next step is surveyed")));
        assert!(Stage::AwaitingDocuments.check_step(Stage::Surveyed).is_err());
        assert!(Stage::AwaitingDocuments.check_step(Stage::DocumentsComplete).is_err());
    }

    #[test]
    fn cancelled_until_energised_and_final_after() {
        assert!(Stage::AwaitingDocuments.check_step(Stage::Cancelled).is_ok());
        assert!(Stage::MeterInstalled.check_step(Stage::Cancelled).is_ok());
        assert!(Stage::Energised.check_step(Stage::Cancelled).is_err());
        assert!(Stage::Cancelled.check_step(Stage::Surveyed).is_err());
        assert!(Stage::Energised.is_final() && !Stage::Surveyed.is_final());
    }
}
