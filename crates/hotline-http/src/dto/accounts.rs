//! The caller's own account, password changes and resets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::enums::{LanguageDto, RoleDto};

/// Who the caller is: a signed-in user or an API key.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: Uuid,
    /// `user` or `api_key`.
    #[schema(example = "user")]
    pub kind: String,
    /// The username, or the key's name.
    pub username: String,
    pub role: RoleDto,
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    /// The chosen language of problems and exports; `null`: none chosen.
    pub language: Option<LanguageDto>,
    /// A key's scopes; `null` for users and for keys with their role's rights.
    pub scopes: Option<Vec<String>>,
    /// When the password was last changed or reset; `null`: never (or a key).
    pub password_changed_at: Option<DateTime<Utc>>,
    /// A user's version (the ETag a `PATCH` sends back); 0 for keys.
    pub version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatchBody {
    /// `en` or `vi`; `null` clears it. Role, unit and team are an admin's
    /// to change, not one's own.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<LanguageDto>)]
    pub language: Option<Option<LanguageDto>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeBody {
    #[schema(format = Password)]
    pub current_password: String,
    /// At least 10 characters, not the username (either way round), not a
    /// common password.
    #[schema(format = Password, min_length = 10, max_length = 256)]
    pub new_password: String,
}

/// A one-time reset: `token` is shown only in this answer; give it to
/// the user by a trusted channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetView {
    pub user_id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    /// The token an admin issued.
    pub token: String,
    #[schema(format = Password, min_length = 10, max_length = 256)]
    pub new_password: String,
}
