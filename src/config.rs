//! Configuration from `HOTLINE_*` environment variables. A wrong value
//! stops start-up with a message naming the variable. Secrets never appear
//! in `Debug` output.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite:./hotline.db";

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub listen: SocketAddr,
    pub jwt_secret: Option<String>,
    pub admin_password: Option<String>,
    pub log: String,
    pub db_max_connections: u32,
    /// SQLite: concurrent call writes share one commit (on by default).
    pub sqlite_group_commit: bool,
    /// Report queries that run at once; more wait their turn.
    pub report_queries: usize,
    pub migrate_on_start: bool,
    pub request_timeout: Duration,
    /// A connection must send its request line and headers within this.
    pub header_timeout: Duration,
    pub body_limit_bytes: usize,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    pub cluster_size: usize,
    pub cluster_window_minutes: i64,
    pub cluster_auto_activate: bool,
    /// A work order this close to its resolution deadline is reported at risk.
    pub deadline_risk_minutes: i64,
    /// The webhook worker runs in this replica.
    pub webhooks: bool,
    /// Webhook URLs may use plain http to any host, not only loopback.
    pub webhooks_allow_http: bool,
    /// A webhook receiver that has not answered within this has failed the attempt.
    pub webhook_timeout_secs: u64,
    /// After a secret rotation, hours the replaced secret still signs beside
    /// the new one (0: it stops at once).
    pub webhook_secret_overlap_hours: u32,
    /// Reports: a call answered within this many seconds meets the service level.
    pub service_level_seconds: u32,
    /// Events are kept this long: the live stream's resume window.
    pub event_retention_hours: i64,
    /// A checked credential is trusted this long on other replicas after
    /// it is revoked or its account changed.
    pub auth_cache: Duration,
    /// The caller ID a Zammad-style PBX is told to show on outbound calls.
    pub cti_outbound_caller_id: Option<String>,
    /// Open311 reads (`GET requests`, `tokens`) need no API key.
    pub open311_public_reads: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "<redacted>"))
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .field("log", &self.log)
            .field("db_max_connections", &self.db_max_connections)
            .field("migrate_on_start", &self.migrate_on_start)
            .field("request_timeout", &self.request_timeout)
            .field("header_timeout", &self.header_timeout)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .finish()
    }
}

/// SQLite reads are CPU-bound and each connection keeps its own page cache
/// (and malloc arena): beyond a few per core, connections add memory, not
/// throughput. PostgreSQL connections wait on the network and the server.
fn default_pool(database_url: &str) -> u64 {
    if database_url.starts_with("sqlite:") { 8 } else { 16 }
}

/// Hides the password in `scheme://user:password@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:<redacted>{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Debug)]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads from any key → value source (the environment, or a test's map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let database_url = var("HOTLINE_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(err("HOTLINE_DATABASE_URL", "must start with sqlite: or postgres://"));
        }
        let listen = var("HOTLINE_LISTEN")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse::<SocketAddr>()
            .map_err(|e| {
                err(
                    "HOTLINE_LISTEN",
                    format!("must be host:port, like 127.0.0.1:8080 ({e})"),
                )
            })?;
        let jwt_secret = var("HOTLINE_JWT_SECRET");
        if jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err(err("HOTLINE_JWT_SECRET", "must be at least 32 characters"));
        }
        let admin_password = var("HOTLINE_ADMIN_PASSWORD");
        if let Some(p) = &admin_password {
            hotline_domain::user::check_password(p).map_err(|m| err("HOTLINE_ADMIN_PASSWORD", m))?;
        }
        let log = var("HOTLINE_LOG").unwrap_or_else(|| "info,tower_http=info,sqlx=warn,sea_orm=warn".into());
        let number = |k: &'static str, default: u64, min: u64, max: u64| -> Result<u64, ConfigError> {
            match var(k) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| err(k, format!("must be a whole number from {min} to {max}"))),
            }
        };
        let migrate_on_start = match var("HOTLINE_MIGRATE_ON_START").as_deref().map(str::trim) {
            None | Some("true" | "1" | "yes") => true,
            Some("false" | "0" | "no") => false,
            Some(_) => return Err(err("HOTLINE_MIGRATE_ON_START", "must be true or false")),
        };
        let cluster_auto_activate = match var("HOTLINE_CLUSTER_AUTO_ACTIVATE").as_deref().map(str::trim) {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(_) => return Err(err("HOTLINE_CLUSTER_AUTO_ACTIVATE", "must be true or false")),
        };
        let flag = |k: &'static str, default: bool| -> Result<bool, ConfigError> {
            match var(k).as_deref().map(str::trim) {
                None => Ok(default),
                Some("true" | "1" | "yes") => Ok(true),
                Some("false" | "0" | "no") => Ok(false),
                Some(_) => Err(err(k, "must be true or false")),
            }
        };
        let cti_outbound_caller_id = match var("HOTLINE_CTI_OUTBOUND_CALLER_ID") {
            None => None,
            Some(raw) => match hotline_domain::phone::PhoneNumber::parse(&raw) {
                Ok(Some(_)) => Some(raw.trim().to_string()),
                _ => return Err(err("HOTLINE_CTI_OUTBOUND_CALLER_ID", "must be a phone number")),
            },
        };
        let db_max_connections = number("HOTLINE_DB_MAX_CONNECTIONS", default_pool(&database_url), 1, 1000)? as u32;
        Ok(Config {
            database_url,
            listen,
            jwt_secret,
            admin_password,
            log,
            db_max_connections,
            sqlite_group_commit: flag("HOTLINE_SQLITE_GROUP_COMMIT", true)?,
            report_queries: number(
                "HOTLINE_REPORT_QUERIES",
                hotline_persistence::default_report_queries() as u64,
                1,
                1000,
            )? as usize,
            migrate_on_start,
            request_timeout: Duration::from_secs(number("HOTLINE_REQUEST_TIMEOUT_SECS", 30, 1, 3600)?),
            header_timeout: Duration::from_secs(number("HOTLINE_HEADER_TIMEOUT_SECS", 10, 1, 600)?),
            body_limit_bytes: number("HOTLINE_BODY_LIMIT_BYTES", 1024 * 1024, 1024, 256 * 1024 * 1024)? as usize,
            access_token_ttl_secs: number("HOTLINE_ACCESS_TOKEN_TTL_SECS", 900, 30, 86_400)? as i64,
            refresh_token_ttl_secs: number("HOTLINE_REFRESH_TOKEN_TTL_SECS", 14 * 86_400, 60, 365 * 86_400)? as i64,
            cluster_size: number("HOTLINE_CLUSTER_SIZE", 5, 2, 10_000)? as usize,
            cluster_window_minutes: number("HOTLINE_CLUSTER_WINDOW_MINUTES", 30, 1, 24 * 60)? as i64,
            cluster_auto_activate,
            deadline_risk_minutes: number("HOTLINE_DEADLINE_RISK_MINUTES", 30, 1, 7 * 24 * 60)? as i64,
            webhooks: flag("HOTLINE_WEBHOOKS", true)?,
            webhooks_allow_http: flag("HOTLINE_WEBHOOKS_ALLOW_HTTP", false)?,
            webhook_timeout_secs: number("HOTLINE_WEBHOOK_TIMEOUT_SECS", 10, 1, 120)?,
            webhook_secret_overlap_hours: number(
                "HOTLINE_WEBHOOK_SECRET_OVERLAP_HOURS",
                24,
                0,
                u64::from(hotline_domain::webhook::MAX_SECRET_OVERLAP_HOURS),
            )? as u32,
            service_level_seconds: number("HOTLINE_SERVICE_LEVEL_SECONDS", 20, 1, 3600)? as u32,
            event_retention_hours: number("HOTLINE_EVENT_RETENTION_HOURS", 168, 1, 24 * 366)? as i64,
            auth_cache: Duration::from_secs(number("HOTLINE_AUTH_CACHE_SECS", 5, 0, 300)?),
            cti_outbound_caller_id,
            open311_public_reads: flag("HOTLINE_OPEN311_PUBLIC_READS", true)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_on_sqlite_locally() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.migrate_on_start);
        assert_eq!(c.deadline_risk_minutes, 30);
        assert_eq!(c.db_max_connections, 8);
        let pg = with(&[("HOTLINE_DATABASE_URL", "postgres://h/db")]).unwrap();
        assert_eq!(pg.db_max_connections, 16);
        assert_eq!(c.cti_outbound_caller_id, None);
        let caller = with(&[("HOTLINE_CTI_OUTBOUND_CALLER_ID", " 19001006 ")]).unwrap();
        assert_eq!(caller.cti_outbound_caller_id.as_deref(), Some("19001006"));
    }

    #[test]
    fn wrong_values_name_the_variable() {
        for (k, v) in [
            ("HOTLINE_LISTEN", "localhost"),
            ("HOTLINE_DATABASE_URL", "mysql://x"),
            ("HOTLINE_JWT_SECRET", "short"),
            ("HOTLINE_ADMIN_PASSWORD", "123"),
            ("HOTLINE_DB_MAX_CONNECTIONS", "0"),
            ("HOTLINE_MIGRATE_ON_START", "maybe"),
            ("HOTLINE_DEADLINE_RISK_MINUTES", "0"),
            ("HOTLINE_WEBHOOKS", "maybe"),
            ("HOTLINE_SQLITE_GROUP_COMMIT", "maybe"),
            ("HOTLINE_REPORT_QUERIES", "0"),
            ("HOTLINE_WEBHOOK_TIMEOUT_SECS", "0"),
            ("HOTLINE_CTI_OUTBOUND_CALLER_ID", "call us"),
        ] {
            let e = with(&[(k, v)]).unwrap_err();
            assert_eq!(e.variable, k);
        }
    }

    #[test]
    fn secrets_are_redacted() {
        let c = with(&[
            ("HOTLINE_DATABASE_URL", "postgres://hotline:s3cret@db/hotline"),
            ("HOTLINE_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret") && !shown.contains("0123456789abcdef"));
        assert!(shown.contains("postgres://hotline:<redacted>@db/hotline"));
    }
}
