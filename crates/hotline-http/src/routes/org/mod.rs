//! The organisation: units, areas and field teams, managed over the API and
//! imported from CSV. Admins manage units and areas; admins and supervisors
//! (within their own unit's subtree) manage teams and rosters; everyone but
//! field crews reads.

mod areas;
mod import;
mod teams;
mod tree;
mod units;

use axum::extract::DefaultBodyLimit;
use hotline_domain::customer::check_code;
use hotline_domain::page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Largest CSV file the import routes take.
pub const IMPORT_BODY_LIMIT: usize = 16 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let imports = OpenApiRouter::new()
        .routes(routes!(import::import_units))
        .routes(routes!(import::import_areas))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    OpenApiRouter::new()
        .routes(routes!(units::create_unit, units::list_units))
        .routes(routes!(units::get_unit, units::update_unit))
        .routes(routes!(areas::create_area, areas::list_areas))
        .routes(routes!(areas::get_area, areas::update_area))
        .routes(routes!(teams::create_team, teams::list_teams))
        .routes(routes!(teams::get_team, teams::update_team))
        .routes(routes!(teams::put_shifts, teams::get_shifts))
        .merge(imports)
}

/// A code in a query or path parameter, normalised.
fn code_param(name: &str, raw: &str) -> ApiResult<String> {
    check_code(raw).map_err(|m| ApiError::invalid_parameter(name, m))
}

fn optional_code_param(name: &str, raw: Option<&str>) -> ApiResult<Option<String>> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|r| code_param(name, r))
        .transpose()
}

/// Page size and the code to continue after (lists are in code order).
fn code_paging(limit: Option<i32>, cursor: Option<&str>) -> ApiResult<(u64, Option<String>)> {
    let requested = limit.map(|l| u64::try_from(l).unwrap_or(0));
    let limit = page::limit(requested).map_err(|m| ApiError::invalid_parameter("limit", m))?;
    Ok((limit, optional_code_param("cursor", cursor)?))
}

/// Trims a `limit + 1` fetch to a page and the cursor for the next one.
fn code_page<T>(mut items: Vec<T>, limit: u64, code: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    if items.len() as u64 > limit {
        items.truncate(limit as usize);
        let next = items.last().map(code);
        (items, next)
    } else {
        (items, None)
    }
}
