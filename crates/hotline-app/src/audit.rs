//! Reading the audit trail: admins and supervisors read it; the trails of
//! users, API keys and webhooks only admins; a work order's trail only as
//! far as the caller may read the work order.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, first_version};
use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::work_orders::readable;
use crate::{App, AppResult};

/// Kinds of record whose trail is admins' alone, as the records are.
const ADMINS_ONLY: [&str; 3] = ["user", "api_key", "webhook"];

/// Which part of the trail is asked for.
#[derive(Debug, Clone)]
pub struct AuditQuery<'a> {
    /// The kind of record (`work_order`, `user`…).
    pub entity: &'a str,
    /// One record's; every record of the kind when None.
    pub id: Option<Uuid>,
    pub after: Option<Position>,
    pub limit: u64,
}

/// 403 unless the caller may read the trail of this kind of record.
pub fn may_read(who: &Principal, entity: &str) -> AppResult<()> {
    require(who, who.role.can_read_audit(), "read the audit trail")?;
    require(
        who,
        !ADMINS_ONLY.contains(&entity) || who.role.can_manage_access(),
        "read the audit trail of users, API keys and webhooks",
    )
}

/// A page of the trail, newest first. A work order's, callback's, planned
/// outage's, survey campaign's or survey response's trail holds the record: only those the caller may read, as
/// their lists show them (a page may come back short); asked for one they
/// may not read, 404.
pub async fn page(app: &App, who: &Principal, q: &AuditQuery<'_>) -> AppResult<Page<AuditEntry>> {
    may_read(who, q.entity)?;
    let mut page = app.store.audit().list(q.entity, q.id, q.after, q.limit).await?;
    if q.entity == "call" {
        derive_call_creations(app, &mut page.items).await?;
    }
    let what = match q.entity {
        "work_order" => "work order",
        "callback" => "callback",
        "planned_outage" => "planned outage",
        "survey_campaign" => "survey campaign",
        "survey_response" => "survey response",
        _ => return Ok(page),
    };
    let mut shown = HashMap::new();
    for e in &page.items {
        if let Entry::Vacant(slot) = shown.entry(e.entity_id) {
            slot.insert(visible(app, who, q.entity, e.entity_id).await?);
        }
    }
    if q.id.is_some_and(|id| shown.get(&id) == Some(&false)) {
        return Err(DomainError::NotFound(what));
    }
    page.items.retain(|e| shown.get(&e.entity_id) == Some(&true));
    Ok(page)
}

/// Fills in the first state of the calls whose creation entries hold none
/// (see [`AuditEntry::derived_creation`]): each call as it is now with its
/// later entries undone. Two reads for the whole page. A call no longer
/// stored shows an empty state.
async fn derive_call_creations(app: &App, items: &mut [AuditEntry]) -> AppResult<()> {
    let ids: Vec<Uuid> = items
        .iter()
        .filter(|e| e.is_derived_creation())
        .map(|e| e.entity_id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let calls: HashMap<Uuid, _> = app
        .store
        .calls()
        .get_many(&ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c.audit_view()))
        .collect();
    let trail = app.store.audit().of_records("call", &ids).await?;
    for e in items.iter_mut().filter(|e| e.is_derived_creation()) {
        let later: Vec<&AuditEntry> = trail
            .iter()
            .filter(|t| t.entity_id == e.entity_id && t.id != e.id && !t.is_derived_creation())
            .collect();
        e.changes = match calls.get(&e.entity_id) {
            Some(now) => first_version(now, &later),
            None => serde_json::json!({}),
        };
    }
    Ok(())
}

/// Whether the caller may read the work order, callback, planned outage,
/// survey campaign or survey response (by its campaign) `id` (a deleted
/// one: admins only).
async fn visible(app: &App, who: &Principal, entity: &str, id: Uuid) -> AppResult<bool> {
    let unit = match entity {
        "callback" => app.store.callbacks().get(id).await?.map(|cb| cb.unit_code),
        "planned_outage" => app.store.planned_outages().get(id).await?.map(|n| Some(n.unit_code)),
        "survey_campaign" => app.store.surveys().get_campaign(id).await?.map(|c| Some(c.unit_code)),
        // A response is seen where its campaign is.
        "survey_response" => match app.store.surveys().get_response(id).await? {
            Some(r) => app
                .store
                .surveys()
                .get_campaign(r.campaign_id)
                .await?
                .map(|c| Some(c.unit_code)),
            None => None,
        },
        _ => {
            return match app.store.work_orders().get(id).await? {
                Some(wo) => readable(app, who, &wo).await,
                None => Ok(who.role.can_manage_access()),
            };
        }
    };
    match unit {
        Some(code) => sees_unit(app, who, code.as_deref()).await,
        None => Ok(who.role.can_manage_access()),
    }
}
