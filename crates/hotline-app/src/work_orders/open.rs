//! Opening a work order: the one way in for the desk, integrations and
//! Open311 alike.

use chrono::Datelike;
use hotline_domain::audit::AuditEntry;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::sla::local_date;
use hotline_domain::work_order::{NewWorkOrder, WorkOrder, WorkOrderCode, WorkOrderEvent};
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use super::{may_create, with_deadlines};
use crate::roles::require;
use crate::{App, clustering, placement, planned_outages, routing};

/// What opening a work order came to.
pub enum Opened<A> {
    /// Stored, with the answer made for it.
    New(Box<WorkOrder>, A),
    /// Another request with the same idempotency key was first: nothing
    /// was stored; its record.
    Taken(IdempotencyRecord),
}

/// Two letters for the code: from the area code's last lettered part
/// (`VN-CM-01` → `CM`), else the unit's, else `HL`.
pub fn code_prefix(area: Option<&str>, unit: Option<&str>) -> String {
    let letters = |code: &str| -> Option<String> {
        code.rsplit(['-', '_', '.'])
            .map(|part| part.chars().filter(char::is_ascii_alphabetic).collect::<String>())
            .find(|l| l.len() >= 2)
            .map(|l| l[..2].to_ascii_uppercase())
    };
    area.and_then(letters)
        .or_else(|| unit.and_then(letters))
        .unwrap_or_else(|| "HL".into())
}

/// Opens a work order: checked, numbered, placed in a unit, given its
/// deadlines, attached to an outage incident, routed, and stored with its
/// history and audit. `detail` goes on the `created` history line (the
/// call it came from, an Open311 reporter's contact). `answer` makes the
/// caller's answer before the work order is stored, with the idempotency
/// record to keep for it (if any), so that the record is kept in the same
/// transaction and replayed to retries.
pub async fn open<A, E>(
    app: &App,
    who: &Principal,
    input: NewWorkOrder,
    call_id: Option<Uuid>,
    detail: serde_json::Value,
    answer: impl AsyncFnOnce(&WorkOrder) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Opened<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    let Prepared {
        work_order: wo,
        lines: events,
        audit: entry,
    } = prepare(app, who, input, detail).await?;
    let (answer, record) = answer(&wo).await?;
    match app
        .store
        .work_orders()
        .create(&wo, &events, call_id, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => Ok(Opened::New(Box::new(wo), answer)),
        Created::KeyTaken(first) => Ok(Opened::Taken(first)),
    }
}

/// A work order ready to store: numbered, placed, given its deadlines,
/// attached and routed, with its history lines and audit entry.
pub struct Prepared {
    pub work_order: WorkOrder,
    pub lines: Vec<WorkOrderEvent>,
    pub audit: AuditEntry,
}

/// Everything [`open`] does before storing; for a use case that stores the
/// work order with a record of its own (a new-supply application).
pub async fn prepare(
    app: &App,
    who: &Principal,
    input: NewWorkOrder,
    detail: serde_json::Value,
) -> Result<Prepared, DomainError> {
    require(who, may_create(who.role), "open work orders")?;
    let now = app.now();
    let prefix = code_prefix(input.area_code.as_deref(), input.unit_code.as_deref());
    // Numbered by the year in Vietnam: opened just after local midnight on
    // New Year's Day, it is the new year's (UTC is still in the old one).
    let year = local_date(now).year();
    // Numbered last (below), once nothing before the store can refuse it:
    // a number of the sequence is spent only on a work order that is kept.
    let provisional = WorkOrderCode::new(&prefix, year, 1).map_err(DomainError::Internal)?;
    let wo = placement::place(
        app.store.as_ref(),
        who,
        WorkOrder::create(input, provisional, &who.actor(), now)?,
    )
    .await?;
    // An API key limited to a unit writes only within its subtree.
    if who.kind == hotline_domain::principal::PrincipalKind::ApiKey
        && who.unit_code.is_some()
        && !crate::scope::sees_unit(app, who, wo.unit_code.as_deref()).await?
    {
        return Err(DomainError::invalid(
            "unit_code",
            "lies outside the unit this API key is limited to",
        ));
    }
    let wo = with_deadlines(app, wo, now).await?;
    let wo = planned_outages::on_opened(app, wo).await?;
    let wo = clustering::on_opened(app, wo).await?;
    let mut wo = routing::on_opened(app, wo).await?;
    let seq = app.store.work_orders().next_sequence(&prefix, year).await?;
    wo.code = WorkOrderCode::new(&prefix, year, seq).map_err(DomainError::Internal)?;
    let mut created = WorkOrderEvent::new(&wo, "created", &who.actor(), now);
    created.detail = detail;
    let entry = AuditEntry::new("work_order", wo.id, "create", who, now, wo.audit_view());
    let lines: Vec<WorkOrderEvent> = std::iter::once(created)
        .chain(routing::routed_event(&wo, now))
        .collect();
    Ok(Prepared {
        work_order: wo,
        lines,
        audit: entry,
    })
}

#[cfg(test)]
mod tests {
    use super::code_prefix;

    #[test]
    fn code_prefixes_come_from_the_area_then_the_unit() {
        assert_eq!(code_prefix(Some("VN-CM-01"), None), "CM");
        assert_eq!(code_prefix(Some("12"), Some("PB98")), "PB");
        assert_eq!(code_prefix(None, None), "HL");
        assert_eq!(code_prefix(Some("ca-mau"), None), "MA");
    }
}
