//! Who is acting: a signed-in user or an integration's API key.

use crate::codes::{TeamCode, UnitCode};
use crate::language::Language;
use crate::role::Role;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    ApiKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: Uuid,
    /// Username, or the API key's name; what the audit log shows.
    pub name: String,
    pub role: Role,
    pub kind: PrincipalKind,
    /// The user's or API key's unit, for scoping to its subtree; None for
    /// those who serve the whole centre.
    pub unit_code: Option<UnitCode>,
    /// The user's field team; None for API keys.
    pub team_code: Option<TeamCode>,
    /// The language the user or key chose for problems and exports; None:
    /// the request's `Accept-Language`, else the server's default.
    pub language: Option<Language>,
}

impl Principal {
    /// How the audit trail names the actor: `user:alice` or `api_key:pbx-1`.
    pub fn actor(&self) -> String {
        match self.kind {
            PrincipalKind::User => format!("user:{}", self.name),
            PrincipalKind::ApiKey => format!("api_key:{}", self.name),
        }
    }

    /// The namespace for this principal's idempotency keys, so two
    /// integrations choosing the same key never see each other's results.
    pub fn idempotency_scope(&self) -> String {
        format!("{}:{}", self.actor_kind(), self.id)
    }

    fn actor_kind(&self) -> &'static str {
        match self.kind {
            PrincipalKind::User => "user",
            PrincipalKind::ApiKey => "api_key",
        }
    }
}
