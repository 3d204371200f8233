//! Field teams, their members and on-call rosters. Everyone but field
//! crews reads them; admins manage every team, supervisors only the teams
//! of their own unit and the units below it.

use chrono::{DateTime, TimeDelta, Utc};
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::org::team::check_roster;
use hotline_domain::org::{Member, Shift, Team, TeamFilter, TeamInput, TeamPatch, may_manage_team};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, FieldError, StoreError};
use serde_json::{Value, json};

use crate::roles::require;
use crate::versions::{check, stored};
use crate::{App, AppResult};

/// How far a roster read reaches when the caller names no end.
pub const ROSTER_DAYS: i64 = 7;

/// 403 unless the caller's role may read the organisation.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_org(), "read the organisation")
}

/// 403 unless the caller's role may manage teams (`what` names the deed).
pub fn may_manage(who: &Principal, what: &str) -> AppResult<()> {
    require(who, who.role.can_manage_teams(), what)
}

/// The path of the caller's own unit, for supervisors' subtree checks.
pub async fn own_unit_path(app: &App, who: &Principal) -> AppResult<Option<String>> {
    let Some(code) = who.unit_code.as_deref() else {
        return Ok(None);
    };
    Ok(app.store.org().get_unit(code).await?.map(|u| u.path))
}

/// Admins anywhere; supervisors only for teams of their own unit's subtree.
async fn require_manage(app: &App, who: &Principal, unit_path: &str) -> AppResult<()> {
    may_manage(who, "manage teams")?;
    let own = own_unit_path(app, who).await?;
    if may_manage_team(who, own.as_deref(), unit_path) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "supervisors manage only the teams of their own unit and the units below it".into(),
        ))
    }
}

/// The path of the unit `code`; empty when there is none (in nobody's
/// subtree).
async fn unit_path_of(app: &App, code: &str) -> AppResult<String> {
    Ok(app
        .store
        .org()
        .get_unit(code)
        .await?
        .map(|u| u.path)
        .unwrap_or_default())
}

/// The team's unit must exist and its areas too; answers the unit's path.
async fn check_refs(app: &App, team: &Team) -> AppResult<String> {
    let mut errors = Vec::new();
    let unit = app.store.org().get_unit(&team.unit_code).await?;
    if unit.is_none() {
        errors.push(FieldError {
            field: "unit_code".into(),
            message: format!("there is no unit {}", team.unit_code),
        });
    }
    let found = app.store.org().areas_by_code(&crate::texts(&team.area_codes)).await?;
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
        _ => Err(DomainError::Validation(errors)),
    }
}

/// The team `code` (normalised); 404 when there is none.
pub async fn get(app: &App, who: &Principal, code: &str) -> AppResult<Team> {
    may_read(who)?;
    load(app, code).await
}

async fn load(app: &App, code: &str) -> AppResult<Team> {
    app.store
        .org()
        .get_team(code)
        .await?
        .ok_or(DomainError::NotFound("team"))
}

/// Adds a team in an existing unit, serving existing areas.
pub async fn create(app: &App, who: &Principal, input: TeamInput) -> AppResult<Team> {
    may_manage(who, "manage teams")?;
    let now = app.now();
    let team = Team::create(input, now)?;
    let unit_path = check_refs(app, &team).await?;
    require_manage(app, who, &unit_path).await?;
    let entry = AuditEntry::new("team", team.id, "create", who, now, team.audit_view());
    match app.store.org().create_team(&team, &entry).await {
        Ok(()) => Ok(team),
        Err(StoreError::Duplicate(_)) => Err(DomainError::Conflict(format!("a team {} already exists", team.code))),
        Err(e) => Err(e.into()),
    }
}

/// The path of the unit `code`, for a list's `unit` filter; None when there
/// is no such unit.
pub async fn unit_within(app: &App, who: &Principal, code: &str) -> AppResult<Option<String>> {
    may_read(who)?;
    Ok(app.store.org().get_unit(code).await?.map(|u| u.path))
}

/// Up to `limit` teams matching `filter`, in code order after `after`.
pub async fn list(
    app: &App,
    who: &Principal,
    filter: &TeamFilter,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<Team>> {
    may_read(who)?;
    Ok(app.store.org().list_teams(filter, after, limit).await?)
}

/// A team with its members and whether it is on call now.
#[derive(Debug, Clone)]
pub struct Detail {
    pub team: Team,
    pub members: Vec<Member>,
    pub on_shift: bool,
}

/// The team `code` with its members (users whose team it is) and whether
/// it is on call at the clock's time.
pub async fn detail(app: &App, who: &Principal, code: &str) -> AppResult<Detail> {
    let team = get(app, who, code).await?;
    let now = app.now();
    let members = app.store.org().team_members(&team.code).await?;
    let current = app
        .store
        .org()
        .shifts(&team.code, now, now + TimeDelta::microseconds(1))
        .await?;
    Ok(Detail {
        on_shift: Team::on_shift(&current, now),
        team,
        members,
    })
}

/// Changes the team `code` over the version the caller read (`expected`,
/// None for any). The caller must manage both the team's unit and, when
/// it moves, the new one.
pub async fn change(
    app: &App,
    who: &Principal,
    code: &str,
    expected: Option<i64>,
    patch: TeamPatch,
) -> AppResult<Team> {
    may_manage(who, "manage teams")?;
    let current = load(app, code).await?;
    require_manage(app, who, &unit_path_of(app, &current.unit_code).await?).await?;
    check(expected, current.version)?;
    let now = app.now();
    let next = current.patched(patch, now)?;
    let unit_path = check_refs(app, &next).await?;
    require_manage(app, who, &unit_path).await?;
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("team", current.id, "update", who, now, changes);
    stored(app.store.org().update_team(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Replaces the on-call roster of the team `code` with `shifts` (sorted
/// and checked). The audit entry lists the stored shifts as `render`
/// writes them (the shape callers see). Answers the team and its roster.
pub async fn replace_shifts(
    app: &App,
    who: &Principal,
    code: &str,
    shifts: &[Shift],
    render: impl Fn(&[Shift]) -> Value,
) -> AppResult<(Team, Vec<Shift>)> {
    may_manage(who, "manage rosters")?;
    let team = load(app, code).await?;
    require_manage(app, who, &unit_path_of(app, &team.unit_code).await?).await?;
    let shifts = check_roster(shifts)?;
    let now = app.now();
    let entry = AuditEntry::new(
        "team",
        team.id,
        "roster",
        who,
        now,
        json!({ "shifts": render(&shifts) }),
    );
    app.store.org().replace_shifts(&team.code, &shifts, &entry).await?;
    Ok((team, shifts))
}

/// The window a roster read covers: from `from` (default: the clock's
/// time) to `to` (default: [`ROSTER_DAYS`] later). The caller checks that
/// it ends after it starts.
pub fn window(app: &App, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = from.unwrap_or_else(|| app.now());
    let to = to.unwrap_or(from + TimeDelta::days(ROSTER_DAYS));
    (from, to)
}

/// The shifts of `team` overlapping `[from, to)`, earliest first.
pub async fn shifts(
    app: &App,
    who: &Principal,
    team: &Team,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<Shift>> {
    may_read(who)?;
    Ok(app.store.org().shifts(&team.code, from, to).await?)
}
