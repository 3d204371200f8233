//! Writing notices: a draft created, a draft or published notice changed,
//! and the steps of its life, each with its audit entry and its events in
//! one transaction.

use chrono::Datelike;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::event::{self as events, OutboxEvent};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::planned_outage::{
    CODE_PREFIX, NewPlannedOutage, NoticeAction, NoticeStatus, PlannedOutage, PlannedOutagePatch, SEQUENCE, Transition,
};
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::sla::local_date;
use hotline_domain::work_order::WorkOrderCode;
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use super::{all_recipients, check_customers, find, may_write};
use crate::placement::known_areas;
use crate::placement::known_unit;
use crate::scope::sees_unit;
use crate::{App, AppResult, versions};

/// What a create did.
pub enum Filed<A> {
    /// Stored, with the answer made for it.
    New(Box<PlannedOutage>, A),
    /// Another request with the same idempotency key was first: nothing
    /// was stored; its record.
    Taken(IdempotencyRecord),
}

/// Creates a draft notice in the unit given (the caller's own when none
/// is), which must lie in the caller's subtree (422 naming `unit_code`).
/// `answer` makes the first answer, kept with the notice when the request
/// carried an idempotency key.
pub async fn create<A, E>(
    app: &App,
    who: &Principal,
    mut input: NewPlannedOutage,
    answer: impl FnOnce(&PlannedOutage) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Filed<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    may_write(who)?;
    let now = app.now();
    if input.unit_code.as_deref().is_none_or(|u| u.trim().is_empty()) {
        input.unit_code = who.unit_code.as_ref().map(ToString::to_string);
    }
    // Check the body before spending a number of the sequence on it.
    let probe = PlannedOutage::create(input.clone(), String::new(), &who.actor(), now)?;
    known_unit(app.store.as_ref(), "unit_code", Some(probe.unit_code.as_str())).await?;
    if !sees_unit(app, who, Some(probe.unit_code.as_str())).await? {
        return Err(DomainError::invalid("unit_code", "is outside your unit").into());
    }
    known_areas(app.store.as_ref(), &probe.area_codes).await?;
    check_customers(app, &probe).await?;
    let year = local_date(now).year();
    let seq = app.store.work_orders().next_sequence(SEQUENCE, year).await?;
    let code = WorkOrderCode::new(CODE_PREFIX, year, seq).map_err(DomainError::Internal)?;
    let notice = PlannedOutage::create(input, code.to_string(), &who.actor(), now)?;
    let (answer, record) = answer(&notice)?;
    let entry = AuditEntry::new("planned_outage", notice.id, "create", who, now, notice.audit_view());
    match app
        .store
        .planned_outages()
        .create(&notice, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => Ok(Filed::New(Box::new(notice), answer)),
        Created::KeyTaken(first) => Ok(Filed::Taken(first)),
    }
}

/// Changes a draft or published notice over the version the caller read
/// (412 when it is not the stored one). A published notice's change is
/// announced as `planned_outage.changed`.
pub async fn patch(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    change: PlannedOutagePatch,
) -> AppResult<PlannedOutage> {
    may_write(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let next = current.patched(change, now)?;
    if next.area_codes != current.area_codes {
        known_areas(app.store.as_ref(), &next.area_codes).await?;
    }
    if next.customer_codes != current.customer_codes {
        check_customers(app, &next).await?;
    }
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("planned_outage", id, "update", who, now, changes);
    let announced = if next.status == NoticeStatus::Published {
        vec![OutboxEvent::planned_outage(events::PLANNED_OUTAGE_CHANGED, &next, now)]
    } else {
        Vec::new()
    };
    let stored = app
        .store
        .planned_outages()
        .update(&next, current.version, &entry, &announced)
        .await?;
    versions::stored(stored)?;
    Ok(next)
}

/// Takes one step of the notice's life over the version the caller read.
/// Publishing announces it and tells each affected customer; postponing
/// announces the change and tells them the new window; cancelling a notice
/// customers were told of announces that.
pub async fn act(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    step: Transition,
) -> AppResult<PlannedOutage> {
    may_write(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let next = current.acted(&step, now)?;
    let mut announced = Vec::new();
    let tell = match step.action {
        NoticeAction::Publish => Some(events::PLANNED_OUTAGE_PUBLISHED),
        NoticeAction::Postpone => Some(events::PLANNED_OUTAGE_CHANGED),
        NoticeAction::Cancel if current.published_at.is_some() => Some(events::PLANNED_OUTAGE_CANCELLED),
        _ => None,
    };
    if let Some(t) = tell {
        announced.push(OutboxEvent::planned_outage(t, &next, now));
    }
    if matches!(step.action, NoticeAction::Publish | NoticeAction::Postpone) {
        for to in all_recipients(app, &next).await? {
            announced.push(OutboxEvent::customer_notice(&next, &to, now));
        }
    }
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("planned_outage", id, step.action.as_str(), who, now, changes);
    let stored = app
        .store
        .planned_outages()
        .update(&next, current.version, &entry, &announced)
        .await?;
    versions::stored(stored)?;
    Ok(next)
}
