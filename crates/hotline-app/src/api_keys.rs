//! API keys for integrations: issuing, listing and revoking them (admins
//! only). The secret exists only in the answer to issuing; the store keeps
//! its hash.

use hotline_domain::audit::AuditEntry;
use hotline_domain::key_scope;
use hotline_domain::language::Language;
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::user::{ApiKey, check_key_name};
use hotline_domain::{DomainError, UnitCode, Validation, codes};
use serde_json::json;
use uuid::Uuid;

use crate::placement::known_unit;
use crate::roles::require;
use crate::{App, AppResult, secrets};

/// 403 unless the caller's role may manage API keys.
pub fn may_manage(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_access(), "manage API keys")?;
    crate::roles::unlimited(who)
}

/// What a new key is for.
#[derive(Debug, Clone)]
pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub role: Role,
    /// The unit it acts for; None for the whole organisation.
    pub unit_code: Option<&'a str>,
    pub language: Option<Language>,
    /// The scopes it is limited to; None: its role's rights.
    pub scopes: Option<&'a [String]>,
}

/// A key just issued, with its secret (never shown again).
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub key: ApiKey,
    pub secret: String,
}

/// Issues a key, audited as the caller's; 422 naming the field for a bad
/// name or an unknown unit.
pub async fn issue(app: &App, who: &Principal, new: NewApiKey<'_>) -> AppResult<IssuedKey> {
    may_manage(who)?;
    let name = check_key_name(new.name).map_err(|m| DomainError::invalid("name", m))?;
    let mut v = Validation::new();
    let unit_code: Option<UnitCode> = codes::optional(&mut v, "unit_code", new.unit_code);
    let scopes = match new.scopes {
        None => None,
        Some(raw) => v.check("scopes", key_scope::check_scopes(raw)),
    };
    v.finish()?;
    known_unit(app.store.as_ref(), "unit_code", unit_code.as_deref()).await?;
    let secret = secrets::new_api_key();
    let now = app.now();
    let key = ApiKey {
        id: Uuid::now_v7(),
        name,
        role: new.role,
        prefix: secrets::display_prefix(&secret),
        unit_code,
        language: new.language,
        created_at: now,
        revoked_at: None,
        scopes,
    };
    let entry = AuditEntry::new(
        "api_key",
        key.id,
        "create",
        who,
        now,
        json!({"name": key.name, "role": key.role, "prefix": key.prefix, "unit_code": key.unit_code, "language": key.language.map(Language::code), "scopes": key.scopes.as_deref().map(key_scope::join)}),
    );
    app.store
        .api_keys()
        .create(&key, &secrets::hash(&secret), &entry)
        .await?;
    Ok(IssuedKey { key, secret })
}

/// Every key (without secrets), newest first.
pub async fn list(app: &App, who: &Principal) -> AppResult<Vec<ApiKey>> {
    may_manage(who)?;
    Ok(app.store.api_keys().list().await?)
}

/// Revokes a live key, audited; 404 when there is none with this id.
/// Callers that cache principals must forget them afterwards.
pub async fn revoke(app: &App, who: &Principal, id: Uuid) -> AppResult<()> {
    may_manage(who)?;
    let now = app.now();
    let entry = AuditEntry::new("api_key", id, "revoke", who, now, json!({"revoked_at": now}));
    if app.store.api_keys().revoke(id, now, &entry).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("API key"))
    }
}
