//! New-supply applications: a request for a new connection, kept beside
//! its work order (same id). It has a type (which sets the deadline in
//! working days and the documents asked for), the applicant (usually not a
//! customer yet), a checklist of documents, and the steps from paperwork to
//! energisation. The deadline clock starts when the checklist is complete.

mod applicant;
mod checklist;
mod filter;
pub mod report;
pub mod signature;
mod stage;
mod supply_type;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

pub use applicant::{Applicant, NewApplicant, check_email, check_national_id, check_tax_code};
pub use checklist::{ChecklistItem, Document, checklist, required};
pub use filter::{ApplicationFilter, Search};
pub use stage::{Stage, Step};
pub use supply_type::{ApplicantKind, AreaSetting, SupplyType};

use crate::DomainError;
use crate::calendar::{Calendar, Target};

/// The longest e-mail text kept with a request.
pub const MAX_MESSAGE: usize = 20_000;

/// A new-supply application, keyed by its work order's id.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub work_order_id: Uuid,
    /// None until known (an e-mail that does not say): the checklist then
    /// holds what every request needs, and the clock cannot start.
    pub supply_type: Option<SupplyType>,
    pub applicant: Applicant,
    pub stage: Stage,
    pub checklist: Vec<ChecklistItem>,
    /// Every stage reached, in order (the first is the one it opened in).
    pub steps: Vec<Step>,
    /// When the last missing document was ticked: the clock starts here.
    pub documents_complete_at: Option<DateTime<Utc>>,
    /// Who ticked it.
    pub documents_confirmed_by: Option<String>,
    /// The e-mail it came in, as text, and the message id (one request per message).
    pub message: Option<String>,
    pub message_id: Option<String>,
    /// When the e-mail it came in was received (the gateway's time, else
    /// when the gateway handed it over).
    pub received_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What a change to an application did, for the history and the events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A document ticked; `completed` when it was the last one missing.
    Ticked { document: Document, completed: bool },
    /// A step recorded.
    Step(Stage),
    /// The type set (or changed) while documents were awaited;
    /// `completed` when that completed the checklist.
    Typed { supply_type: SupplyType, completed: bool },
}

impl Application {
    /// A new application: documents already handed in (`ticked`) are ticked
    /// by `actor`; if that is all of them, the clock starts now.
    pub fn new(
        work_order_id: Uuid,
        supply_type: Option<SupplyType>,
        applicant: Applicant,
        ticked: &[Document],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Application, DomainError> {
        let mut a = Application {
            work_order_id,
            supply_type,
            applicant,
            stage: Stage::AwaitingDocuments,
            checklist: checklist(supply_type),
            steps: vec![Step {
                stage: Stage::AwaitingDocuments,
                by: actor.to_string(),
                at: now,
                note: None,
            }],
            documents_complete_at: None,
            documents_confirmed_by: None,
            message: None,
            message_id: None,
            received_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        for (i, d) in ticked.iter().enumerate() {
            if a.checklist.iter().any(|item| item.document == *d && item.is_ticked()) {
                continue;
            }
            a = a.tick(*d, actor, now).map_err(|e| match e {
                DomainError::Validation(_) => {
                    DomainError::invalid(&format!("documents[{i}]"), "is not on this request's checklist")
                }
                other => other,
            })?;
        }
        a.version = 1;
        a.updated_at = now;
        Ok(a)
    }

    /// Ticks a document off; the last one missing completes the checklist
    /// and starts the clock.
    pub fn tick(&self, document: Document, actor: &str, now: DateTime<Utc>) -> Result<Application, DomainError> {
        if self.stage != Stage::AwaitingDocuments {
            return Err(DomainError::Conflict(format!(
                "the request is {}: its documents are no longer ticked",
                self.stage
            )));
        }
        let mut next = self.clone();
        let item = next
            .checklist
            .iter_mut()
            .find(|i| i.document == document)
            .ok_or_else(|| DomainError::invalid("document", "is not on this request's checklist"))?;
        if item.is_ticked() {
            return Err(DomainError::Conflict(format!("{document} is already ticked")));
        }
        item.ticked_by = Some(actor.to_string());
        item.ticked_at = Some(now);
        next.complete_if_ready(actor, now);
        next.touch(now);
        Ok(next)
    }

    /// Sets the type while documents are awaited: the checklist becomes
    /// the type's, keeping what was already ticked.
    pub fn set_type(&self, t: SupplyType, actor: &str, now: DateTime<Utc>) -> Result<Application, DomainError> {
        if self.stage != Stage::AwaitingDocuments {
            return Err(DomainError::Conflict(format!(
                "the request is {}: its type can no longer change",
                self.stage
            )));
        }
        let mut next = self.clone();
        next.supply_type = Some(t);
        next.checklist = checklist(Some(t))
            .into_iter()
            .map(|fresh| {
                self.checklist
                    .iter()
                    .find(|old| old.document == fresh.document)
                    .cloned()
                    .unwrap_or(fresh)
            })
            .collect();
        next.applicant.kind = t.kind();
        next.complete_if_ready(actor, now);
        next.touch(now);
        Ok(next)
    }

    /// Every document ticked and the type known: the paperwork is complete
    /// and the clock starts now.
    fn complete_if_ready(&mut self, actor: &str, now: DateTime<Utc>) {
        if self.supply_type.is_some() && self.checklist.iter().all(ChecklistItem::is_ticked) {
            self.stage = Stage::DocumentsComplete;
            self.documents_complete_at = Some(now);
            self.documents_confirmed_by = Some(actor.to_string());
            self.steps.push(Step {
                stage: Stage::DocumentsComplete,
                by: actor.to_string(),
                at: now,
                note: None,
            });
        }
    }

    /// Records a step: the next stage in order, or a cancellation.
    pub fn step(
        &self,
        to: Stage,
        actor: &str,
        now: DateTime<Utc>,
        note: Option<String>,
    ) -> Result<Application, DomainError> {
        self.stage.check_step(to)?;
        let mut next = self.clone();
        next.stage = to;
        next.steps.push(Step {
            stage: to,
            by: actor.to_string(),
            at: now,
            note,
        });
        next.touch(now);
        Ok(next)
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.updated_at = now.max(self.updated_at);
        self.version += 1;
    }

    /// The documents still missing.
    pub fn missing(&self) -> Vec<Document> {
        self.checklist
            .iter()
            .filter(|i| !i.is_ticked())
            .map(|i| i.document)
            .collect()
    }

    /// When it was energised.
    pub fn energised_at(&self) -> Option<DateTime<Utc>> {
        self.steps.iter().find(|s| s.stage == Stage::Energised).map(|s| s.at)
    }

    /// The resolution deadline: the type's working days in `calendar`,
    /// counted from complete paperwork, time on hold left out; None while
    /// documents are missing (the clock has not started).
    pub fn resolution_due(
        &self,
        calendar: &Calendar,
        pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let start = self.documents_complete_at?;
        Target::WorkingDays(self.supply_type?.working_days()).due_with_pauses(calendar, start, pauses, now)
    }

    /// What events and the audit trail carry.
    pub fn event_data(&self) -> Value {
        json!({
            "work_order_id": self.work_order_id,
            "supply_type": self.supply_type,
            "stage": self.stage,
            "missing_documents": self.missing(),
            "documents_complete_at": self.documents_complete_at,
            "documents_confirmed_by": self.documents_confirmed_by,
            "steps": self.steps.iter().map(|s| json!({"stage": s.stage, "by": s.by, "at": s.at})).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        // Vietnam is UTC+7.
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap() - chrono::Duration::hours(7)
    }

    fn applicant() -> Applicant {
        Applicant {
            kind: ApplicantKind::Household,
            name: "Trần Thị Bích".into(),
            phone: Some("+84912345678".into()),
            email: None,
            address: None,
            national_id: None,
            tax_code: None,
        }
    }

    fn opened(t: SupplyType, ticked: &[Document]) -> Application {
        Application::new(Uuid::nil(), Some(t), applicant(), ticked, "user:lan", at(20, 9)).unwrap()
    }

    #[test]
    fn the_clock_waits_for_the_last_document() {
        let cal = Calendar::default_vietnam();
        let a = opened(SupplyType::ResidentialUrban, &[Document::ApplicationForm]);
        assert_eq!(a.stage, Stage::AwaitingDocuments);
        assert_eq!(a.resolution_due(&cal, &[], at(23, 9)), None);
        assert_eq!(a.missing(), [Document::IdCard, Document::ProofOfResidence]);
        let a = a.tick(Document::IdCard, "user:lan", at(23, 9)).unwrap();
        assert_eq!((a.stage, a.documents_complete_at), (Stage::AwaitingDocuments, None));
        // Tuesday 24 November 2026, 10:00: complete; 3 working days → Friday 27th, 17:00.
        let a = a.tick(Document::ProofOfResidence, "user:hoa", at(24, 10)).unwrap();
        assert_eq!(a.stage, Stage::DocumentsComplete);
        assert_eq!(a.documents_complete_at, Some(at(24, 10)));
        assert_eq!(a.documents_confirmed_by.as_deref(), Some("user:hoa"));
        assert_eq!(a.resolution_due(&cal, &[], at(24, 10)), Some(at(27, 17)));
        assert_eq!(a.version, 3);
        assert!(
            a.tick(Document::IdCard, "u", at(24, 11)).is_err(),
            "done with documents"
        );
    }

    #[test]
    fn each_type_counts_its_own_days_over_the_weekend() {
        let cal = Calendar::default_vietnam();
        // Friday 20 November 2026, complete at opening.
        let due = |t| {
            opened(t, &required(Some(t)))
                .resolution_due(&cal, &[], at(20, 9))
                .unwrap()
        };
        assert_eq!(due(SupplyType::ResidentialUrban), at(25, 17));
        assert_eq!(due(SupplyType::ResidentialRural), at(27, 17));
        assert_eq!(
            due(SupplyType::NonResidential),
            Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
        );
        assert_eq!(
            due(SupplyType::DedicatedSubstation),
            Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap()
        );
    }

    #[test]
    fn documents_off_the_checklist_are_refused() {
        let err = Application::new(
            Uuid::nil(),
            Some(SupplyType::ResidentialRural),
            applicant(),
            &[Document::ApplicationForm, Document::PowerDemandList],
            "u",
            at(20, 9),
        )
        .unwrap_err();
        assert!(matches!(err, DomainError::Validation(f) if f[0].field == "documents[1]"));
        let a = opened(SupplyType::ResidentialRural, &[]);
        assert!(matches!(
            a.tick(Document::PowerDemandList, "u", at(20, 10)),
            Err(DomainError::Validation(_))
        ));
        assert!(matches!(
            a.tick(Document::ApplicationForm, "u", at(20, 10)).unwrap().tick(
                Document::ApplicationForm,
                "u",
                at(20, 11)
            ),
            Err(DomainError::Conflict(_))
        ));
    }

    #[test]
    fn a_request_of_unknown_type_waits_for_its_type() {
        let basics = required(None);
        let a = Application::new(Uuid::nil(), None, applicant(), &basics, "api_key:mail", at(20, 9)).unwrap();
        assert_eq!(
            (a.stage, a.documents_complete_at),
            (Stage::AwaitingDocuments, None),
            "no type, no clock"
        );
        let household = a.set_type(SupplyType::ResidentialRural, "user:lan", at(23, 9)).unwrap();
        assert_eq!(household.stage, Stage::DocumentsComplete);
        assert_eq!(household.documents_complete_at, Some(at(23, 9)));
        let business = a.set_type(SupplyType::NonResidential, "user:lan", at(23, 9)).unwrap();
        assert_eq!(business.stage, Stage::AwaitingDocuments);
        assert_eq!(
            business.missing(),
            [Document::BusinessRegistration, Document::PowerDemandList]
        );
        assert_eq!(business.applicant.kind, ApplicantKind::Business);
        assert!(household.set_type(SupplyType::NonResidential, "u", at(23, 10)).is_err());
    }

    #[test]
    fn from_application_to_energisation() {
        let a = opened(
            SupplyType::ResidentialUrban,
            &required(Some(SupplyType::ResidentialUrban)),
        );
        assert_eq!(a.stage, Stage::DocumentsComplete);
        let a = a.step(Stage::Surveyed, "user:tam", at(21, 9), None).unwrap();
        let a = a.step(Stage::ContractSigned, "user:tam", at(22, 9), None).unwrap();
        let a = a.step(Stage::MeterInstalled, "user:tam", at(23, 9), None).unwrap();
        let a = a
            .step(Stage::Energised, "user:tam", at(23, 15), Some("đã đóng điện".into()))
            .unwrap();
        assert_eq!(a.energised_at(), Some(at(23, 15)));
        let stages: Vec<Stage> = a.steps.iter().map(|s| s.stage).collect();
        assert_eq!(stages.first(), Some(&Stage::AwaitingDocuments));
        assert_eq!(stages.len(), 6);
        assert!(a.step(Stage::Cancelled, "u", at(24, 9), None).is_err());
    }
}
