//! First start: with no users yet, create `admin`.

use hotline_domain::audit::AuditEntry;
use hotline_domain::ports::UserStore;
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_domain::user::User;
use hotline_domain::{StoreError, user};
use hotline_persistence::Db;
use serde_json::json;
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
    }
}

/// Creates a user from the command line or at first start.
pub async fn create_user(db: &Db, username: &str, password: &str, role: Role) -> Result<User, String> {
    let username = user::normalize_username(username).map_err(|m| format!("username {m}"))?;
    user::check_password(password).map_err(|m| format!("password {m}"))?;
    let now = hotline_domain::time::now();
    let u = User {
        id: Uuid::now_v7(),
        username,
        role,
        disabled: false,
        unit_code: None,
        team_code: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let hash = hotline_http::auth::password::hash(password.to_string())
        .await
        .map_err(|e| format!("{:?}", e.problem().detail))?;
    let entry = AuditEntry::new(
        "user",
        u.id,
        "create",
        &system(),
        now,
        json!({"username": u.username, "role": u.role}),
    );
    match db.create(&u, &hash, &entry).await {
        Ok(()) => Ok(u),
        Err(StoreError::Duplicate(_)) => Err(format!("the username {} is taken", u.username)),
        Err(e) => Err(e.to_string()),
    }
}

/// With no users at all, creates `admin` with the given password or a
/// generated one, which is returned so it can be shown once.
pub async fn ensure_admin(db: &Db, password: Option<&str>) -> Result<Option<String>, String> {
    if db.count().await.map_err(|e| e.to_string())? > 0 {
        return Ok(None);
    }
    let generated = password
        .is_none()
        .then(|| hotline_http::auth::secrets::random_token(15));
    let password = password.or(generated.as_deref()).unwrap_or_default();
    match create_user(db, "admin", password, Role::Admin).await {
        Ok(_) => Ok(generated),
        // Another replica created it first.
        Err(e) if e.contains("taken") => Ok(None),
        Err(e) => Err(e),
    }
}
