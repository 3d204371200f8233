//! What the period reports share: the required `from`/`to` period and the
//! choice between JSON and CSV.

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use hotline_domain::time::{RangeEnd, parse_instant};

use super::wants_csv;
use crate::error::{ApiError, ApiResult};

/// One end of the period, required, named in the problem when missing or
/// malformed (an RFC 3339 instant, or a date: that local day's start or
/// end).
fn end(field: &str, raw: Option<&str>, which: RangeEnd) -> ApiResult<DateTime<Utc>> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter(field, "is required"))?;
    parse_instant(raw, which).map_err(|m| ApiError::invalid_parameter(field, m))
}

/// The report's period `[from, to)`: both required, `to` after `from`.
pub(crate) fn period(from: Option<&str>, to: Option<&str>) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let from = end("from", from, RangeEnd::Start)?;
    let to = end("to", to, RangeEnd::End)?;
    if to <= from {
        return Err(ApiError::invalid_parameter("to", "must be after from"));
    }
    Ok((from, to))
}

/// Whether the caller asked for CSV: `?format=csv|json` when given, else
/// `Accept: text/csv`.
pub(crate) fn csv_asked(format: Option<&str>, headers: &HeaderMap) -> ApiResult<bool> {
    match format.map(str::trim) {
        None | Some("") => Ok(wants_csv(headers)),
        Some(f) if f.eq_ignore_ascii_case("csv") => Ok(true),
        Some(f) if f.eq_ignore_ascii_case("json") => Ok(false),
        Some(_) => Err(ApiError::invalid_parameter("format", "must be csv or json")),
    }
}
