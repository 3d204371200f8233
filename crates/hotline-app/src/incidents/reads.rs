//! Reading incidents: one by id, and lists by status and area.

use hotline_domain::incident::{Incident, IncidentFilter, IncidentStatus};
use hotline_domain::org::NodeFilter;
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_read};
use crate::clustering::ancestry;
use crate::{App, AppResult};

/// Areas below one area, at most (the organisation's size, with room).
const MAX_AREAS: u64 = 10_000;

/// One incident (404 when there is none).
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Incident> {
    may_read(who)?;
    find(app, id).await
}

/// The ids of the work orders attached to an incident the caller already
/// holds (from one of these use cases), for its view.
pub async fn work_order_ids(app: &App, incident: &Incident) -> AppResult<Vec<Uuid>> {
    Ok(app.store.incidents().work_order_ids(incident.id).await?)
}

/// Incidents, newest first, at most `limit`: in one of `statuses` (any
/// when empty) and, with `area` (a checked area code), those covering it
/// (one of their areas is it or an ancestor) or lying within it.
pub async fn list(
    app: &App,
    who: &Principal,
    statuses: Vec<IncidentStatus>,
    area: Option<&str>,
    limit: u64,
) -> AppResult<Vec<Incident>> {
    may_read(who)?;
    let area_codes = match area {
        None => None,
        Some(code) => Some(covering_or_within(app, code).await?),
    };
    let filter = IncidentFilter { statuses, area_codes };
    Ok(app.store.incidents().list(&filter, limit).await?)
}

/// The area, its ancestors, and the areas below it.
pub(crate) async fn covering_or_within(app: &App, code: &str) -> AppResult<Vec<String>> {
    let mut codes = ancestry(app, code).await?;
    if let Some(area) = app.store.org().get_area(code).await? {
        let within = NodeFilter {
            within: Some(area.path.clone()),
            ..NodeFilter::default()
        };
        for a in app.store.org().list_areas(&within, None, MAX_AREAS).await? {
            if !codes.iter().any(|c| a.code == *c) {
                codes.push(a.code.to_string());
            }
        }
    }
    Ok(codes)
}
