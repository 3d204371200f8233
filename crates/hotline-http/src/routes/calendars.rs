//! Working calendars: which days and hours count as working time for
//! service deadlines. Everyone but field crews reads them; admins create
//! and replace them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::calendars::{self, Put, Read};
use hotline_domain::sla::{StoredCalendar, check_calendar_code};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::calendars::{CalendarBody, CalendarSummary, CalendarView, DayView, DaysQuery};
use crate::dto::problems::{
    AdminsOnly, BodyTooLarge, CrewsNotCalendars, InvalidFields, MalformedBodyCodeOrIfMatch, MalformedCode,
    NoSuchCalendar, NotJson, Unavailable,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::idempotent::json_response;
use crate::state::AppState;

/// The longest range `days` lists.
pub const MAX_DAYS: i64 = 366;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calendars))
        .routes(routes!(get_calendar, put_calendar))
        .routes(routes!(calendar_days))
}

fn calendar_response(status: StatusCode, c: &StoredCalendar, location: Option<&str>) -> ApiResult<Response> {
    let body = serde_json::to_string(&CalendarView::from(c)).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(json_response(status, body, location, Some(c.version)))
}

fn path_code(raw: &str) -> ApiResult<String> {
    check_calendar_code(raw).map_err(|m| ApiError::invalid_parameter("code", m))
}

/// Every calendar.
#[utoipa::path(
    get, path = "/api/v1/calendars", tag = "calendars",
    responses(
        (status = 200, description = "The calendars, by code", body = Vec<CalendarSummary>),
        CrewsNotCalendars,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_calendars(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<CalendarSummary>>> {
    let list = calendars::list(&st.app, &auth.0).await?;
    Ok(Json(list.iter().map(CalendarSummary::from).collect()))
}

/// One calendar, whole.
#[utoipa::path(
    get, path = "/api/v1/calendars/{code}", tag = "calendars",
    params(("code" = String, Path, description = "The calendar's code (`default` for the default one)")),
    responses(
        (status = 200, description = "The calendar", body = CalendarView, headers(("ETag" = String))),
        MalformedCode,
        CrewsNotCalendars,
        NoSuchCalendar,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_calendar(State(st): State<AppState>, auth: Auth, ApiPath(code): ApiPath<String>) -> ApiResult<Response> {
    calendars::may_read(&auth.0)?;
    let calendar = calendars::get(&st.app, &auth.0, &path_code(&code)?).await?;
    calendar_response(StatusCode::OK, &calendar, None)
}

/// Create or replace a calendar.
///
/// Creating needs no `If-Match`; replacing an existing calendar needs the
/// ETag you read (or `*`), and answers 412 if someone changed it since.
/// The whole definition is replaced. Every problem is reported by field:
/// `week.mon[1]` (a period that ends before it starts or overlaps the one
/// before), `week.tue[0].start` (not a time), `week` (no working period at
/// all), `extra_holidays[2]` (no name, listed twice), `extra_working_days[0]`
/// (also an extra holiday), `make_up_periods[0]`, `name`, `unit_code`.
#[utoipa::path(
    put, path = "/api/v1/calendars/{code}", tag = "calendars",
    params(
        ("code" = String, Path, description = "The calendar's code: 1–32 letters, digits, `-`, `_`, `.`"),
        ("If-Match" = Option<String>, Header, description = "Required to replace: the ETag from your last read, or *", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = CalendarBody,
    responses(
        (status = 200, description = "Replaced", body = CalendarView, headers(("ETag" = String))),
        (status = 201, description = "Created", body = CalendarView,
            headers(("Location" = String, description = "The calendar's URL"), ("ETag" = String, description = "Version for If-Match"))),
        MalformedBodyCodeOrIfMatch,
        AdminsOnly,
        (status = 412, description = "Changed (or created) by someone else since you read it", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge,
        NotJson,
        InvalidFields,
        (status = 428, description = "If-Match missing when replacing", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn put_calendar(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    if_match: Result<IfMatch, ApiError>,
    json: ApiJson<CalendarBody>,
) -> ApiResult<Response> {
    calendars::may_manage(&auth.0)?;
    let code = path_code(&code)?;
    let body = json.body;
    let unit_code = body.unit_code.clone();
    let calendar = body.into_calendar(&code)?;
    let read = match if_match {
        Ok(IfMatch(None)) => Read::Any,
        Ok(IfMatch(Some(v))) => Read::Version(v),
        // Without If-Match a calendar can only be created.
        Err(e) if e.status() == StatusCode::PRECONDITION_REQUIRED => Read::Nothing,
        Err(e) => return Err(e),
    };
    match calendars::put(&st.app, &auth.0, calendar, unit_code, read).await? {
        Put::Created(created) => calendar_response(
            StatusCode::CREATED,
            &created,
            Some(&format!("/api/v1/calendars/{code}")),
        ),
        Put::Replaced(next) => calendar_response(StatusCode::OK, &next, None),
        Put::VersionRequired => Err(ApiError::precondition_required()),
    }
}

/// What each day from `from` to `to` (both included, at most 366 days) is:
/// working or not, and the holiday's or make-up day's name.
#[utoipa::path(
    get, path = "/api/v1/calendars/{code}/days", tag = "calendars",
    params(("code" = String, Path, description = "The calendar's code"), DaysQuery),
    responses(
        (status = 200, description = "One entry per day, in date order", body = Vec<DayView>),
        (status = 400, description = "Malformed dates, `to` before `from`, or more than 366 days (named `to`)", body = Problem, content_type = "application/problem+json"),
        CrewsNotCalendars,
        NoSuchCalendar,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn calendar_days(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> ApiResult<Json<Vec<DayView>>> {
    calendars::may_read(&auth.0)?;
    let code = path_code(&code)?;
    if q.to < q.from {
        return Err(ApiError::invalid_parameter("to", "must not be before from"));
    }
    if (q.to - q.from).num_days() >= MAX_DAYS {
        return Err(ApiError::invalid_parameter(
            "to",
            format!("the range may cover at most {MAX_DAYS} days"),
        ));
    }
    let days = calendars::days(&st.app, &auth.0, &code, q.from, q.to).await?;
    Ok(Json(days.into_iter().map(DayView::from).collect()))
}
