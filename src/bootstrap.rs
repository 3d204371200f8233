//! First start: with no users yet, create `admin`.

use hotline_app::users::{self, NewUser};
use hotline_domain::DomainError;
use hotline_domain::ports::UserStore;
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_domain::user::User;
use hotline_persistence::Db;
use uuid::Uuid;

/// Who the audit trail names for changes made from the command line.
pub fn system() -> Principal {
    Principal {
        id: Uuid::nil(),
        name: "system".into(),
        role: Role::Admin,
        kind: PrincipalKind::User,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

/// Creates a user from the command line or at first start, as the API
/// does (audited as `system`).
pub async fn create_user(db: &Db, username: &str, password: &str, role: Role) -> Result<User, String> {
    let new = NewUser {
        username,
        password: password.to_string(),
        role,
        unit_code: None,
        team_code: None,
        language: None,
    };
    users::create(&crate::wiring::app(db), &system(), new)
        .await
        .map_err(|e| match e {
            DomainError::Validation(errors) => errors
                .iter()
                .map(|f| format!("{} {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })
}

/// With no users at all, creates `admin` with the given password or a
/// generated one, which is returned so it can be shown once.
pub async fn ensure_admin(db: &Db, password: Option<&str>) -> Result<Option<String>, String> {
    if db.count().await.map_err(|e| e.to_string())? > 0 {
        return Ok(None);
    }
    let generated = password.is_none().then(|| hotline_app::secrets::random_token(15));
    let password = password.or(generated.as_deref()).unwrap_or_default();
    match create_user(db, "admin", password, Role::Admin).await {
        Ok(_) => Ok(generated),
        // Another replica created it first.
        Err(e) if e.contains("taken") => Ok(None),
        Err(e) => Err(e),
    }
}
