//! Changing and deleting a campaign while it is a draft, over the version
//! the caller read, each audited. Like creating and sampling, neither is
//! announced (only opening and closing are).

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::ports::CampaignChange;
use hotline_domain::principal::Principal;
use hotline_domain::survey::{Campaign, DraftPatch};
use uuid::Uuid;

use super::{find, may_manage};
use crate::{App, AppResult, versions};

/// Changes the draft's name, period, questionnaire or sample settings
/// (each checked as on creation); 409 once sampled. An empty change
/// stores nothing.
pub async fn edit(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected: Option<i64>,
    patch: DraftPatch,
) -> AppResult<Campaign> {
    may_manage(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected, current.version)?;
    let now = app.now();
    let next = current.edited(patch, now)?;
    let changes = diff(&current.audit_view(), &next.audit_view());
    if changes.as_object().is_some_and(serde_json::Map::is_empty) {
        return Ok(current);
    }
    let entry = AuditEntry::new("survey_campaign", id, "update", who, now, changes);
    let stored = app
        .store
        .surveys()
        .change_campaign(CampaignChange {
            campaign: &next,
            expected_version: current.version,
            opened: &[],
            changed: &[],
            audit: std::slice::from_ref(&entry),
            events: &[],
        })
        .await?;
    versions::stored(stored)?;
    Ok(next)
}

/// Deletes a draft; 409 once sampled (its sample and answers stand on it).
pub async fn delete(app: &App, who: &Principal, id: Uuid, expected: Option<i64>) -> AppResult<()> {
    may_manage(who)?;
    let current = find(app, who, id).await?;
    versions::check(expected, current.version)?;
    current.deletable()?;
    let entry = AuditEntry::new("survey_campaign", id, "delete", who, app.now(), current.audit_view());
    let deleted = app.store.surveys().delete_campaign(id, current.version, &entry).await?;
    versions::stored(deleted)
}
