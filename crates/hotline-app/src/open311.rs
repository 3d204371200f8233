//! Open311's reads: which work orders Open311 shows (those filed through
//! it, never a staff-conduct complaint), how they are found by id, token or
//! filter, and how they read: each with its agency and any outage estimate,
//! an anonymous reader's with contact details masked. The wire formats
//! (JSON, XML) are the HTTP layer's.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use hotline_domain::call::Category;
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::open311::request::new_supply_notes;
use hotline_domain::open311::{ServiceRequest, ServiceRequestInput};
use hotline_domain::principal::Principal;
use hotline_domain::work_order::{Source, Status, WorkOrder, WorkOrderCode, WorkOrderFilter};
use uuid::Uuid;

use crate::{App, AppResult};

/// The most requests one list answers, as the spec allows.
pub const MAX_LIST: u64 = 1000;
/// The default window of a list, back from its end (or now).
pub const DEFAULT_DAYS: i64 = 90;
/// Ids looked up at most in one `service_request_id` list.
pub const MAX_IDS: usize = 100;

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    /// The categories of the services asked for; none is all.
    pub categories: Vec<Category>,
    /// The work order states asked for; none is all.
    pub statuses: Vec<Status>,
    /// Filed at or after; None: [`DEFAULT_DAYS`] before `before` (or now).
    pub from: Option<DateTime<Utc>>,
    /// Filed before.
    pub before: Option<DateTime<Utc>>,
}

/// Whether a work order is one Open311 shows: filed through it, and never
/// a staff-conduct complaint (restricted to unit management), whatever it
/// became since.
fn shown(wo: &WorkOrder) -> bool {
    wo.source == Source::Open311 && !wo.category.is_restricted()
}

/// The requests a list asks for: newest first, at most [`MAX_LIST`].
pub async fn list(app: &App, q: &RequestQuery) -> AppResult<Vec<WorkOrder>> {
    let from = q
        .from
        .or_else(|| Some(q.before.unwrap_or_else(|| app.now()) - Duration::days(DEFAULT_DAYS)));
    let all = WorkOrderFilter {
        statuses: q.statuses.clone(),
        source: Some(Source::Open311),
        created_from: from,
        created_before: q.before,
        ..Default::default()
    };
    let filters: Vec<WorkOrderFilter> = if q.categories.is_empty() {
        vec![all]
    } else {
        q.categories
            .iter()
            .map(|c| WorkOrderFilter {
                category: Some(*c),
                ..all.clone()
            })
            .collect()
    };
    let mut found = Vec::new();
    for filter in &filters {
        let page = app.store.work_orders().list(filter, None, MAX_LIST).await?;
        found.extend(page.items.into_iter().filter(|wo| !wo.category.is_restricted()));
    }
    if filters.len() > 1 {
        found.sort_by_key(|wo| std::cmp::Reverse((wo.created_at, wo.id)));
        found.truncate(MAX_LIST as usize);
    }
    Ok(found)
}

/// The requests with these ids (codes, comma-separated), as many as exist;
/// others are left out, and so are ids past the first [`MAX_IDS`]: each is
/// a read, and anyone may ask.
pub async fn by_ids(app: &App, ids: &str) -> AppResult<Vec<WorkOrder>> {
    let mut out = Vec::new();
    for raw in ids.split(',').map(str::trim).filter(|s| !s.is_empty()).take(MAX_IDS) {
        if let Some(wo) = by_id(app, raw).await?
            && !out.iter().any(|w: &WorkOrder| w.id == wo.id)
        {
            out.push(wo);
        }
    }
    Ok(out)
}

/// One request by its id, if Open311 shows it.
pub async fn by_id(app: &App, raw: &str) -> AppResult<Option<WorkOrder>> {
    let Ok(code) = WorkOrderCode::parse(raw) else {
        return Ok(None);
    };
    let found = app.store.work_orders().get_by_code(&code.to_string()).await?;
    Ok(found.filter(shown))
}

/// One request by its token (the work order's id), if Open311 shows it;
/// None for a token that is no id.
pub async fn by_token(app: &App, raw: &str) -> AppResult<Option<WorkOrder>> {
    let Ok(token) = Uuid::parse_str(raw) else {
        return Ok(None);
    };
    Ok(app.store.work_orders().get(token).await?.filter(shown))
}

/// The requests as Open311 shows them, each with its agency and any outage
/// estimate; an anonymous reader's (`reader` None) with contact details
/// masked.
pub async fn service_requests(
    app: &App,
    found: &[WorkOrder],
    reader: Option<&Principal>,
) -> AppResult<Vec<ServiceRequest>> {
    let mut agencies = HashMap::new();
    let mut estimates = HashMap::new();
    let mut list = Vec::with_capacity(found.len());
    // New-supply requests say where their application stands.
    let supply: Vec<Uuid> = found
        .iter()
        .filter(|wo| wo.category == Category::NewSupply)
        .map(|wo| wo.id)
        .collect();
    let applications = if supply.is_empty() {
        HashMap::new()
    } else {
        app.store.new_supply().many(&supply).await?
    };
    for wo in found {
        let agency = agency(app, wo, &mut agencies).await?;
        let estimate = restoration(app, wo, &mut estimates).await?;
        let mut shown = ServiceRequest::of(wo, agency, estimate);
        if let Some(a) = applications.get(&wo.id) {
            shown.status_notes = Some(new_supply_notes(a.stage).to_string());
        }
        list.push(match reader {
            None => shown.public(),
            Some(_) => shown,
        });
    }
    Ok(list)
}

/// The name of the unit whose team holds the work order, else of its own
/// unit; looked up once per team or unit in a list.
async fn agency(app: &App, wo: &WorkOrder, seen: &mut HashMap<String, Option<String>>) -> AppResult<Option<String>> {
    let unit_code = match &wo.team_code {
        Some(team) => {
            let key = format!("team:{team}");
            if !seen.contains_key(&key) {
                let unit = app.store.org().get_team(team).await?.map(|t| t.unit_code);
                seen.insert(key.clone(), unit.map(String::from));
            }
            seen.get(&key)
                .cloned()
                .flatten()
                .or_else(|| wo.unit_code.as_ref().map(ToString::to_string))
        }
        None => wo.unit_code.as_ref().map(ToString::to_string),
    };
    let Some(code) = unit_code else { return Ok(None) };
    let key = format!("unit:{code}");
    if !seen.contains_key(&key) {
        let name = app.store.org().get_unit(&code).await?.map(|u| u.name);
        seen.insert(key.clone(), name);
    }
    Ok(seen.get(&key).cloned().flatten())
}

/// When the outage incident the work order belongs to expects power back;
/// looked up once per incident in `seen`.
pub async fn restoration(
    app: &App,
    wo: &WorkOrder,
    seen: &mut HashMap<Uuid, Option<DateTime<Utc>>>,
) -> AppResult<Option<DateTime<Utc>>> {
    let Some(id) = wo.incident_id else { return Ok(None) };
    if let Some(known) = seen.get(&id) {
        return Ok(*known);
    }
    let at = app
        .store
        .incidents()
        .get(id)
        .await?
        .and_then(|i| i.estimated_restoration_at);
    seen.insert(id, at);
    Ok(at)
}

/// The known customer filing a request: by the code given, else the one
/// customer with the reporter's number (several share it: none is guessed).
pub async fn filer(app: &App, input: &ServiceRequestInput) -> AppResult<Option<Customer>> {
    if let Some(code) = &input.customer_code {
        let filter = CustomerFilter {
            code: Some(code.clone()),
            ..Default::default()
        };
        let page = app.store.customers().list(&filter, None, 1).await?;
        return Ok(page.items.into_iter().find(|c| &c.code == code));
    }
    let Some(phone) = &input.reporter.phone else {
        return Ok(None);
    };
    let mut found = app.store.customers().find_by_phone(phone.as_str()).await?;
    Ok(if found.len() == 1 { found.pop() } else { None })
}
