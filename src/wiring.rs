//! Puts the pieces together: the database behind every port, the token
//! keys, the HTTP settings.

use std::sync::Arc;

use base64::Engine;
use hotline_app::{App, Settings};
use hotline_domain::ports::SettingsStore;
use hotline_http::AppState;
use hotline_http::auth::jwt::JwtKeys;
use hotline_http::auth::principals::PrincipalCache;
use hotline_persistence::Db;

use crate::config::{Config, Secret};

/// The application on this database (every port is the database), with
/// the default settings.
pub fn app(db: &Db) -> App {
    App::new(Arc::new(db.clone()), Settings::default())
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

pub async fn state(db: &Db, config: &Config, spans: hotline_app::trace::Spans) -> Result<AppState, String> {
    let secret = jwt_secret(db, config.auth.jwt_secret.as_ref().map(Secret::expose)).await?;
    let app = App::new(Arc::new(db.clone()), config.use_cases.clone()).with_spans(spans);
    let http = config.http.api.clone();
    Ok(AppState {
        events: hotline_http::stream::EventHub::new(app.store.clone()),
        app,
        jwt: Arc::new(JwtKeys::new(&secret)),
        principals: Arc::new(PrincipalCache::new(http.auth_cache)),
        config: Arc::new(http),
        metrics: hotline_http::middleware::install_recorder(),
    })
}
