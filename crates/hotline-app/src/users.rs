//! User accounts: creating one (from the API, the command line and at first
//! start alike), reading, listing and changing them, and placing them in a
//! unit and team.

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::language::Language;
use hotline_domain::org::tree;
use hotline_domain::page::{Page, Position};
use hotline_domain::password;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::user::{User, normalize_username};
use hotline_domain::{DomainError, StoreError, TeamCode, UnitCode, Validation, codes};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::placement::known_team;
use crate::roles::require;
use crate::versions;
use crate::{App, AppResult, passwords};

/// What a new account is made of.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: String,
    pub role: Role,
    pub unit_code: Option<&'a str>,
    pub team_code: Option<&'a str>,
    pub language: Option<Language>,
}

/// What the audit trail keeps of a user (never the password).
pub fn audit_view(u: &User) -> Value {
    json!({"username": u.username, "role": u.role, "disabled": u.disabled, "unit_code": u.unit_code, "team_code": u.team_code, "language": u.language.map(Language::code)})
}

/// Creates an account, audited as `who`'s: username and password checked
/// (both named when wrong), unit and team resolved, the password hashed.
/// A taken username is a conflict.
pub async fn create(app: &App, who: &Principal, new: NewUser<'_>) -> AppResult<User> {
    let mut v = Validation::new();
    let username = v.check("username", normalize_username(new.username));
    v.check("password", password::check_new(new.username, &new.password));
    v.finish()?;
    let (unit_code, team_code) = resolve_org(app, new.unit_code, new.team_code, None).await?;
    let now = app.now();
    let user = User {
        id: Uuid::now_v7(),
        username: username.unwrap_or_default(),
        role: new.role,
        disabled: false,
        unit_code,
        team_code,
        language: new.language,
        created_at: now,
        updated_at: now,
        version: 1,
        password_changed_at: None,
        sessions_version: 0,
    };
    let hash = passwords::hash(new.password).await?;
    let entry = AuditEntry::new("user", user.id, "create", who, now, audit_view(&user));
    match app.store.users().create(&user, &hash, &entry).await {
        Ok(()) => Ok(user),
        Err(StoreError::Duplicate(_)) => Err(DomainError::Conflict(format!(
            "the username {} is taken",
            user.username
        ))),
        Err(e) => Err(e.into()),
    }
}

/// 403 unless the caller's role may manage users.
pub fn may_manage(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_access(), "manage users")?;
    crate::roles::unlimited(who)
}

/// One user; 404 when there is none with this id.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<User> {
    may_manage(who)?;
    app.store.users().get(id).await?.ok_or(DomainError::NotFound("user"))
}

/// A page of users, newest first, after `after`.
pub async fn list(app: &App, who: &Principal, after: Option<Position>, limit: u64) -> AppResult<Page<User>> {
    may_manage(who)?;
    Ok(app.store.users().list(after, limit).await?)
}

/// What a caller changes of a user; a field left None stays as it is,
/// `Some(None)` clears the unit or team.
#[derive(Debug, Clone, Default)]
pub struct UserPatch<'a> {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub unit_code: Option<Option<&'a str>>,
    pub team_code: Option<Option<&'a str>>,
    /// `Some(None)` clears the preference.
    pub language: Option<Option<Language>>,
}

/// Changes a user's role, unit or team, or disables them, and stores it
/// with the audit entry over the version read; the stored user. 404 for
/// no such user, 412 when the caller read another version
/// (`expected_version`, None for any) or someone stored a change in
/// between, 422 naming an unknown unit or team, 409 when admins would
/// disable or demote themselves. Callers that cache principals must
/// forget them afterwards (a disabled user's tokens stop working at once).
pub async fn change(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    patch: UserPatch<'_>,
) -> AppResult<User> {
    may_manage(who)?;
    let current = app.store.users().get(id).await?.ok_or(DomainError::NotFound("user"))?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let mut next = current.clone();
    if let Some(role) = patch.role {
        next.role = role;
    }
    if let Some(disabled) = patch.disabled {
        next.disabled = disabled;
    }
    if let Some(language) = patch.language {
        next.language = language;
    }
    if patch.unit_code.is_some() || patch.team_code.is_some() {
        let unit = patch.unit_code.flatten();
        let team = match (patch.team_code, patch.unit_code) {
            (Some(t), _) => t.map(str::to_owned),
            // Clearing the unit clears the team too.
            (None, Some(None)) => None,
            // A new unit keeps the team only if the team lies within it.
            (None, _) => current.team_code.as_ref().map(ToString::to_string),
        };
        let keep = if patch.unit_code.is_none() {
            current.unit_code.as_deref()
        } else {
            None
        };
        let unit = unit.map(str::to_owned).or_else(|| {
            if patch.unit_code.is_none() && team.is_none() {
                current.unit_code.as_ref().map(ToString::to_string)
            } else {
                None
            }
        });
        let (u, t) = resolve_org(app, unit.as_deref(), team.as_deref(), keep).await?;
        next.unit_code = u;
        next.team_code = t;
    }
    let demotes_self = id == who.id && (next.disabled || next.role != Role::Admin);
    if demotes_self {
        return Err(DomainError::Conflict(
            "you cannot disable or demote yourself; ask another admin".into(),
        ));
    }
    next.updated_at = now;
    next.version += 1;
    let entry = AuditEntry::new(
        "user",
        id,
        "update",
        who,
        now,
        diff(&audit_view(&current), &audit_view(&next)),
    );
    versions::stored(app.store.users().update(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Checks a user's unit and team: both must exist (422 naming the field);
/// a team's unit must be the user's unit or below it. With a team and no
/// unit, the unit becomes the team's (`current_unit`: a PATCH keeps the
/// user's current unit when it already contains the team's).
pub async fn resolve_org(
    app: &App,
    unit: Option<&str>,
    team: Option<&str>,
    current_unit: Option<&str>,
) -> AppResult<(Option<UnitCode>, Option<TeamCode>)> {
    let mut v = Validation::new();
    let unit: Option<UnitCode> = codes::optional(&mut v, "unit_code", unit);
    let team: Option<TeamCode> = codes::optional(&mut v, "team_code", team);
    v.finish()?;
    let store = app.store.org();
    let team_row = match &team {
        None => None,
        Some(t) => Some(known_team(app.store.as_ref(), t).await?),
    };
    let unit_row = match unit.as_deref().or(if team_row.is_some() { current_unit } else { None }) {
        None => None,
        Some(u) => store.get_unit(u).await?,
    };
    if let Some(u) = &unit
        && unit_row.is_none()
    {
        return Err(DomainError::invalid("unit_code", format!("there is no unit {u}")));
    }
    let Some(t) = team_row else {
        return Ok((unit, None));
    };
    let team_unit = store.get_unit(&t.unit_code).await?;
    let team_path = team_unit.as_ref().map(|u| u.path.as_str()).unwrap_or_default();
    match unit_row {
        Some(u) if tree::is_within(team_path, &u.path) => Ok((Some(u.code), Some(t.code))),
        Some(u) if unit.is_some() => Err(DomainError::invalid(
            "team_code",
            format!("the team's unit {} is not within the unit {}", t.unit_code, u.code),
        )),
        _ => Ok((Some(t.unit_code), Some(t.code))),
    }
}
