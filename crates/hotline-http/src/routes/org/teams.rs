//! `/api/v1/teams`: field teams, their members and on-call rosters.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::teams;
use hotline_domain::org::{Shift, Team, TeamFilter};
use serde_json::json;

use super::{code_page, code_paging, code_param, optional_code_param};
use crate::dto::org::{
    MemberView, NewTeamBody, RosterBody, RosterView, ShiftBody, ShiftQuery, TeamDetail, TeamListQuery, TeamPage,
    TeamPatchBody, TeamView,
};
use crate::dto::params::{IfMatchHeader, TeamCodeParam};
use crate::dto::problems::{
    AdminsOrSubtreeSupervisors, CodeTaken, CrewsNotOrg, InvalidFilter, MalformedBodyCodeOrIfMatch, MalformedCode,
    MalformedJson, NoSuchTeam, NotJson, Unavailable, VersionedWrite,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change};
use crate::routes::versioned;
use crate::state::AppState;

/// The roster as callers see it (and as its audit entry records it).
fn shift_bodies(shifts: &[Shift]) -> Vec<ShiftBody> {
    shifts.iter().map(ShiftBody::from).collect()
}

/// Add a field team.
#[utoipa::path(
    post, path = "/api/v1/teams", tag = "organisation",
    request_body = NewTeamBody,
    responses(
        (status = 201, description = "Added", body = TeamView, headers(("Location" = String), ("ETag" = String))),
        MalformedJson,
        AdminsOrSubtreeSupervisors,
        CodeTaken,
        NotJson,
        (status = 422, description = "Invalid fields; unknown unit (`unit_code`) or area (`area_codes[i]`)", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn create_team(State(st): State<AppState>, auth: Auth, json: ApiJson<NewTeamBody>) -> ApiResult<Response> {
    let team = teams::create(&st.app, &auth.0, json.body.into()).await?;
    versioned(
        StatusCode::CREATED,
        &TeamView::from(&team),
        Some(&format!("/api/v1/teams/{}", team.code)),
        team.version,
    )
}

/// List teams in code order: of a unit's subtree (`unit`), serving an area
/// (`area`), with a skill (`skill`).
#[utoipa::path(
    get, path = "/api/v1/teams", tag = "organisation",
    params(TeamListQuery),
    responses(
        (status = 200, description = "A page of teams", body = TeamPage),
        InvalidFilter,
        CrewsNotOrg,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn list_teams(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<TeamListQuery>,
) -> ApiResult<Json<TeamPage>> {
    teams::may_read(&auth.0)?;
    let (limit, after) = code_paging(q.limit, q.cursor.as_deref())?;
    let unit_within = match optional_code_param("unit", q.unit.as_deref())? {
        None => None,
        Some(code) => match teams::unit_within(&st.app, &auth.0, &code).await? {
            Some(path) => Some(path),
            None => return Err(ApiError::invalid_parameter("unit", format!("there is no unit {code}"))),
        },
    };
    let filter = TeamFilter {
        unit_within,
        area: optional_code_param("area", q.area.as_deref())?,
        skill: q.skill.map(Into::into),
    };
    let items = teams::list(&st.app, &auth.0, &filter, after.as_deref(), limit + 1).await?;
    let (items, next_cursor) = code_page(items, limit, |t: &Team| t.code.to_string());
    Ok(Json(TeamPage::of(&items, next_cursor)))
}

/// One team, with its members (users whose `team_code` is this team) and
/// whether it is on call now.
#[utoipa::path(
    get, path = "/api/v1/teams/{code}", tag = "organisation",
    params(TeamCodeParam),
    responses(
        (status = 200, description = "The team", body = TeamDetail, headers(("ETag" = String))),
        MalformedCode,
        CrewsNotOrg,
        NoSuchTeam,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn get_team(State(st): State<AppState>, auth: Auth, ApiPath(code): ApiPath<String>) -> ApiResult<Response> {
    teams::may_read(&auth.0)?;
    let code = code_param("code", &code)?;
    let detail = teams::detail(&st.app, &auth.0, &code).await?;
    let body = TeamDetail {
        team: TeamView::from(&detail.team),
        members: detail.members.iter().map(MemberView::from).collect(),
        on_shift: detail.on_shift,
    };
    versioned(StatusCode::OK, &body, None, detail.team.version)
}

/// Change a team (name, unit, areas, skills, capacity, contact number).
#[utoipa::path(
    patch, path = "/api/v1/teams/{code}", tag = "organisation",
    params(TeamCodeParam, IfMatchHeader),
    request_body = TeamPatchBody,
    responses(
        (status = 200, description = "Updated", body = TeamView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOrSubtreeSupervisors,
        NoSuchTeam,
        VersionedWrite,
        (status = 422, description = "Invalid fields; unknown unit or area", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn update_team(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<String, TeamPatchBody>,
) -> ApiResult<Response> {
    teams::may_manage(&auth.0, "manage teams")?;
    let code = code_param("code", &change.key)?;
    let next = teams::change(&st.app, &auth.0, &code, change.expected, change.body.into()).await?;
    versioned(StatusCode::OK, &TeamView::from(&next), None, next.version)
}

/// Replace a team's on-call roster.
#[utoipa::path(
    put, path = "/api/v1/teams/{code}/shifts", tag = "organisation",
    params(TeamCodeParam),
    request_body = RosterBody,
    responses(
        (status = 200, description = "The stored roster", body = RosterView),
        (status = 400, description = "Malformed body or code", body = Problem, content_type = "application/problem+json"),
        AdminsOrSubtreeSupervisors,
        NoSuchTeam,
        NotJson,
        (status = 422, description = "A shift that does not end after it starts (`shifts[i].ends_at`)", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn put_shifts(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    json: ApiJson<RosterBody>,
) -> ApiResult<Json<RosterView>> {
    teams::may_manage(&auth.0, "manage rosters")?;
    let code = code_param("code", &code)?;
    let raw: Vec<Shift> = json.body.shifts.iter().map(Shift::from).collect();
    let render = |shifts: &[Shift]| json!(shift_bodies(shifts));
    let (team, shifts) = teams::replace_shifts(&st.app, &auth.0, &code, &raw, render).await?;
    Ok(Json(RosterView {
        team_code: team.code.to_string(),
        shifts: shift_bodies(&shifts),
    }))
}

/// A team's shifts overlapping `[from, to)` (default: the next 7 days).
#[utoipa::path(
    get, path = "/api/v1/teams/{code}/shifts", tag = "organisation",
    params(TeamCodeParam, ShiftQuery),
    responses(
        (status = 200, description = "The shifts, earliest first", body = RosterView),
        (status = 400, description = "Malformed code or window", body = Problem, content_type = "application/problem+json"),
        CrewsNotOrg,
        NoSuchTeam,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn get_shifts(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ShiftQuery>,
) -> ApiResult<Json<RosterView>> {
    teams::may_read(&auth.0)?;
    let code = code_param("code", &code)?;
    let team = teams::get(&st.app, &auth.0, &code).await?;
    let (from, to) = teams::window(&st.app, q.from, q.to);
    if to <= from {
        return Err(ApiError::invalid_parameter("to", "must be after from"));
    }
    let shifts = teams::shifts(&st.app, &auth.0, &team, from, to).await?;
    Ok(Json(RosterView {
        team_code: team.code.to_string(),
        shifts: shift_bodies(&shifts),
    }))
}
