//! API-key bodies.

use chrono::{DateTime, Utc};
use hotline_domain::user::ApiKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::enums::{LanguageDto, RoleDto};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyBody {
    /// What the key is for, e.g. `PBX Cà Mau`.
    #[schema(min_length = 1, max_length = 100, pattern = r"^[^\x00-\x1F\x7F]+$")]
    pub name: String,
    pub role: RoleDto,
    /// Limits the key to this unit's subtree, as a user placed in the unit
    /// is limited (an integration for one provincial company). Omitted: the
    /// key serves the whole centre.
    #[serde(default)]
    #[schema(max_length = 32)]
    pub unit_code: Option<String>,
    /// The language of the key's problems and CSV exports, whatever the
    /// requests' `Accept-Language`; omitted: the request decides.
    #[serde(default)]
    pub language: Option<LanguageDto>,
    /// Limits the key to these scopes: `calls:read`, `calls:write`,
    /// `work_orders:read`, `work_orders:write`, `customers:read`,
    /// `customers:write`, `incidents:read`, `incidents:write`,
    /// `reports:read`, `stream`, `cti`, `open311`. A route no scope of the
    /// key opens answers 403 naming the scope it needs. Omitted: the key
    /// has its role's rights on every route.
    #[serde(default)]
    #[schema(example = json!(["work_orders:read", "work_orders:write"]))]
    pub scopes: Option<Vec<String>>,
}

/// Scope names, as stored.
pub fn scope_names(scopes: Option<&[hotline_domain::key_scope::KeyScope]>) -> Option<Vec<String>> {
    scopes.map(|s| s.iter().map(|x| x.as_str().to_string()).collect())
}

/// A new key. `key` is shown only in this response: store it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewApiKeyView {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub role: RoleDto,
    pub prefix: String,
    pub unit_code: Option<String>,
    pub language: Option<LanguageDto>,
    /// The scopes it is limited to; `null`: its role's rights.
    pub scopes: Option<Vec<String>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: Uuid,
    pub name: String,
    pub role: RoleDto,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    pub unit_code: Option<String>,
    pub language: Option<LanguageDto>,
    /// The scopes it is limited to; `null`: its role's rights.
    pub scopes: Option<Vec<String>>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiKey> for ApiKeyView {
    fn from(k: ApiKey) -> Self {
        ApiKeyView {
            id: k.id,
            name: k.name,
            role: k.role.into(),
            prefix: k.prefix,
            unit_code: k.unit_code.map(String::from),
            language: k.language.map(Into::into),
            scopes: scope_names(k.scopes.as_deref()),
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        }
    }
}
