//! User bodies.

use chrono::{DateTime, Utc};
use hotline_domain::user::User;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::{LanguageDto, RoleDto};
use crate::dto::page::{Page, Paged};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    /// 3–64 characters: letters, digits, `.`, `_`, `-`, `@`; case-insensitive.
    #[schema(min_length = 3, max_length = 64, pattern = r"^[A-Za-z0-9._@-]{3,64}$")]
    pub username: String,
    /// 10 to 256 characters.
    #[schema(format = Password, min_length = 10, max_length = 256)]
    pub password: String,
    pub role: RoleDto,
    /// The unit the user works in; must exist.
    #[schema(example = "PC15LL")]
    pub unit_code: Option<String>,
    /// The user's field team; must exist. Given alone, the user's unit
    /// becomes the team's unit; given with `unit_code`, the team's unit must
    /// be that unit or one below it.
    #[schema(example = "PC15LL01")]
    pub team_code: Option<String>,
    /// The language the user reads problems and CSV exports in, whatever
    /// their browser's `Accept-Language`; omitted: the request decides.
    pub language: Option<LanguageDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchBody {
    pub role: Option<RoleDto>,
    /// A disabled user cannot sign in and their tokens stop working at once.
    pub disabled: Option<bool>,
    /// `null` clears it (and the team).
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub unit_code: Option<Option<String>>,
    /// `null` clears it. A team given without `unit_code` moves the user to
    /// the team's unit unless their unit already contains it.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub team_code: Option<Option<String>>,
    /// `en` or `vi`; `null` clears it (the request's `Accept-Language`
    /// decides again).
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<LanguageDto>)]
    pub language: Option<Option<LanguageDto>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub role: RoleDto,
    pub disabled: bool,
    pub unit_code: Option<String>,
    pub team_code: Option<String>,
    /// The chosen language of problems and exports; `null`: none chosen.
    pub language: Option<LanguageDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            username: u.username.clone(),
            role: u.role.into(),
            disabled: u.disabled,
            unit_code: u.unit_code.as_ref().map(ToString::to_string),
            team_code: u.team_code.as_ref().map(ToString::to_string),
            language: u.language.map(Into::into),
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

pub type UserPage = Page<UserView>;

impl Paged for UserView {
    const PAGE: &'static str = "UserPage";
}
