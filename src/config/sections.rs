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
        } = &self.connect;
        f.debug_struct("DbSettings")
            .field("url", &redact_url(url))
            .field("max_connections", max_connections)
            .field("acquire_timeout", acquire_timeout)
            .field("group_commit", group_commit)
            .field("report_queries", report_queries)
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

/// What the use cases are told: outage clustering, webhooks, reports, CTI,
/// Open311.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseCases {
    /// Outage clustering: this many outage work orders opened in one area…
    pub cluster_size: usize,
    /// …within this many minutes, attached to nothing, propose an incident…
    pub cluster_window_minutes: i64,
    /// …or open it as active right away.
    pub cluster_auto_activate: bool,
    /// Webhook URLs may use plain http to any host, not only loopback.
    pub webhooks_allow_http: bool,
    /// After a secret rotation, hours the replaced secret still signs beside
    /// the new one (0: it stops at once).
    pub webhook_secret_overlap_hours: u32,
    /// Reports: a call answered within this many seconds meets the service level.
    pub service_level_seconds: u32,
    /// The caller ID a Zammad-style PBX is told to show on outbound calls.
    pub cti_outbound_caller_id: Option<String>,
    /// Open311 reads (`GET requests`, `tokens`) need no API key.
    pub open311_public_reads: bool,
}

impl UseCases {
    /// `api` with these settings, which the use cases still read from the
    /// HTTP crate's configuration.
    pub fn apply_to(&self, api: HttpConfig) -> HttpConfig {
        HttpConfig {
            cluster_size: self.cluster_size,
            cluster_window_minutes: self.cluster_window_minutes,
            cluster_auto_activate: self.cluster_auto_activate,
            webhooks_allow_http: self.webhooks_allow_http,
            webhook_secret_overlap_hours: self.webhook_secret_overlap_hours,
            service_level_seconds: self.service_level_seconds,
            cti_outbound_caller_id: self.cti_outbound_caller_id.clone(),
            open311_public_reads: self.open311_public_reads,
            ..api
        }
    }
}
