//! Whom a credential stands for: the principal behind a live API key or
//! behind a verified access token's user. Checking the token and caching
//! the answer are the transport's business.

use hotline_domain::key_scope::KeyScope;
use hotline_domain::principal::{Principal, PrincipalKind};
use uuid::Uuid;

use crate::{App, AppResult};

/// Who acts with the API key whose secret hashes to `hash`; None when no
/// key has it or it was revoked.
pub async fn for_key(app: &App, hash: &str) -> AppResult<Option<Principal>> {
    Ok(key_holder(app, hash).await?.map(|(p, _)| p))
}

/// Who acts with the API key whose secret hashes to `hash`, with the
/// scopes the key is limited to (None: its role's rights).
pub async fn key_holder(app: &App, hash: &str) -> AppResult<Option<(Principal, Option<Vec<KeyScope>>)>> {
    let found = app.store.api_keys().find_by_hash(hash).await?;
    Ok(found.filter(|k| k.revoked_at.is_none()).map(|k| {
        (
            Principal {
                id: k.id,
                name: k.name,
                role: k.role,
                kind: PrincipalKind::ApiKey,
                unit_code: k.unit_code,
                team_code: None,
                language: k.language,
            },
            k.scopes,
        )
    }))
}

/// Who acts as the user `id`; None when the account is disabled or gone.
pub async fn for_user(app: &App, id: Uuid) -> AppResult<Option<Principal>> {
    Ok(session_holder(app, id).await?.map(|(p, _)| p))
}

/// Who acts as the user `id`, with the sessions version their access
/// tokens must carry (it moves on at each password change or reset); None
/// when the account is disabled or gone.
pub async fn session_holder(app: &App, id: Uuid) -> AppResult<Option<(Principal, i64)>> {
    Ok(match app.store.users().get(id).await? {
        Some(u) if !u.disabled => Some((
            Principal {
                id: u.id,
                name: u.username,
                role: u.role,
                kind: PrincipalKind::User,
                unit_code: u.unit_code,
                team_code: u.team_code,
                language: u.language,
            },
            u.sessions_version,
        )),
        _ => None,
    })
}
