//! Reading notices: one, a filtered page, its history, and those a
//! call-taker should mention to a caller from an area.

use chrono::{DateTime, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::page::{Page, Position};
use hotline_domain::planned_outage::{NoticeStatus, PlannedOutage, PlannedOutageFilter};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_read};
use crate::clustering::ancestry;
use crate::incidents::covering_or_within;
use crate::scope::{unit_scope, units_within, visible_units};
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
    if area_code.is_none() && customer_code.is_none() {
        return Ok(Vec::new());
    }
    let filter = PlannedOutageFilter {
        // Named only by a customer: no area matches.
        area_codes: Some(match area_code {
            Some(code) => ancestry(app, code).await?,
            None => Vec::new(),
        }),
        customer_code: customer_code.map(str::to_string),
        statuses: vec![NoticeStatus::Published, NoticeStatus::InProgress],
        from: Some(at),
        ..PlannedOutageFilter::default()
    };
    let filter = if area_code.is_none() {
        PlannedOutageFilter {
            area_codes: None,
            ..filter
        }
    } else {
        filter
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
    let Some(scope) = unit_scope(app, who).await? else {
        return Ok(found);
    };
    let seen = units_within(app, scope).await?;
    Ok(found
        .into_iter()
        .filter(|n| seen.iter().any(|u| n.unit_code == *u))
        .collect())
}
