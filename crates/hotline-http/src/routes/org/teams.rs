//! `/api/v1/teams`: field teams, their members and on-call rosters.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::TimeDelta;
use hotline_domain::audit::AuditEntry;
use hotline_domain::org::{Shift, Team, TeamFilter, may_manage_team, team::check_roster};
use hotline_domain::{FieldError, StoreError};
use serde_json::json;

use super::{actor_unit_path, code_page, code_paging, code_param, optional_code_param, versioned};
use crate::dto::org::{
    MemberView, NewTeamBody, RosterBody, RosterView, ShiftBody, ShiftQuery, TeamDetail, TeamListQuery, TeamPage,
    TeamPatchBody, TeamView,
};
use crate::dto::problems::{
    AdminsOrSubtreeSupervisors, ChangedBySomeoneElse, CodeTaken, CrewsNotOrg, IfMatchMissing, InvalidFilter,
    MalformedBodyCodeOrIfMatch, MalformedCode, MalformedJson, NoSuchTeam, NotJson, Unavailable,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IfMatch};
use crate::routes::optimistic::{Change, stored};
use crate::state::AppState;

/// The team's unit must exist and its areas too; answers the unit's path.
async fn check_refs(st: &AppState, team: &Team) -> ApiResult<String> {
    let mut errors = Vec::new();
    let unit = st.app.store.org().get_unit(&team.unit_code).await?;
    if unit.is_none() {
        errors.push(FieldError {
            field: "unit_code".into(),
            message: format!("there is no unit {}", team.unit_code),
        });
    }
    let found = st.app.store.org().areas_by_code(&team.area_codes).await?;
    for (i, code) in team.area_codes.iter().enumerate() {
        if !found.iter().any(|a| &a.code == code) {
            errors.push(FieldError {
                field: format!("area_codes[{i}]"),
                message: format!("there is no area {code}"),
            });
        }
    }
    match unit {
        Some(u) if errors.is_empty() => Ok(u.path),
        _ => Err(ApiError::validation(errors)),
    }
}

/// Admins anywhere; supervisors only for teams of their own unit's subtree.
async fn require_manage(st: &AppState, auth: &Auth, unit_path: &str) -> ApiResult<()> {
    auth.require(auth.0.role.can_manage_teams(), "manage teams")?;
    let own = actor_unit_path(st, &auth.0).await?;
    if may_manage_team(&auth.0, own.as_deref(), unit_path) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "supervisors manage only the teams of their own unit and the units below it",
        ))
    }
}

async fn unit_path_of(st: &AppState, unit_code: &str) -> ApiResult<String> {
    Ok(st
        .app
        .store
        .org()
        .get_unit(unit_code)
        .await?
        .map(|u| u.path)
        .unwrap_or_default())
}

async fn load(st: &AppState, code: &str) -> ApiResult<Team> {
    let code = code_param("code", code)?;
    st.app
        .store
        .org()
        .get_team(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))
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
    auth.require(auth.0.role.can_manage_teams(), "manage teams")?;
    let now = st.app.now();
    let team = Team::create(json.body.into(), now)?;
    let unit_path = check_refs(&st, &team).await?;
    require_manage(&st, &auth, &unit_path).await?;
    let entry = AuditEntry::new("team", team.id, "create", &auth.0, now, team.audit_view());
    match st.app.store.org().create_team(&team, &entry).await {
        Ok(()) => versioned(
            StatusCode::CREATED,
            &TeamView::from(&team),
            Some(&format!("/api/v1/teams/{}", team.code)),
            team.version,
        ),
        Err(StoreError::Duplicate(_)) => Err(ApiError::conflict(format!("a team {} already exists", team.code))),
        Err(e) => Err(e.into()),
    }
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
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let (limit, after) = code_paging(q.limit, q.cursor.as_deref())?;
    let unit_within = match optional_code_param("unit", q.unit.as_deref())? {
        None => None,
        Some(code) => match st.app.store.org().get_unit(&code).await? {
            Some(u) => Some(u.path),
            None => return Err(ApiError::invalid_parameter("unit", format!("there is no unit {code}"))),
        },
    };
    let filter = TeamFilter {
        unit_within,
        area: optional_code_param("area", q.area.as_deref())?,
        skill: q.skill.map(Into::into),
    };
    let items = st
        .app
        .store
        .org()
        .list_teams(&filter, after.as_deref(), limit + 1)
        .await?;
    let (items, next_cursor) = code_page(items, limit, |t: &Team| t.code.clone());
    Ok(Json(TeamPage {
        items: items.iter().map(TeamView::from).collect(),
        next_cursor,
    }))
}

/// One team, with its members (users whose `team_code` is this team) and
/// whether it is on call now.
#[utoipa::path(
    get, path = "/api/v1/teams/{code}", tag = "organisation",
    params(("code" = String, Path, description = "The team's code")),
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
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let team = load(&st, &code).await?;
    let now = st.app.now();
    let members = st.app.store.org().team_members(&team.code).await?;
    let current = st
        .app
        .store
        .org()
        .shifts(&team.code, now, now + TimeDelta::microseconds(1))
        .await?;
    let body = TeamDetail {
        team: TeamView::from(&team),
        members: members.iter().map(MemberView::from).collect(),
        on_shift: Team::on_shift(&current, now),
    };
    versioned(StatusCode::OK, &body, None, team.version)
}

/// Change a team (name, unit, areas, skills, capacity, contact number).
#[utoipa::path(
    patch, path = "/api/v1/teams/{code}", tag = "organisation",
    params(
        ("code" = String, Path, description = "The team's code"),
        ("If-Match" = String, Header, description = "The ETag from your last read, or * for any", pattern = r#"^(\*|(W/)?"[0-9]+")$"#),
    ),
    request_body = TeamPatchBody,
    responses(
        (status = 200, description = "Updated", body = TeamView, headers(("ETag" = String))),
        MalformedBodyCodeOrIfMatch,
        AdminsOrSubtreeSupervisors,
        NoSuchTeam,
        ChangedBySomeoneElse,
        NotJson,
        (status = 422, description = "Invalid fields; unknown unit or area", body = Problem, content_type = "application/problem+json"),
        IfMatchMissing,
        Unavailable,
    ),
    security(("bearer" = []))
)]
pub async fn update_team(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(code): ApiPath<String>,
    if_match: IfMatch,
    json: ApiJson<TeamPatchBody>,
) -> ApiResult<Response> {
    auth.require(auth.0.role.can_manage_teams(), "manage teams")?;
    let current = load(&st, &code).await?;
    require_manage(&st, &auth, &unit_path_of(&st, &current.unit_code).await?).await?;
    let change = Change::begin(&if_match, &current, st.app.now())?;
    let next = current.patched(json.body.into(), change.now)?;
    let unit_path = check_refs(&st, &next).await?;
    require_manage(&st, &auth, &unit_path).await?;
    let entry = change.entry("team", current.id, &auth.0, &next);
    stored(st.app.store.org().update_team(&next, current.version, &entry).await?)?;
    versioned(StatusCode::OK, &TeamView::from(&next), None, next.version)
}

/// Replace a team's on-call roster.
#[utoipa::path(
    put, path = "/api/v1/teams/{code}/shifts", tag = "organisation",
    params(("code" = String, Path, description = "The team's code")),
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
    auth.require(auth.0.role.can_manage_teams(), "manage rosters")?;
    let team = load(&st, &code).await?;
    require_manage(&st, &auth, &unit_path_of(&st, &team.unit_code).await?).await?;
    let raw: Vec<Shift> = json.body.shifts.iter().map(Shift::from).collect();
    let shifts = check_roster(&raw)?;
    let now = st.app.now();
    let listed: Vec<ShiftBody> = shifts.iter().map(ShiftBody::from).collect();
    let entry = AuditEntry::new("team", team.id, "roster", &auth.0, now, json!({ "shifts": listed }));
    st.app.store.org().replace_shifts(&team.code, &shifts, &entry).await?;
    Ok(Json(RosterView {
        team_code: team.code,
        shifts: listed,
    }))
}

/// A team's shifts overlapping `[from, to)` (default: the next 7 days).
#[utoipa::path(
    get, path = "/api/v1/teams/{code}/shifts", tag = "organisation",
    params(("code" = String, Path, description = "The team's code"), ShiftQuery),
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
    auth.require(auth.0.role.can_read_org(), "read the organisation")?;
    let team = load(&st, &code).await?;
    let from = q.from.unwrap_or_else(hotline_domain::time::now);
    let to = q.to.unwrap_or(from + TimeDelta::days(7));
    if to <= from {
        return Err(ApiError::invalid_parameter("to", "must be after from"));
    }
    let shifts = st.app.store.org().shifts(&team.code, from, to).await?;
    Ok(Json(RosterView {
        team_code: team.code,
        shifts: shifts.iter().map(ShiftBody::from).collect(),
    }))
}
