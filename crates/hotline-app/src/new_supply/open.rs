//! Opening a new-supply application with its work order.

use hotline_domain::call::Category;
use hotline_domain::event::{self, OutboxEvent};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::{
    Applicant, ApplicantKind, Application, AreaSetting, Document, NewApplicant, SupplyType,
};
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{NewWorkOrder, WorkOrder};
use hotline_domain::{AreaCode, DomainError, StoreError, Validation};
use serde_json::json;
use uuid::Uuid;

use super::clock;
use crate::App;
use crate::work_orders::{Opened, Prepared, prepare};

/// A new-supply request as submitted.
#[derive(Debug, Clone, Default)]
pub struct NewApplication {
    /// None: chosen from the applicant's kind and the area.
    pub supply_type: Option<SupplyType>,
    pub applicant: NewApplicant,
    /// Documents handed in already.
    pub documents: Vec<Document>,
    /// Where and how: area, unit, address, description, source.
    pub work_order: NewWorkOrder,
    /// The logged call it came from (source `call`).
    pub call_id: Option<Uuid>,
    /// An e-mail's id and text (source `email`).
    pub message: Option<(String, String)>,
    /// When that e-mail was received.
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What the work order's `created` line keeps besides (an Open311
    /// reporter's contact), when it came from neither a call nor an e-mail.
    pub detail: Option<serde_json::Value>,
    /// The type may stay unknown (an e-mail that does not say): staff set it.
    pub type_may_wait: bool,
}

/// Whether the area says it is urban or rural; an unknown area is 422.
async fn area_setting(app: &App, area: Option<&str>, v: &mut Validation) -> Result<AreaSetting, DomainError> {
    let Some(raw) = area.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(AreaSetting::Unknown);
    };
    let Ok(code) = AreaCode::parse(raw) else {
        return Ok(AreaSetting::Unknown);
    };
    match app.store.org().get_area(code.as_str()).await? {
        Some(area) => Ok(AreaSetting::of(area.urban)),
        None => {
            v.add("area_code", "is not a known area");
            Ok(AreaSetting::Unknown)
        }
    }
}

/// The applicant's kind: the one given, else the type's, else a business
/// when a tax code is given, else a household.
fn kind_of(input: &NewApplication) -> ApplicantKind {
    input
        .applicant
        .kind
        .or(input.supply_type.map(SupplyType::kind))
        .unwrap_or(
            if input
                .applicant
                .tax_code
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty())
            {
                ApplicantKind::Business
            } else {
                ApplicantKind::Household
            },
        )
}

/// Opens the request: its type chosen (422 naming `supply_type` when the
/// area cannot tell), the applicant checked, its work order opened, and
/// both stored together. The clock starts only once every document is in.
pub async fn open<A, E>(
    app: &App,
    who: &Principal,
    mut input: NewApplication,
    answer: impl AsyncFnOnce(&WorkOrder, &Application) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Opened<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    let mut v = Validation::new();
    let kind = kind_of(&input);
    let setting = area_setting(app, input.work_order.area_code.as_deref(), &mut v).await?;
    let supply_type = match SupplyType::choose(input.supply_type, kind, setting) {
        Ok(t) => Some(t),
        Err(_) if input.type_may_wait => None,
        Err(DomainError::Validation(errors)) => {
            for e in errors {
                v.add(e.field, e.message);
            }
            None
        }
        Err(other) => return Err(other.into()),
    };
    let applicant = Applicant::check(
        input.applicant.clone(),
        supply_type.map_or(kind, SupplyType::kind),
        &mut v,
    );
    v.finish()?;
    input.work_order.category = Some(Category::NewSupply);
    if input.work_order.address.is_none() {
        input.work_order.address.clone_from(&applicant.address);
    }
    let detail = match (&input.call_id, &input.message) {
        (Some(call), _) => json!({ "call_id": call }),
        (None, Some((id, _))) => json!({ "message_id": id }),
        _ => input.detail.take().unwrap_or_default(),
    };
    let Prepared {
        work_order: mut wo,
        lines,
        audit: mut entry,
    } = prepare(app, who, input.work_order, detail).await?;
    let now = wo.created_at;
    let mut application = Application::new(wo.id, supply_type, applicant, &input.documents, &who.actor(), now)?;
    if let Some((id, text)) = input.message {
        application.message_id = Some(id);
        application.message = Some(text);
    }
    application.received_at = input.received_at;
    clock::apply(app, &mut wo, &application, now).await?;
    if let Some(changes) = entry.changes.as_object_mut() {
        changes.insert("resolution_due".into(), json!(wo.resolution_due));
        changes.insert("new_supply".into(), application.event_data());
    }
    let events: Vec<OutboxEvent> = application
        .documents_complete_at
        .map(|at| super::steps::announce(event::NEW_SUPPLY_DOCUMENTS_COMPLETE, &wo, &application, at))
        .into_iter()
        .collect();
    let (answer, record) = answer(&wo, &application).await?;
    match app
        .store
        .new_supply()
        .open(
            &application,
            &wo,
            &lines,
            input.call_id,
            &entry,
            &events,
            record.as_ref(),
        )
        .await?
    {
        Created::Stored(()) => Ok(Opened::New(Box::new(wo), answer)),
        Created::KeyTaken(first) => Ok(Opened::Taken(first)),
    }
}
