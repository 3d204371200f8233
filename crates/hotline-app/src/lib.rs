//! The use cases: what the desk, the integrations, the PBXs and the
//! background workers ask of hotline, as plain async functions over the
//! domain's ports ([`hotline_domain::ports::Store`]). They return domain
//! errors; the HTTP layer maps them to problems, the workers log them.
//! No HTTP and no database here: this crate sees neither axum nor sea-orm.

pub mod api_keys;
pub mod articles;
pub mod audit;
pub mod blocked;
pub mod calendars;
pub mod call_topics;
pub mod callbacks;
pub mod calls;
pub mod clock;
pub mod clustering;
pub mod complaints;
pub mod cti;
pub mod customers;
pub mod health;
pub mod idempotency;
pub mod import;
pub mod incidents;
pub mod new_supply;
pub mod open311;
pub mod passwords;
pub mod placement;
pub mod planned_outages;
pub mod principals;
pub mod privacy;
pub mod reports;
pub mod roles;
pub mod routing;
pub mod scope;
pub mod secrets;
pub mod sessions;
pub mod sla;
pub mod stream;
pub mod surveys;
pub mod teams;
pub mod trace;
pub mod trees;
pub mod users;
pub mod versions;
pub mod webhooks;
pub mod work_orders;
pub mod workers;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::ports::Store;

pub use clock::{Clock, FixedClock, SystemClock};

/// What a use case answers.
pub type AppResult<T> = Result<T, DomainError>;

/// Settings the use cases read.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Outage clustering: this many outage work orders opened in one area…
    pub cluster_size: usize,
    /// …within this many minutes, attached to nothing, propose an incident…
    pub cluster_window_minutes: i64,
    /// …or open it as active right away.
    pub cluster_auto_activate: bool,
    /// A callback is given up at its this-many-th failed attempt.
    pub callback_max_attempts: u32,
    /// The service level: abandoned calls called back within this many
    /// minutes (also when an automatic callback falls due).
    pub callback_target_minutes: i64,
    /// The daily hours customers are called back in: the target counts
    /// only minutes inside them.
    pub callback_hours: hotline_domain::callback::CallingHours,
    /// How long each kind of personal data is kept.
    pub retention: privacy::retention::Retention,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cluster_size: 5,
            cluster_window_minutes: 30,
            cluster_auto_activate: false,
            callback_max_attempts: hotline_domain::callback::DEFAULT_MAX_ATTEMPTS,
            callback_target_minutes: 30,
            callback_hours: hotline_domain::callback::CallingHours::default(),
            retention: privacy::retention::Retention::default(),
        }
    }
}

/// The application: the storage behind every port, the clock and the
/// settings. Cheap to clone; handed to every use case.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Whether each background worker's last tick ran cleanly.
    pub workers: Arc<workers::WorkerHealth>,
    /// Where finished spans go (an OTLP exporter, when configured).
    pub spans: trace::Spans,
}

impl App {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        Self {
            store,
            clock: Arc::new(SystemClock),
            settings: Arc::new(settings),
            workers: Arc::default(),
            spans: trace::Spans::off(),
        }
    }

    /// The same application, recording spans to `spans`.
    pub fn with_spans(mut self, spans: trace::Spans) -> Self {
        self.spans = spans;
        self
    }

    /// The same application on another clock (tests fix it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The clock's time, at the precision stored (microseconds).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Codes as the text the store looks records up by.
pub fn texts<C: AsRef<str>>(codes: &[C]) -> Vec<String> {
    codes.iter().map(|c| c.as_ref().to_string()).collect()
}
pub mod accounts;
