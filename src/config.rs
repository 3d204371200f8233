//! Configuration from `HOTLINE_*` environment variables, in typed
//! sections: `http`, `db`, `workers`, `auth` and the use cases' settings.
//! A wrong value stops start-up with a message naming the variable.
//! Every setting shows in `Debug`; secrets show as `<redacted>`.

mod env;
mod otlp;
mod redact;
mod sections;

use std::net::SocketAddr;
use std::time::Duration;

use hotline_app::Settings;
use hotline_app::privacy::retention::{Key, Retention};
use hotline_domain::callback::CallingHours;
use hotline_http::HttpConfig;
use hotline_persistence::DbConfig;

use crate::workers::webhooks::WebhookSettings;
use env::{Env, err};

pub use env::ConfigError;
pub use redact::{REDACTED, Secret, redact_url};
pub use sections::{AuthSettings, DbSettings, HttpSettings, WorkerSettings};

pub const DEFAULT_DATABASE_URL: &str = "sqlite:./hotline.db";

#[derive(Clone, Debug)]
pub struct Config {
    /// The log filter (`HOTLINE_LOG`).
    pub log: String,
    pub db: DbSettings,
    pub http: HttpSettings,
    pub auth: AuthSettings,
    pub workers: WorkerSettings,
    /// What the use cases read (outage clustering).
    pub use_cases: Settings,
    /// Span export (`OTEL_EXPORTER_OTLP_*`); None: off.
    pub otlp: Option<crate::otlp::OtlpSettings>,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads from any key → value source (the environment, or a test's
    /// map), section by section; the first wrong value is reported.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = Env(&get);
        let db = db(&env)?;
        let use_cases = use_cases(&env)?;
        Ok(Config {
            http: http(&env)?,
            auth: auth(&env)?,
            workers: workers(&env)?,
            log: env
                .text("HOTLINE_LOG")
                .unwrap_or_else(|| "info,tower_http=info,sqlx=warn,sea_orm=warn".into()),
            db,
            use_cases,
            otlp: otlp::otlp(&env)?,
        })
    }
}

/// SQLite reads are CPU-bound and each connection keeps its own page cache
/// (and malloc arena): beyond a few per core, connections add memory, not
/// throughput. PostgreSQL connections wait on the network and the server.
fn default_pool(database_url: &str) -> u64 {
    if database_url.starts_with("sqlite:") { 8 } else { 16 }
}

fn db(env: &Env) -> Result<DbSettings, ConfigError> {
    let url = env
        .text("HOTLINE_DATABASE_URL")
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(err("HOTLINE_DATABASE_URL", "must start with sqlite: or postgres://"));
    }
    let pool = env.number("HOTLINE_DB_MAX_CONNECTIONS", default_pool(&url), 1, 1000)?;
    let default_reports = hotline_persistence::default_report_queries() as u64;
    Ok(DbSettings {
        connect: DbConfig {
            max_connections: pool as u32,
            // The former name, from when only SQLite grouped its commits.
            group_commit: env.flag("HOTLINE_GROUP_COMMIT", env.flag("HOTLINE_SQLITE_GROUP_COMMIT", true)?)?,
            report_queries: env.number("HOTLINE_REPORT_QUERIES", default_reports, 1, 1000)? as usize,
            reference_cache: std::time::Duration::from_secs(env.number("HOTLINE_REFERENCE_CACHE_SECS", 5, 0, 3600)?),
            search_window: env.number(
                "HOTLINE_SEARCH_WINDOW",
                DbConfig::new("").search_window,
                100,
                100_000_000,
            )?,
            ..DbConfig::new(url)
        },
        migrate_on_start: env.flag("HOTLINE_MIGRATE_ON_START", true)?,
    })
}

fn http(env: &Env) -> Result<HttpSettings, ConfigError> {
    let listen = env
        .text("HOTLINE_LISTEN")
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse::<SocketAddr>()
        .map_err(|e| {
            err(
                "HOTLINE_LISTEN",
                format!("must be host:port, like 127.0.0.1:8080 ({e})"),
            )
        })?;
    let secs = |k, default, min, max| env.number(k, default, min, max).map(Duration::from_secs);
    let cti_outbound_caller_id = match env.text("HOTLINE_CTI_OUTBOUND_CALLER_ID") {
        None => None,
        Some(raw) => match hotline_domain::phone::PhoneNumber::parse(&raw) {
            Ok(Some(_)) => Some(raw.trim().to_string()),
            _ => return Err(err("HOTLINE_CTI_OUTBOUND_CALLER_ID", "must be a phone number")),
        },
    };
    let email_gateway_secret = env.text("HOTLINE_EMAIL_GATEWAY_SECRET");
    if email_gateway_secret.as_ref().is_some_and(|s| s.len() < 16) {
        return Err(err("HOTLINE_EMAIL_GATEWAY_SECRET", "must be at least 16 characters"));
    }
    let max_overlap = u64::from(hotline_domain::webhook::MAX_SECRET_OVERLAP_HOURS);
    let api = HttpConfig {
        webhooks_allow_http: env.flag("HOTLINE_WEBHOOKS_ALLOW_HTTP", false)?,
        webhook_secret_overlap_hours: env.number("HOTLINE_WEBHOOK_SECRET_OVERLAP_HOURS", 24, 0, max_overlap)? as u32,
        service_level_seconds: env.number("HOTLINE_SERVICE_LEVEL_SECONDS", 20, 1, 3600)? as u32,
        cti_outbound_caller_id,
        open311_public_reads: env.flag("HOTLINE_OPEN311_PUBLIC_READS", true)?,
        default_language: match env.text("HOTLINE_LANGUAGE") {
            None => hotline_http::i18n::Lang::En,
            Some(v) => v.parse().map_err(|m: String| err("HOTLINE_LANGUAGE", m))?,
        },
        email_gateway_secret,
        request_timeout: secs("HOTLINE_REQUEST_TIMEOUT_SECS", 30, 1, 3600)?,
        body_limit_bytes: env.number("HOTLINE_BODY_LIMIT_BYTES", 1024 * 1024, 1024, 256 * 1024 * 1024)? as usize,
        access_token_ttl_secs: env.number("HOTLINE_ACCESS_TOKEN_TTL_SECS", 900, 30, 86_400)? as i64,
        refresh_token_ttl_secs: env.number("HOTLINE_REFRESH_TOKEN_TTL_SECS", 14 * 86_400, 60, 365 * 86_400)? as i64,
        auth_cache: secs("HOTLINE_AUTH_CACHE_SECS", 5, 0, 300)?,
        password_reset_ttl_secs: env.number("HOTLINE_PASSWORD_RESET_TTL_SECS", 86_400, 300, 30 * 86_400)? as i64,
        rate_limit_per_minute: env.number("HOTLINE_RATE_LIMIT_PER_MINUTE", 6000, 0, 10_000_000)? as u32,
        rate_limit_burst: env.number("HOTLINE_RATE_LIMIT_BURST", 1000, 1, 1_000_000)? as u32,
        // 2,000 a second: a storm's 300 calls a second, four PBX events
        // each, with room to spare; a refused call event is a lost call.
        key_rate_limit_per_minute: env.number("HOTLINE_KEY_RATE_LIMIT_PER_MINUTE", 120_000, 0, 100_000_000)? as u32,
        key_rate_limit_burst: env.number("HOTLINE_KEY_RATE_LIMIT_BURST", 10_000, 1, 10_000_000)? as u32,
        trusted_proxies: hotline_http::edge::Cidr::list(&env.text("HOTLINE_TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|m| err("HOTLINE_TRUSTED_PROXIES", m))?,
        cors_origins: hotline_http::edge::cors::Origins::parse(&env.text("HOTLINE_CORS_ORIGINS").unwrap_or_default())
            .map_err(|m| err("HOTLINE_CORS_ORIGINS", m))?,
        ..HttpConfig::default()
    };
    Ok(HttpSettings {
        listen,
        header_timeout: secs("HOTLINE_HEADER_TIMEOUT_SECS", 10, 1, 600)?,
        api,
    })
}

fn auth(env: &Env) -> Result<AuthSettings, ConfigError> {
    let jwt_secret = env.text("HOTLINE_JWT_SECRET");
    if jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
        return Err(err("HOTLINE_JWT_SECRET", "must be at least 32 characters"));
    }
    let admin_password = env.text("HOTLINE_ADMIN_PASSWORD");
    if let Some(p) = &admin_password {
        hotline_domain::password::check_new("admin", p).map_err(|m| err("HOTLINE_ADMIN_PASSWORD", m))?;
    }
    Ok(AuthSettings {
        jwt_secret: jwt_secret.map(Secret::new),
        admin_password: admin_password.map(Secret::new),
    })
}

fn workers(env: &Env) -> Result<WorkerSettings, ConfigError> {
    let risk_minutes = env.number("HOTLINE_DEADLINE_RISK_MINUTES", 30, 1, 7 * 24 * 60)?;
    let retention_hours = env.number("HOTLINE_EVENT_RETENTION_HOURS", 168, 1, 24 * 366)?;
    let webhooks = env.flag("HOTLINE_WEBHOOKS", true)?;
    let timeout = Duration::from_secs(env.number("HOTLINE_WEBHOOK_TIMEOUT_SECS", 10, 1, 120)?);
    Ok(WorkerSettings {
        deadline_risk: chrono::Duration::minutes(risk_minutes as i64),
        event_retention: chrono::Duration::hours(retention_hours as i64),
        webhooks: webhooks.then(|| WebhookSettings {
            timeout,
            ..WebhookSettings::default()
        }),
    })
}

fn use_cases(env: &Env) -> Result<Settings, ConfigError> {
    Ok(Settings {
        cluster_size: env.number("HOTLINE_CLUSTER_SIZE", 5, 2, 10_000)? as usize,
        cluster_window_minutes: env.number("HOTLINE_CLUSTER_WINDOW_MINUTES", 30, 1, 24 * 60)? as i64,
        cluster_auto_activate: env.flag("HOTLINE_CLUSTER_AUTO_ACTIVATE", false)?,
        callback_max_attempts: env.number("HOTLINE_CALLBACK_MAX_ATTEMPTS", 3, 1, 20)? as u32,
        callback_target_minutes: env.number("HOTLINE_CALLBACK_TARGET_MINUTES", 30, 1, 7 * 24 * 60)? as i64,
        callback_hours: match env.text("HOTLINE_CALLBACK_HOURS") {
            None => CallingHours::default(),
            Some(v) => CallingHours::parse(&v).map_err(|m| err("HOTLINE_CALLBACK_HOURS", m))?,
        },
        retention: retention(env)?,
    })
}

/// How long personal data is kept (README, "Personal data").
fn retention(env: &Env) -> Result<Retention, ConfigError> {
    let key = env.text("HOTLINE_ANONYMISATION_KEY");
    if key.as_ref().is_some_and(|k| k.len() < 32) {
        return Err(err("HOTLINE_ANONYMISATION_KEY", "must be at least 32 characters"));
    }
    let n = |k, default: u64, min, max| env.number(k, default, min, max).map(|v| v as u32);
    Ok(Retention {
        calls_months: n("HOTLINE_RETAIN_CALLS_MONTHS", 24, 1, 1200)?,
        notes_months: n("HOTLINE_RETAIN_NOTES_MONTHS", 12, 1, 1200)?,
        audit_years: n("HOTLINE_RETAIN_AUDIT_YEARS", 5, 1, 100)?,
        idempotency_days: n("HOTLINE_RETAIN_IDEMPOTENCY_DAYS", 7, 1, 3650)?,
        webhook_bodies_days: n("HOTLINE_RETAIN_WEBHOOK_BODIES_DAYS", 30, 1, 3650)?,
        anonymisation_key: key.map(Key),
        batch: env.number("HOTLINE_RETENTION_BATCH", 500, 1, 10_000)?,
    })
}

#[cfg(test)]
mod tests;
