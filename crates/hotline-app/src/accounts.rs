//! The signed-in caller's own account: reading it, choosing its language,
//! changing its password with the current one (under the sign-in
//! throttle), and an admin's one-time reset. Setting a password ends every
//! sign-in of the account: its refresh tokens are revoked and access tokens
//! issued before are refused.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::language::Language;
use hotline_domain::password;
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::user::{ApiKey, PasswordReset, User};
use hotline_domain::{DomainError, StoreError};
use serde_json::json;
use uuid::Uuid;

use crate::sessions::{SessionError, SessionPolicy, SessionResult, throttled};
use crate::{App, AppResult, passwords, principals, secrets, users, versions};

/// Whose account the caller holds.
#[derive(Debug, Clone)]
pub enum Account {
    User(User),
    Key(ApiKey),
}

/// The caller's account as stored now; 404 when it is gone.
pub async fn me(app: &App, who: &Principal) -> AppResult<Account> {
    match who.kind {
        PrincipalKind::User => {
            let user = app.store.users().get(who.id).await?;
            user.map(Account::User).ok_or(DomainError::NotFound("user"))
        }
        PrincipalKind::ApiKey => {
            let keys = app.store.api_keys().list().await?;
            let key = keys.into_iter().find(|k| k.id == who.id);
            key.map(Account::Key).ok_or(DomainError::NotFound("API key"))
        }
    }
}

/// 403 for an API key: it has no account of its own to change.
fn a_user(who: &Principal) -> AppResult<()> {
    match who.kind {
        PrincipalKind::User => Ok(()),
        PrincipalKind::ApiKey => Err(DomainError::Forbidden(
            "an API key has no account of its own to change; an admin manages it".into(),
        )),
    }
}

/// Changes the caller's language (`Some(None)`: none chosen); nothing else
/// of one's own account (role, unit, team) changes here. 412 when the
/// caller read another version.
pub async fn set_language(
    app: &App,
    who: &Principal,
    expected_version: Option<i64>,
    language: Option<Option<Language>>,
) -> AppResult<User> {
    a_user(who)?;
    let current = app
        .store
        .users()
        .get(who.id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    versions::check(expected_version, current.version)?;
    let Some(language) = language else {
        return Ok(current);
    };
    let mut next = current.clone();
    next.language = language;
    next.updated_at = app.now();
    next.version += 1;
    let changes = hotline_domain::audit::diff(&users::audit_view(&current), &users::audit_view(&next));
    let entry = AuditEntry::new("user", who.id, "update", who, next.updated_at, changes);
    versions::stored(app.store.users().update(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Changes the caller's password. Throttled like signing in (per username
/// and per address); a wrong current password counts as a failed sign-in
/// and is 422 naming `current_password`; the new one must meet the rules
/// (422 naming `new_password`). Every sign-in of the account ends.
pub async fn change_password(
    app: &App,
    policy: &SessionPolicy,
    who: &Principal,
    current: String,
    new: String,
    address: &str,
) -> SessionResult<()> {
    a_user(who)?;
    let now = app.now();
    let throttle = app.store.login_throttle();
    let window = Duration::seconds(policy.login_window_secs);
    let failures = throttle.failures_since(&who.name, address, now - window).await?;
    if let Some(retry_after_secs) = throttled(policy, &failures, now) {
        return Err(SessionError::Throttled { retry_after_secs });
    }
    let creds = app.store.users().credentials(&who.name).await?;
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    if !passwords::verify(current, stored).await {
        throttle.record_failure(&who.name, address, now).await?;
        return Err(DomainError::invalid("current_password", "is not your current password").into());
    }
    password::check_new(&who.name, &new).map_err(|m| DomainError::invalid("new_password", m))?;
    let hash = passwords::hash(new).await?;
    let entry = AuditEntry::new(
        "user",
        who.id,
        "password_change",
        who,
        now,
        json!({"password_changed_at": now}),
    );
    if !app
        .store
        .password_resets()
        .set_password(who.id, &hash, now, &entry)
        .await?
    {
        return Err(DomainError::NotFound("user").into());
    }
    throttle.clear(&who.name).await?;
    Ok(())
}

/// A reset just issued: the token (shown once) and when it expires.
#[derive(Debug, Clone)]
pub struct IssuedReset {
    pub user_id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Issues a one-time reset for the user `id` (admins only), living
/// `ttl_secs`; only its hash is kept. 404 for no such user.
pub async fn issue_reset(app: &App, who: &Principal, id: Uuid, ttl_secs: i64) -> AppResult<IssuedReset> {
    users::may_manage(who)?;
    app.store.users().get(id).await?.ok_or(DomainError::NotFound("user"))?;
    let now = app.now();
    let token = secrets::random_token(32);
    let reset = PasswordReset {
        token_hash: secrets::hash(&token),
        user_id: id,
        created_at: now,
        expires_at: now + Duration::seconds(ttl_secs),
    };
    let entry = AuditEntry::new(
        "user",
        id,
        "password_reset_issue",
        who,
        now,
        json!({"expires_at": reset.expires_at}),
    );
    app.store.password_resets().issue(&reset, &entry).await?;
    Ok(IssuedReset {
        user_id: id,
        token,
        expires_at: reset.expires_at,
    })
}

/// Sets a password with a reset token, once: an unknown, used or expired
/// token is 422 naming `token`; the new password must meet the rules (422
/// naming `new_password`). Every sign-in of the account ends. Audited as
/// the account's own act.
pub async fn redeem_reset(app: &App, token: &str, new: String) -> AppResult<Uuid> {
    let refused = || DomainError::invalid("token", "is unknown, used or expired");
    let now = app.now();
    let token_hash = secrets::hash(token);
    let reset = app
        .store
        .password_resets()
        .live(&token_hash, now)
        .await?
        .ok_or_else(refused)?;
    let owner = principals::for_user(app, reset.user_id).await?.ok_or_else(refused)?;
    password::check_new(&owner.name, &new).map_err(|m| DomainError::invalid("new_password", m))?;
    let hash = passwords::hash(new).await?;
    let entry = AuditEntry::new(
        "user",
        owner.id,
        "password_reset",
        &owner,
        now,
        json!({"password_changed_at": now}),
    );
    let done = app
        .store
        .password_resets()
        .redeem(&token_hash, owner.id, &hash, now, &entry)
        .await
        .map_err(|e: StoreError| DomainError::from(e))?;
    if done { Ok(owner.id) } else { Err(refused()) }
}
