//! Signing in, refreshing and signing out: the password check under the
//! sign-in throttle and the one-use rotation of refresh tokens. The access
//! token that goes with a session is the transport's business; these use
//! cases answer whose session it is and the new refresh token.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::ports::FailureCounts;
use hotline_domain::user::{RefreshToken, RotateOutcome, normalize_username};
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use crate::{App, passwords, secrets};

/// How long refresh tokens live and how many failed sign-ins are allowed.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub refresh_token_ttl_secs: i64,
    /// Failures count for this long.
    pub login_window_secs: i64,
    pub max_failures_per_user: u64,
    pub max_failures_per_address: u64,
}

/// A session begun or continued: whose it is, and the refresh token's
/// secret (shown to the client, stored only hashed), and when.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: Uuid,
    pub refresh_token: String,
    /// The time the refresh token's life counts from; an access token
    /// issued with it counts from it too.
    pub at: DateTime<Utc>,
    /// The account's sessions version, which access tokens carry.
    pub sessions_version: i64,
}

/// Why a session was not given.
#[derive(Debug)]
pub enum SessionError {
    /// Too many recent failures against the username or the address.
    Throttled {
        retry_after_secs: i64,
    },
    /// Wrong credentials or token; the text is for the client.
    Refused(&'static str),
    Failed(DomainError),
}

impl From<DomainError> for SessionError {
    fn from(e: DomainError) -> Self {
        SessionError::Failed(e)
    }
}

impl From<StoreError> for SessionError {
    fn from(e: StoreError) -> Self {
        SessionError::Failed(e.into())
    }
}

pub type SessionResult<T> = Result<T, SessionError>;

/// A new refresh token: the secret for the client, the hash for storage.
fn new_refresh(policy: &SessionPolicy, user_id: Uuid, now: DateTime<Utc>) -> (String, RefreshToken) {
    let secret = secrets::random_token(32);
    let stored = RefreshToken {
        token_hash: secrets::hash(&secret),
        user_id,
        family: Uuid::now_v7(),
        expires_at: now + Duration::seconds(policy.refresh_token_ttl_secs),
    };
    (secret, stored)
}

/// Seconds until the caller may try again, when the failures counted
/// since the window began (per username, then per address) reach the limit.
pub fn throttled(policy: &SessionPolicy, f: &FailureCounts, now: DateTime<Utc>) -> Option<i64> {
    let window = Duration::seconds(policy.login_window_secs);
    let retry =
        |oldest: Option<DateTime<Utc>>| oldest.map_or(window.num_seconds(), |o| (o + window - now).num_seconds());
    if f.user >= policy.max_failures_per_user {
        return Some(retry(f.user_oldest));
    }
    if f.address >= policy.max_failures_per_address {
        return Some(retry(f.address_oldest));
    }
    None
}

/// Signs in with a username and password from the client at `address`.
/// Refused while the throttle holds; a wrong password, an unknown or a
/// disabled account counts as a failure against the username and the
/// address, and a success clears the username's failures.
pub async fn sign_in(
    app: &App,
    policy: &SessionPolicy,
    username: &str,
    password: String,
    address: &str,
) -> SessionResult<Session> {
    let now = app.now();
    // An impossible username still counts as a guess, under its raw form.
    let username = normalize_username(username).unwrap_or_else(|_| username.chars().take(64).collect());
    let window = Duration::seconds(policy.login_window_secs);
    let failures = app
        .store
        .login_throttle()
        .failures_since(&username, address, now - window)
        .await?;
    if let Some(retry_after_secs) = throttled(policy, &failures, now) {
        return Err(SessionError::Throttled { retry_after_secs });
    }
    let creds = app.store.users().credentials(&username).await?;
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    let ok = passwords::verify(password, stored).await;
    match creds {
        Some(c) if ok && !c.user.disabled => {
            app.store.login_throttle().clear(&username).await?;
            let (secret, stored) = new_refresh(policy, c.user.id, now);
            app.store.refresh_tokens().insert(&stored).await?;
            Ok(Session {
                user_id: c.user.id,
                refresh_token: secret,
                at: now,
                sessions_version: c.user.sessions_version,
            })
        }
        _ => {
            app.store
                .login_throttle()
                .record_failure(&username, address, now)
                .await?;
            Err(SessionError::Refused(
                "wrong username or password, or the account is disabled",
            ))
        }
    }
}

/// Exchanges a refresh token for a new one in the same sign-in. Each
/// works once; presenting a used one revokes every token of its sign-in.
/// A disabled or deleted account gets nothing (and the new token is
/// revoked at once).
pub async fn refresh(app: &App, policy: &SessionPolicy, presented: &str) -> SessionResult<Session> {
    let now = app.now();
    // The store gives the new token the old one's owner and family.
    let (secret, next) = new_refresh(policy, Uuid::nil(), now);
    let old_hash = secrets::hash(presented);
    match app.store.refresh_tokens().rotate(&old_hash, &next, now).await? {
        RotateOutcome::Rotated { user_id } => {
            let user = app.store.users().get(user_id).await?;
            let Some(user) = user.filter(|u| !u.disabled) else {
                app.store.refresh_tokens().revoke(&next.token_hash, now).await?;
                return Err(SessionError::Refused("the account is disabled or gone"));
            };
            Ok(Session {
                user_id,
                refresh_token: secret,
                at: now,
                sessions_version: user.sessions_version,
            })
        }
        RotateOutcome::Reused => Err(SessionError::Refused(
            "this refresh token was already used; every token of that sign-in is now revoked",
        )),
        RotateOutcome::Invalid => Err(SessionError::Refused(
            "the refresh token is unknown, expired or revoked",
        )),
    }
}

/// Signs out: revokes the refresh token (also when it already was, or
/// never existed).
pub async fn sign_out(app: &App, presented: &str) -> Result<(), DomainError> {
    app.store
        .refresh_tokens()
        .revoke(&secrets::hash(presented), app.now())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: SessionPolicy = SessionPolicy {
        refresh_token_ttl_secs: 3600,
        login_window_secs: 900,
        max_failures_per_user: 5,
        max_failures_per_address: 30,
    };

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn the_throttle_holds_until_the_oldest_failure_leaves_the_window() {
        let now = at(600);
        let mut f = FailureCounts {
            user: 4,
            user_oldest: Some(at(0)),
            address: 29,
            address_oldest: Some(at(100)),
        };
        assert_eq!(throttled(&POLICY, &f, now), None);
        f.address = 30;
        assert_eq!(throttled(&POLICY, &f, now), Some(400), "the address's oldest failure");
        f.user = 5;
        assert_eq!(throttled(&POLICY, &f, now), Some(300), "the username counts first");
        f.user_oldest = None;
        assert_eq!(throttled(&POLICY, &f, now), Some(900), "no oldest: the whole window");
    }
}
