//! New-supply application bodies and views.

use chrono::{DateTime, Utc};
use hotline_domain::new_supply::report::NewSupplyLine;
use hotline_domain::new_supply::{Applicant, Application, ChecklistItem, NewApplicant, Step};
use hotline_domain::work_order::{NewWorkOrder, WorkOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::work_orders::SourceDto;

api_enum!(
    /// The type of a new supply, which sets its deadline: `residential_urban`
    /// (3 working days), `residential_rural` (5), `non_residential` (7),
    /// `dedicated_substation` (10).
    SupplyTypeDto as NewSupplyType => hotline_domain::new_supply::SupplyType {
        ResidentialUrban, ResidentialRural, NonResidential, DedicatedSubstation
    }
);
api_enum!(
    /// `household` (a citizen ID) or `business` (a tax code).
    ApplicantKindDto as NewSupplyApplicantKind => hotline_domain::new_supply::ApplicantKind { Household, Business }
);
api_enum!(
    /// A document of the checklist.
    DocumentDto as NewSupplyDocument => hotline_domain::new_supply::Document {
        ApplicationForm, IdCard, ProofOfResidence, BusinessRegistration, PowerDemandList, SubstationDesignApproval
    }
);
api_enum!(
    /// Where a new-supply request stands.
    StageDto as NewSupplyStage => hotline_domain::new_supply::Stage {
        AwaitingDocuments, DocumentsComplete, Surveyed, ContractSigned, MeterInstalled, Energised, Cancelled
    }
);

/// Who applies: usually not a customer yet.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantBody {
    /// Default: the type's; else `business` when a tax code is given.
    pub kind: Option<ApplicantKindDto>,
    #[schema(example = "Nguyễn Văn An")]
    pub name: Option<String>,
    /// Any form people type; stored as E.164. A phone or an e-mail is required.
    #[schema(example = "0912 345 678")]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// A household's citizen ID card (CCCD): 12 digits.
    #[schema(example = "079203001234")]
    pub national_id: Option<String>,
    /// A business's tax code (MST): 10 digits, or 13 as `0301234567-001`.
    pub tax_code: Option<String>,
}

impl From<ApplicantBody> for NewApplicant {
    fn from(b: ApplicantBody) -> Self {
        NewApplicant {
            kind: b.kind.map(Into::into),
            name: b.name,
            phone: b.phone,
            email: b.email,
            address: b.address,
            national_id: b.national_id,
            tax_code: b.tax_code,
        }
    }
}

/// A new-supply request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSupplyBody {
    /// Default: a business's is `non_residential`; a household's comes from
    /// its area (urban or rural), and is required when the area's kind is
    /// not known.
    pub supply_type: Option<SupplyTypeDto>,
    pub applicant: ApplicantBody,
    /// Documents handed in already; when that is all of them the clock starts now.
    #[serde(default)]
    pub documents: Vec<DocumentDto>,
    /// How it came in: `direct` unless given; `call` when `call_id` is given.
    pub source: Option<SourceDto>,
    /// The logged call it came from.
    pub call_id: Option<Uuid>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    /// Where the supply is wanted (default: the applicant's address).
    pub address: Option<String>,
    pub description: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl NewSupplyBody {
    /// The work order's part.
    pub fn work_order(&self) -> NewWorkOrder {
        NewWorkOrder {
            description: self.description.clone(),
            address: self.address.clone(),
            area_code: self.area_code.clone(),
            unit_code: self.unit_code.clone(),
            latitude: self.latitude,
            longitude: self.longitude,
            source: self.source.map(Into::into).unwrap_or_default(),
            ..NewWorkOrder::default()
        }
    }
}

/// One thing recorded on a request: a `document` ticked, the `supply_type`
/// set while documents are awaited, or a `step` (`surveyed`,
/// `contract_signed`, `meter_installed`, `energised`, `cancelled`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSupplyStepBody {
    pub document: Option<DocumentDto>,
    pub supply_type: Option<SupplyTypeDto>,
    pub step: Option<StageDto>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    pub kind: ApplicantKindDto,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub national_id: Option<String>,
    pub tax_code: Option<String>,
}

impl From<&Applicant> for ApplicantView {
    fn from(a: &Applicant) -> Self {
        ApplicantView {
            kind: a.kind.into(),
            name: a.name.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
            address: a.address.clone(),
            national_id: a.national_id.clone(),
            tax_code: a.tax_code.clone(),
        }
    }
}

/// A document of the checklist, and who confirmed it when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItemView {
    pub document: DocumentDto,
    pub ticked: bool,
    pub ticked_by: Option<String>,
    pub ticked_at: Option<DateTime<Utc>>,
}

impl From<&ChecklistItem> for ChecklistItemView {
    fn from(i: &ChecklistItem) -> Self {
        ChecklistItemView {
            document: i.document.into(),
            ticked: i.is_ticked(),
            ticked_by: i.ticked_by.clone(),
            ticked_at: i.ticked_at,
        }
    }
}

/// A stage reached, by whom, when.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewSupplyStepView {
    pub stage: StageDto,
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

impl From<&Step> for NewSupplyStepView {
    fn from(s: &Step) -> Self {
        NewSupplyStepView {
            stage: s.stage.into(),
            by: s.by.clone(),
            at: s.at,
            note: s.note.clone(),
        }
    }
}

/// A new-supply application. Its ETag is its own version (send it as
/// `If-Match` when recording a step).
#[derive(Debug, Serialize, ToSchema)]
pub struct NewSupplyView {
    pub work_order_id: Uuid,
    #[schema(example = "CM-26-004217")]
    pub work_order_code: String,
    /// Null until known (an e-mail that did not say): set it as a step.
    pub supply_type: Option<SupplyTypeDto>,
    /// The type's working days from complete paperwork.
    pub working_days: Option<u32>,
    pub applicant: ApplicantView,
    pub stage: StageDto,
    pub checklist: Vec<ChecklistItemView>,
    pub missing_documents: Vec<DocumentDto>,
    pub steps: Vec<NewSupplyStepView>,
    /// When the checklist was complete: the deadline counts from here.
    pub documents_complete_at: Option<DateTime<Utc>>,
    /// Who ticked the last document.
    pub documents_confirmed_by: Option<String>,
    /// The work order's deadline: null while documents are missing.
    pub resolution_due: Option<DateTime<Utc>>,
    pub source: SourceDto,
    /// The e-mail it came in, as text.
    pub message: Option<String>,
    /// When that e-mail was received (as the gateway said, else when it
    /// handed the message over); null for other channels.
    pub received_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl NewSupplyView {
    pub fn new(a: &Application, wo: &WorkOrder) -> Self {
        NewSupplyView {
            work_order_id: a.work_order_id,
            work_order_code: wo.code.to_string(),
            supply_type: a.supply_type.map(Into::into),
            working_days: a.supply_type.map(|t| t.working_days()),
            applicant: (&a.applicant).into(),
            stage: a.stage.into(),
            checklist: a.checklist.iter().map(Into::into).collect(),
            missing_documents: a.missing().into_iter().map(Into::into).collect(),
            steps: a.steps.iter().map(Into::into).collect(),
            documents_complete_at: a.documents_complete_at,
            documents_confirmed_by: a.documents_confirmed_by.clone(),
            resolution_due: wo.resolution_due,
            source: wo.source.into(),
            message: a.message.clone(),
            received_at: a.received_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

/// A message from the e-mail gateway. Sign the raw body: header
/// `X-Hotline-Signature: sha256=<hex of HMAC-SHA256(secret, body)>`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundEmailBody {
    /// The message's `Message-ID`: one request per message.
    pub message_id: Option<String>,
    /// `Nguyễn Văn An <an@example.vn>` or a bare address.
    pub from: Option<String>,
    pub subject: Option<String>,
    /// The message's text.
    pub text: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
}

impl From<InboundEmailBody> for hotline_app::new_supply::InboundEmail {
    fn from(b: InboundEmailBody) -> Self {
        hotline_app::new_supply::InboundEmail {
            message_id: b.message_id,
            from: b.from,
            subject: b.subject,
            text: b.text,
            received_at: b.received_at,
        }
    }
}

/// The list's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewSupplyListQuery {
    /// One stage or several, comma-separated (`surveyed,contract_signed`).
    pub stage: Option<String>,
    /// One type or several, comma-separated; `unknown`: the type is not known yet.
    #[param(example = "residential_rural,unknown")]
    pub supply_type: Option<String>,
    /// How it came in (`call`, `email`, `counter`, `web`, `open311`, `direct`).
    pub source: Option<SourceDto>,
    /// `true`: still awaiting documents; `false`: past that.
    pub missing_documents: Option<bool>,
    /// `true`: past the deadline now, neither energised nor cancelled.
    pub overdue: Option<bool>,
    /// Opened from: an RFC 3339 instant, or a date meaning from the start of that local day.
    pub from: Option<String>,
    /// Opened before (exclusive): an RFC 3339 instant, or a date meaning up to the end of that local day.
    pub to: Option<String>,
    /// The applicant's name or e-mail (without diacritics or case), or phone written any usual way.
    #[param(example = "le thi hoa")]
    pub q: Option<String>,
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

pub type NewSupplyPage = crate::dto::page::Page<NewSupplyView>;

impl crate::dto::page::Paged for NewSupplyView {
    const PAGE: &'static str = "NewSupplyPage";
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NewSupplyReportQuery {
    /// Opened from: an RFC 3339 instant, or a date meaning from the start of that local day. Required.
    pub from: Option<String>,
    /// Opened before (exclusive): an RFC 3339 instant, or a date meaning up to the end of that local day. Required.
    pub to: Option<String>,
}

/// One channel and type.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewSupplyReportLine {
    pub source: SourceDto,
    /// Null: not known yet.
    pub supply_type: Option<SupplyTypeDto>,
    pub opened: u64,
    pub energised: u64,
    /// Energised by the deadline.
    pub within_deadline: u64,
    /// Energised after the deadline.
    pub late: u64,
    /// Not energised nor cancelled, and past the deadline now.
    pub open_past_deadline: u64,
}

impl From<&NewSupplyLine> for NewSupplyReportLine {
    fn from(l: &NewSupplyLine) -> Self {
        NewSupplyReportLine {
            source: l.source.into(),
            supply_type: l.supply_type.map(Into::into),
            opened: l.opened,
            energised: l.energised,
            within_deadline: l.within_deadline,
            late: l.late,
            open_past_deadline: l.open_past_deadline,
        }
    }
}

/// New-supply requests opened in `[from, to)`, per channel and type.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewSupplyReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub lines: Vec<NewSupplyReportLine>,
}
