//! The configuration's typed sections.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use hotline_http::HttpConfig;
use hotline_persistence::DbConfig;

use super::redact::{Secret, redact_url};
use crate::workers::webhooks::WebhookSettings;

/// The listener, and what the router is given as it is.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub listen: SocketAddr,
    /// A connection must send its request line and headers within this.
    pub header_timeout: Duration,
    /// Body limit, request timeout, token lifetimes, credential cache.
    /// Until the use cases leave the HTTP crate it also carries their
    /// settings, the same values as [`super::Config::use_cases`].
    pub api: HttpConfig,
}

/// Opening and migrating the database.
#[derive(Clone)]
pub struct DbSettings {
    /// URL, pool size, SQLite group commit, report queries at once.
    pub connect: DbConfig,
    pub migrate_on_start: bool,
}

impl fmt::Debug for DbSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured, so that a new field cannot be left out here.
        let DbConfig {
            url,
            max_connections,
            acquire_timeout,
            group_commit,
            report_queries,
            reference_cache,
            search_window,
        } = &self.connect;
        f.debug_struct("DbSettings")
            .field("url", &redact_url(url))
            .field("max_connections", max_connections)
            .field("acquire_timeout", acquire_timeout)
            .field("group_commit", group_commit)
            .field("report_queries", report_queries)
            .field("reference_cache", reference_cache)
            .field("search_window", search_window)
            .field("migrate_on_start", &self.migrate_on_start)
            .finish()
    }
}

/// The background workers that run beside the API.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// A work order this close to its resolution deadline is reported at risk.
    pub deadline_risk: chrono::Duration,
    /// Events are kept this long: the live stream's resume window.
    pub event_retention: chrono::Duration,
    /// The webhook worker's settings, when it runs in this replica.
    pub webhooks: Option<WebhookSettings>,
}

/// Token signing and the first administrator.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Signs access tokens; without it one is generated and kept in the database.
    pub jwt_secret: Option<Secret>,
    /// The password of `admin`, created on first start.
    pub admin_password: Option<Secret>,
}
