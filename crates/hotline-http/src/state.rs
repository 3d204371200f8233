//! What every handler can reach: the application (its use cases' storage,
//! clock and settings), the token keys and the HTTP settings. Cheap to clone.

use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::jwt::JwtKeys;

#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// Largest request body accepted.
    pub body_limit_bytes: usize,
    /// A request still running after this is answered 503.
    pub request_timeout: Duration,
    /// Failed sign-ins are counted over this window…
    pub login_window_secs: i64,
    /// …and more than this many for one username, or
    pub login_max_failures_per_user: u64,
    /// for one client address, are refused until the window moves on.
    pub login_max_failures_per_address: u64,
    /// Webhook URLs may use plain http to any host (not only loopback).
    pub webhooks_allow_http: bool,
    /// Hours a rotated webhook secret keeps signing beside the new one,
    /// unless the rotation asks otherwise.
    pub webhook_secret_overlap_hours: u32,
    /// Reports: the default service-level threshold, in seconds.
    pub service_level_seconds: u32,
    /// How long a checked credential is trusted without reading the
    /// database again (zero: never).
    pub auth_cache: Duration,
    /// The caller ID outbound calls show: answered to a Zammad-style PBX's
    /// outbound newCall as `{"action":"dial","caller_id":…}`.
    pub cti_outbound_caller_id: Option<String>,
    /// Open311 reads (`GET requests`, `tokens`) are served without a key,
    /// as the GeoReport v2 spec has it; false: a key or user is needed.
    pub open311_public_reads: bool,
    /// The language of problems and CSV exports when the request's
    /// `Accept-Language` names none we speak.
    pub default_language: crate::i18n::Lang,
    /// The secret the e-mail gateway signs its messages with
    /// (`HOTLINE_EMAIL_GATEWAY_SECRET`); None: the gateway endpoint is off.
    pub email_gateway_secret: Option<String>,
    /// How long an admin's one-time password reset works.
    pub password_reset_ttl_secs: i64,
    /// Requests a minute per user, or client address without a valid
    /// credential (`HOTLINE_RATE_LIMIT_PER_MINUTE`); 0: no limit (the
    /// default here; the service's configuration turns it on).
    pub rate_limit_per_minute: u32,
    /// Requests a caller may make at once before the rate applies.
    pub rate_limit_burst: u32,
    /// The same per API key (`HOTLINE_KEY_RATE_LIMIT_PER_MINUTE`): PBXs
    /// push a storm's call events through one key.
    pub key_rate_limit_per_minute: u32,
    pub key_rate_limit_burst: u32,
    /// Peers whose `X-Forwarded-For` / `Forwarded` is believed.
    pub trusted_proxies: Vec<crate::edge::Cidr>,
    /// Browser origins allowed to call the API; empty: no CORS headers.
    pub cors_origins: crate::edge::cors::Origins,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 14 * 24 * 3600,
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            login_window_secs: 15 * 60,
            login_max_failures_per_user: 5,
            login_max_failures_per_address: 30,
            webhooks_allow_http: false,
            webhook_secret_overlap_hours: 24,
            service_level_seconds: hotline_domain::report::DEFAULT_SERVICE_LEVEL_SECONDS,
            auth_cache: Duration::from_secs(5),
            cti_outbound_caller_id: None,
            open311_public_reads: true,
            default_language: crate::i18n::Lang::En,
            email_gateway_secret: None,
            password_reset_ttl_secs: 24 * 3600,
            rate_limit_per_minute: 0,
            rate_limit_burst: 0,
            key_rate_limit_per_minute: 0,
            key_rate_limit_burst: 0,
            trusted_proxies: Vec::new(),
            cors_origins: crate::edge::cors::Origins::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: hotline_app::App,
    pub jwt: Arc<JwtKeys>,
    pub config: Arc<HttpConfig>,
    pub metrics: Option<PrometheusHandle>,
    /// Follows the event log for the live stream.
    pub events: Arc<crate::stream::EventHub>,
    /// Whom recently seen credentials belong to.
    pub principals: Arc<crate::auth::principals::PrincipalCache>,
}
