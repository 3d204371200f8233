//! The work orders Open311 shows, found by id or token, and how they read:
//! each with its agency and any outage estimate, an anonymous reader's with
//! contact details masked.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hotline_domain::open311::ServiceRequest;
use hotline_domain::work_order::{Source, WorkOrder, WorkOrderCode};
use uuid::Uuid;

use super::{Format, InFormat, Open311Result, Reader, json, xml};
use crate::dto::open311::Open311Request;
use crate::error::ApiError;
use crate::state::AppState;

/// Ids looked up at most in one `service_request_id` list.
const MAX_IDS: usize = 100;

/// The requests with these ids (codes), as many as exist; others are left
/// out, and so are ids past the first [`MAX_IDS`]: each is a read, and
/// anyone may ask.
pub(super) async fn by_ids(st: &AppState, ids: &str) -> Result<Vec<WorkOrder>, ApiError> {
    let mut out = Vec::new();
    for raw in ids.split(',').map(str::trim).filter(|s| !s.is_empty()).take(MAX_IDS) {
        if let Some(wo) = by_id(st, raw).await?
            && !out.iter().any(|w: &WorkOrder| w.id == wo.id)
        {
            out.push(wo);
        }
    }
    Ok(out)
}

/// Whether a work order is one Open311 shows: filed through it, and never
/// a staff-conduct complaint (restricted to unit management), whatever it
/// became since.
fn shown(wo: &WorkOrder) -> bool {
    wo.source == Source::Open311 && !wo.category.is_restricted()
}

/// One request by its id, if Open311 shows it.
pub(super) async fn by_id(st: &AppState, raw: &str) -> Result<Option<WorkOrder>, ApiError> {
    let Ok(code) = WorkOrderCode::parse(raw) else {
        return Ok(None);
    };
    let found = st.app.store.work_orders().get_by_code(&code.to_string()).await?;
    Ok(found.filter(shown))
}

/// One request by its token (the work order's id), if Open311 shows it.
pub(super) async fn by_token(st: &AppState, token: Uuid) -> Result<Option<WorkOrder>, ApiError> {
    Ok(st.app.store.work_orders().get(token).await?.filter(shown))
}

/// The representation of a list, each with its agency and any outage
/// estimate; an anonymous reader's with contact details masked.
pub(super) async fn respond(
    st: &AppState,
    found: &[WorkOrder],
    who: &Reader,
    format: Format,
) -> Open311Result<Response> {
    let mut agencies = HashMap::new();
    let mut estimates = HashMap::new();
    let mut list = Vec::with_capacity(found.len());
    for wo in found {
        let agency = agency(st, wo, &mut agencies).await.in_format(format)?;
        let estimate = restoration(st, wo, &mut estimates).await.in_format(format)?;
        let shown = ServiceRequest::of(wo, agency, estimate);
        list.push(match who {
            Reader::Anonymous => shown.public(),
            Reader::Known(_) => shown,
        });
    }
    match format {
        Format::Json => {
            let body: Vec<Open311Request> = list.into_iter().map(Into::into).collect();
            json(StatusCode::OK, &body)
        }
        Format::Xml => Ok(xml(StatusCode::OK, crate::render::open311_xml::requests(&list)).into_response()),
    }
}

/// The name of the unit whose team holds the work order, else of its own
/// unit; looked up once per team or unit in a list.
async fn agency(
    st: &AppState,
    wo: &WorkOrder,
    seen: &mut HashMap<String, Option<String>>,
) -> Result<Option<String>, ApiError> {
    let unit_code = match &wo.team_code {
        Some(team) => {
            let key = format!("team:{team}");
            if !seen.contains_key(&key) {
                let unit = st.app.store.org().get_team(team).await?.map(|t| t.unit_code);
                seen.insert(key.clone(), unit);
            }
            seen.get(&key).cloned().flatten().or_else(|| wo.unit_code.clone())
        }
        None => wo.unit_code.clone(),
    };
    let Some(code) = unit_code else { return Ok(None) };
    let key = format!("unit:{code}");
    if !seen.contains_key(&key) {
        let name = st.app.store.org().get_unit(&code).await?.map(|u| u.name);
        seen.insert(key.clone(), name);
    }
    Ok(seen.get(&key).cloned().flatten())
}

/// When the outage incident the work order belongs to expects power back.
pub(super) async fn restoration(
    st: &AppState,
    wo: &WorkOrder,
    seen: &mut HashMap<Uuid, Option<DateTime<Utc>>>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(id) = wo.incident_id else { return Ok(None) };
    if let Some(known) = seen.get(&id) {
        return Ok(*known);
    }
    let at = st
        .app
        .store
        .incidents()
        .get(id)
        .await?
        .and_then(|i| i.estimated_restoration_at);
    seen.insert(id, at);
    Ok(at)
}
