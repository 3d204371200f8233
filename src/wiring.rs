//! Puts the pieces together: the database behind every port, the token
//! keys, the HTTP settings.

use std::sync::Arc;

use base64::Engine;
use hotline_app::{App, Settings};
use hotline_domain::ports::SettingsStore;
use hotline_http::auth::jwt::JwtKeys;
use hotline_http::auth::principals::PrincipalCache;
use hotline_http::{AppState, HttpConfig};
use hotline_persistence::Db;

use crate::config::Config;

/// The application on this database: every port is the database.
pub fn app(db: &Db) -> App {
    App::new(Arc::new(db.clone()), Settings::default())
}

/// The use cases' settings from the configuration.
pub fn settings(c: &Config) -> Settings {
    Settings {
        cluster_size: c.cluster_size,
        cluster_window_minutes: c.cluster_window_minutes,
        cluster_auto_activate: c.cluster_auto_activate,
    }
}

pub fn http_config(c: &Config) -> HttpConfig {
    HttpConfig {
        access_token_ttl_secs: c.access_token_ttl_secs,
        refresh_token_ttl_secs: c.refresh_token_ttl_secs,
        body_limit_bytes: c.body_limit_bytes,
        request_timeout: c.request_timeout,
        webhooks_allow_http: c.webhooks_allow_http,
        webhook_secret_overlap_hours: c.webhook_secret_overlap_hours,
        service_level_seconds: c.service_level_seconds,
        auth_cache: c.auth_cache,
        cti_outbound_caller_id: c.cti_outbound_caller_id.clone(),
        open311_public_reads: c.open311_public_reads,
        ..HttpConfig::default()
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
    let secret = jwt_secret(db, config.jwt_secret.as_deref()).await?;
    let app = App::new(Arc::new(db.clone()), settings(config));
    let http = http_config(config);
    Ok(AppState {
        events: hotline_http::stream::EventHub::new(app.store.clone()),
        app,
        jwt: Arc::new(JwtKeys::new(&secret)),
        principals: Arc::new(PrincipalCache::new(http.auth_cache)),
        config: Arc::new(http),
        metrics: hotline_http::middleware::install_recorder(),
    })
}
