//! Puts the pieces together: the database behind every port, the token
//! keys, the HTTP settings.

use std::sync::Arc;

use base64::Engine;
use hotline_domain::ports::SettingsStore;
use hotline_http::auth::jwt::JwtKeys;
use hotline_http::auth::principals::PrincipalCache;
use hotline_http::{AppState, Ports};
use hotline_persistence::Db;

use crate::config::{Config, Secret};

pub fn ports(db: &Db) -> Ports {
    let db = Arc::new(db.clone());
    Ports {
        calls: db.clone(),
        idempotency: db.clone(),
        audit: db.clone(),
        users: db.clone(),
        api_keys: db.clone(),
        refresh_tokens: db.clone(),
        login_throttle: db.clone(),
        customers: db.clone(),
        blocked_numbers: db.clone(),
        cti: db.clone(),
        org: db.clone(),
        calendars: db.clone(),
        sla_policies: db.clone(),
        work_orders: db.clone(),
        incidents: db.clone(),
        routing: db.clone(),
        outbox: db.clone(),
        webhooks: db.clone(),
        reports: db.clone(),
        health: db,
    }
}

/// The configured JWT secret, or the one generated on first start and kept
/// in the database (so tokens survive restarts and replicas agree).
pub async fn jwt_secret(db: &Db, configured: Option<&str>) -> Result<Vec<u8>, String> {
    if let Some(s) = configured {
        return Ok(s.as_bytes().to_vec());
    }
    let mut fresh = [0u8; 48];
    rand::fill(&mut fresh);
    let candidate = base64::engine::general_purpose::STANDARD.encode(fresh);
    let stored = db
        .get_or_insert("jwt_secret", &candidate)
        .await
        .map_err(|e| format!("cannot read or store the JWT secret: {e}"))?;
    Ok(stored.into_bytes())
}

pub async fn state(db: &Db, config: &Config) -> Result<AppState, String> {
    let secret = jwt_secret(db, config.auth.jwt_secret.as_ref().map(Secret::expose)).await?;
    let ports = Arc::new(ports(db));
    let http = config.http.api.clone();
    Ok(AppState {
        events: hotline_http::stream::EventHub::new(ports.outbox.clone()),
        ports,
        jwt: Arc::new(JwtKeys::new(&secret)),
        principals: Arc::new(PrincipalCache::new(http.auth_cache)),
        config: Arc::new(http),
        metrics: hotline_http::middleware::install_recorder(),
    })
}
