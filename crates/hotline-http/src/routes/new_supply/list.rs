//! The list of new-supply requests: filtered, newest first, in keyset
//! pages; CSV for a supervisor's spreadsheet.

use std::str::FromStr;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hotline_app::new_supply;
use hotline_domain::new_supply::{ApplicationFilter, Search, Stage, SupplyType};
use hotline_domain::time::{RangeEnd, parse_instant};

use super::csv;
use crate::dto::cursor;
use crate::dto::new_supply::{NewSupplyListQuery, NewSupplyPage, NewSupplyView};
use crate::dto::problems::{InvalidFilter, MayNotReadCalls, Unavailable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Auth};
use crate::routes::paging;
use crate::routes::reports::wants_csv;
use crate::state::AppState;

/// The value `supply_type` takes for a request whose type is not known yet.
const UNKNOWN: &str = "unknown";

/// The comma-separated values of `param`, each parsed (a bad one names `param`).
fn list_of<T>(param: &str, raw: Option<&str>, parse: impl Fn(&str) -> Result<T, String>) -> ApiResult<Vec<T>> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).map_err(|m| ApiError::invalid_parameter(param, m)))
        .collect()
}

fn supply_type(raw: &str) -> Result<Option<SupplyType>, String> {
    if raw == UNKNOWN {
        return Ok(None);
    }
    SupplyType::parse(raw).map(Some).ok_or_else(|| {
        let names: Vec<&str> = SupplyType::ALL.iter().map(|t| t.as_str()).chain([UNKNOWN]).collect();
        format!("must be one of: {}", names.join(", "))
    })
}

fn instant(param: &str, raw: Option<&str>, end: RangeEnd) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| parse_instant(r, end).map_err(|m| ApiError::invalid_parameter(param, m)))
        .transpose()
}

/// New-supply requests, newest first: those of your unit's subtree (a
/// field crew: its own team's), as each is read one by one.
///
/// Filters: `stage` and `supply_type` (one or several, comma-separated;
/// `supply_type=unknown` for requests whose type is not known yet),
/// `source`, `missing_documents=true` (still awaiting documents),
/// `overdue=true` (past the deadline now, neither energised nor
/// cancelled), `from`/`to` (opened), and `q`: the applicant's name or
/// e-mail without diacritics or case (`q=le thi hoa`), or phone written any
/// usual way. A bad filter is a 400 naming its parameter. `Accept:
/// text/csv` answers the page as CSV.
#[utoipa::path(
    get, path = "/api/v1/new-supply-applications", tag = "new-supply",
    params(NewSupplyListQuery),
    responses(
        (status = 200, description = "A page of requests, newest first", content(
            (NewSupplyPage = "application/json"),
            (String = "text/csv", example = "\u{feff}code,created_at,source,supply_type,stage,applicant_name,applicant_phone,missing_documents,documents_complete_at,resolution_due,energised_at\r\n"),
        )),
        InvalidFilter,
        MayNotReadCalls,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub(super) async fn list_new_supply_applications(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<NewSupplyListQuery>,
) -> ApiResult<Response> {
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let created_from = instant("from", q.from.as_deref(), RangeEnd::Start)?;
    let created_before = instant("to", q.to.as_deref(), RangeEnd::End)?;
    if let (Some(f), Some(t)) = (created_from, created_before)
        && t <= f
    {
        return Err(ApiError::invalid_parameter("to", "must be after from"));
    }
    let filter = ApplicationFilter {
        stages: list_of("stage", q.stage.as_deref(), Stage::from_str)?,
        supply_types: list_of("supply_type", q.supply_type.as_deref(), supply_type)?,
        source: q.source.map(Into::into),
        missing_documents: q.missing_documents,
        overdue_at: q.overdue.unwrap_or(false).then(|| st.app.now()),
        created_from,
        created_before,
        search: q.q.as_deref().and_then(Search::of),
        ..ApplicationFilter::default()
    };
    let page = new_supply::list(&st.app, &auth.0, filter, after, limit).await?;
    let items: Vec<NewSupplyView> = page
        .items
        .iter()
        .map(|f| NewSupplyView::new(&f.application, &f.work_order))
        .collect();
    if wants_csv(&headers) {
        return Ok(csv::list(&items));
    }
    Ok(axum::Json(NewSupplyPage {
        items,
        next_cursor: page.next.map(cursor::encode),
    })
    .into_response())
}
