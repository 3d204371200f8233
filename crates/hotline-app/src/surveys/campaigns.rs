//! A campaign's life: created as a draft, sampled, opened (its survey
//! callbacks join the `survey` queue), closed (the survey calls still
//! open are cancelled). Each step is audited; opening and closing are
//! announced.

use chrono::Duration;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::callback::{Callback, CallbackPatch, Reason};
use hotline_domain::event::{self as events, OutboxEvent, callback_changes};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::page::{Page, Position};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{CampaignChange, Created};
use hotline_domain::principal::Principal;
use hotline_domain::survey::{Campaign, CampaignAction, CampaignFilter, CampaignStatus, NewCampaign, Sampled, draw};
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use super::{QUEUE, find, may_manage, may_read};
use crate::placement::known_unit;
use crate::scope::{sees_unit, units_within, visible_units};
use crate::{App, AppResult, versions};

/// What a create did.
pub enum Filed<A> {
    New(Box<Campaign>, A),
    /// Another request with the same idempotency key was first.
    Taken(IdempotencyRecord),
}

/// Creates a draft campaign for the unit given (the caller's own when
/// none is), which must lie in the caller's subtree (422 naming
/// `unit_code`).
pub async fn create<A, E>(
    app: &App,
    who: &Principal,
    mut input: NewCampaign,
    answer: impl FnOnce(&Campaign) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Filed<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    may_manage(who)?;
    if input.unit_code.as_deref().is_none_or(|u| u.trim().is_empty()) {
        input.unit_code = who.unit_code.as_ref().map(ToString::to_string);
    }
    let campaign = Campaign::create(input, &who.actor(), app.now())?;
    known_unit(app.store.as_ref(), "unit_code", Some(campaign.unit_code.as_str())).await?;
    if !sees_unit(app, who, Some(campaign.unit_code.as_str())).await? {
        return Err(DomainError::invalid("unit_code", "is outside your unit").into());
    }
    let (answer, record) = answer(&campaign)?;
    let entry = AuditEntry::new(
        "survey_campaign",
        campaign.id,
        "create",
        who,
        campaign.created_at,
        campaign.audit_view(),
    );
    match app
        .store
        .surveys()
        .create_campaign(&campaign, &entry, record.as_ref())
        .await?
    {
        Created::Stored(()) => Ok(Filed::New(Box::new(campaign), answer)),
        Created::KeyTaken(first) => Ok(Filed::Taken(first)),
    }
}

/// One campaign.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Campaign> {
    may_read(who)?;
    find(app, who, id).await
}

/// Which campaigns to list.
#[derive(Debug, Clone, Default)]
pub struct CampaignQuery {
    pub status: Option<CampaignStatus>,
    pub after: Option<Position>,
    pub limit: u64,
}

/// The campaigns of the caller's subtree, newest first.
pub async fn list(app: &App, who: &Principal, q: &CampaignQuery) -> AppResult<Page<Campaign>> {
    may_read(who)?;
    let filter = CampaignFilter {
        units: visible_units(app, who).await?.map(|s| s.units),
        status: q.status,
    };
    let mut items = app
        .store
        .surveys()
        .list_campaigns(&filter, q.after.map(|p| p.id), q.limit)
        .await?;
    let more = items.len() as u64 > q.limit;
    items.truncate(q.limit as usize);
    let next = if more {
        items.last().map(|c| Position {
            at: c.created_at,
            id: c.id,
        })
    } else {
        None
    };
    Ok(Page {
        items,
        next,
        total: None,
    })
}

/// Draws the sample of a draft campaign (see `hotline_domain::survey`'s
/// sampling notes) from the customers of the campaign's unit's subtree who
/// were in touch during its period; the campaign moves to `sampling`.
pub async fn sample(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected: Option<i64>,
) -> AppResult<(Campaign, Vec<Sampled>)> {
    may_manage(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected, current.version)?;
    let now = app.now();
    let next = current.sampled(now)?;
    let units = match app.store.org().get_unit(current.unit_code.as_str()).await? {
        Some(u) => units_within(app, u.path).await?,
        None => Vec::new(),
    };
    let candidates = app
        .store
        .surveys()
        .candidates(current.sample_from, current.sample_to, &units)
        .await?;
    let drawn = draw(candidates, current.size, current.seed);
    let mut changes = diff(&current.audit_view(), &next.audit_view());
    changes["sampled"] = serde_json::json!(drawn.len());
    let entry = AuditEntry::new("survey_campaign", id, "sample", who, now, changes);
    let stored = app
        .store
        .surveys()
        .save_sample(&next, current.version, &drawn, &entry)
        .await?;
    versions::stored(stored)?;
    Ok((next, drawn))
}

/// The campaign's sample, in drawing order, with each customer's survey
/// callback once it is open.
pub async fn sampled(app: &App, who: &Principal, id: Uuid) -> AppResult<(Campaign, Vec<Sampled>)> {
    may_read(who)?;
    let c = find(app, who, id).await?;
    let drawn = app.store.surveys().sample(id).await?;
    Ok((c, drawn))
}

/// One survey callback per sampled customer, on the `survey` queue, due
/// spread over the campaign's days from now (inside the calling hours).
fn survey_callbacks(app: &App, who: &Principal, c: &Campaign, drawn: &[Sampled]) -> Vec<Callback> {
    let now = app.now();
    let days = i64::from(c.days.max(1));
    drawn
        .iter()
        .map(|s| {
            let day = i64::from(s.position) % days;
            let due = app.settings.callback_hours.add(now + Duration::days(day), 0);
            let mut cb = Callback::opened(
                PhoneNumber::from_stored(s.candidate.number.clone()),
                Reason::Survey,
                due,
                &who.actor(),
                app.settings.callback_max_attempts,
                now,
            );
            cb.customer_code = Some(s.candidate.customer_code.clone());
            cb.unit_code = Some(s.candidate.unit_code.clone());
            cb.queue = Some(QUEUE.to_string());
            cb.note = Some(format!("Khảo sát: {}", c.name));
            cb
        })
        .collect()
}

/// Opens a sampled campaign (its survey callbacks are opened) or closes
/// an open one (its survey callbacks still open are cancelled), over the
/// version the caller read.
pub async fn act(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected: Option<i64>,
    action: CampaignAction,
) -> AppResult<Campaign> {
    may_manage(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected, current.version)?;
    let now = app.now();
    let next = current.acted(action, now)?;
    let drawn = app.store.surveys().sample(id).await?;
    let mut audit = vec![AuditEntry::new(
        "survey_campaign",
        id,
        action.as_str(),
        who,
        now,
        diff(&current.audit_view(), &next.audit_view()),
    )];
    let mut announced = Vec::new();
    let mut opened = Vec::new();
    let mut changed = Vec::new();
    match action {
        CampaignAction::Open => {
            opened = survey_callbacks(app, who, &next, &drawn);
            for cb in &opened {
                audit.push(AuditEntry::new("callback", cb.id, "create", who, now, cb.audit_view()));
                for t in callback_changes(None, cb) {
                    announced.push(OutboxEvent::callback(t, cb, now));
                }
            }
            announced.push(OutboxEvent::survey(
                events::SURVEY_CAMPAIGN_OPENED,
                &next.unit_code,
                id,
                next.event_data(),
                now,
            ));
        }
        CampaignAction::Close => {
            for id in drawn.iter().filter_map(|s| s.callback_id) {
                let Some(cb) = app.store.callbacks().get(id).await? else {
                    continue;
                };
                if !cb.is_open() {
                    continue;
                }
                let cancel = CallbackPatch {
                    cancel: true,
                    ..CallbackPatch::default()
                };
                let done = cb.patched(cancel, now)?;
                audit.push(AuditEntry::new(
                    "callback",
                    cb.id,
                    "cancel",
                    who,
                    now,
                    diff(&cb.audit_view(), &done.audit_view()),
                ));
                for t in callback_changes(Some(&cb), &done) {
                    announced.push(OutboxEvent::callback(t, &done, now));
                }
                changed.push((done, cb.version));
            }
            announced.push(OutboxEvent::survey(
                events::SURVEY_CAMPAIGN_CLOSED,
                &next.unit_code,
                id,
                next.event_data(),
                now,
            ));
        }
    }
    let stored = app
        .store
        .surveys()
        .change_campaign(CampaignChange {
            campaign: &next,
            expected_version: current.version,
            opened: &opened,
            changed: &changed,
            audit: &audit,
            events: &announced,
        })
        .await?;
    versions::stored(stored)?;
    Ok(next)
}
