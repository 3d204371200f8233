//! Reading notices: one, a filtered page, its history, and those a
//! call-taker should mention to a caller from an area.

use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::org::UnitScope;
use hotline_domain::page::{Page, Position};
use hotline_domain::planned_outage::{NoticeStatus, PlannedOutage, PlannedOutageFilter};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_read};
use crate::clustering::ancestry;
use crate::incidents::covering_or_within;
use crate::scope::{units_within, visible_units};
use crate::{App, AppResult};

/// Notices mentioned at most on one screen-pop.
const MAX_AFFECTING: u64 = 20;

/// Which notices a caller asks for.
#[derive(Debug, Clone, Default)]
pub struct NoticeQuery {
    /// A unit: its notices and its subtree's.
    pub unit: Option<String>,
    /// An area: notices covering it (one of their areas is it or an
    /// ancestor: a district's notice covers its communes) or within it.
    pub area: Option<String>,
    pub statuses: Vec<NoticeStatus>,
    /// Windows overlapping [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub late: Option<bool>,
    pub after: Option<Position>,
    pub limit: u64,
}

/// One notice (404 when there is none, or it is another unit's).
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<PlannedOutage> {
    may_read(who)?;
    find(app, who, id).await
}

/// Notices the caller sees, newest first.
pub async fn list(app: &App, who: &Principal, q: &NoticeQuery) -> AppResult<Page<PlannedOutage>> {
    may_read(who)?;
    let mut units = visible_units(app, who).await?.map(|s| s.units);
    if let Some(code) = &q.unit {
        let within = match app.store.org().get_unit(code).await? {
            Some(u) => units_within(app, u.path).await?,
            None => Vec::new(),
        };
        units = Some(match units {
            None => within,
            Some(seen) => within.into_iter().filter(|u| seen.contains(u)).collect(),
        });
    }
    let area_codes = match &q.area {
        None => None,
        Some(code) => Some(covering_or_within(app, code).await?),
    };
    let filter = PlannedOutageFilter {
        units,
        area_codes,
        statuses: q.statuses.clone(),
        from: q.from,
        to: q.to,
        late: q.late,
        customer_code: None,
    };
    Ok(app.store.planned_outages().list(&filter, q.after, q.limit).await?)
}

/// The notice's history: every change, newest first (its audit trail).
pub async fn history(
    app: &App,
    who: &Principal,
    id: Uuid,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<AuditEntry>> {
    may_read(who)?;
    find(app, who, id).await?;
    Ok(app.store.audit().list("planned_outage", Some(id), after, limit).await?)
}

/// The announced or in-progress notices not over at `at` that cover the
/// area (the area itself or one of its ancestors is one of theirs) or name
/// the customer, newest first: what a call-taker tells a caller. Nothing
/// when neither is given. The caller of this use case decides who may hear
/// it (the screen-pop already checked its caller).
pub async fn affecting(
    app: &App,
    area_code: Option<&str>,
    customer_code: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<Vec<PlannedOutage>> {
    let areas = match area_code {
        Some(code) => Some(ancestry(app, code).await?),
        None => None,
    };
    affecting_within(app, areas, customer_code, at).await
}

/// [`affecting`] for an area whose ancestry (the area and the areas above
/// it) is known already.
pub async fn affecting_within(
    app: &App,
    ancestry: Option<Vec<String>>,
    customer_code: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<Vec<PlannedOutage>> {
    if ancestry.is_none() && customer_code.is_none() {
        return Ok(Vec::new());
    }
    let filter = PlannedOutageFilter {
        // Named only by a customer: no area matches.
        area_codes: ancestry,
        customer_code: customer_code.map(str::to_string),
        statuses: vec![NoticeStatus::Published, NoticeStatus::InProgress],
        from: Some(at),
        ..PlannedOutageFilter::default()
    };
    let page = app.store.planned_outages().list(&filter, None, MAX_AFFECTING).await?;
    Ok(page.items)
}

/// [`affecting`], for a caller who reads notices, limited to their subtree.
pub async fn affecting_for(
    app: &App,
    who: &Principal,
    area_code: Option<&str>,
    customer_code: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<Vec<PlannedOutage>> {
    may_read(who)?;
    let found = affecting(app, area_code, customer_code, at).await?;
    Ok(in_scope(found, visible_units(app, who).await?.as_ref()))
}

/// The notices of the units in `scope` (from [`visible_units`]; None:
/// all of them).
pub fn in_scope(found: Vec<PlannedOutage>, scope: Option<&UnitScope>) -> Vec<PlannedOutage> {
    match scope {
        None => found,
        Some(scope) => found
            .into_iter()
            .filter(|n| scope.units.iter().any(|u| n.unit_code == *u))
            .collect(),
    }
}
