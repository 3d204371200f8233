//! The wallboard: what is happening now.

use chrono::{DateTime, TimeDelta, Utc};

use super::ReportScope;
use super::bucket::{Span, local_day};
use crate::work_order::Status;

/// A call still ringing or talking after this long lost its hang-up event;
/// the wallboard leaves it out rather than show a wait of days.
pub const LIVE_WINDOW: TimeDelta = TimeDelta::hours(6);

/// Work orders due within this are "due soon" on the wallboard.
pub const DUE_SOON: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, Clone)]
pub struct LiveQuery {
    pub now: DateTime<Utc>,
    /// The local day so far.
    pub today: Span,
    /// Calls started before this are not live any more.
    pub live_since: DateTime<Utc>,
    pub due_soon_until: DateTime<Utc>,
    pub scope: ReportScope,
}

impl LiveQuery {
    pub fn new(now: DateTime<Utc>, scope: ReportScope) -> Self {
        LiveQuery {
            now,
            today: local_day(now),
            live_since: now - LIVE_WINDOW,
            due_soon_until: now + DUE_SOON,
            scope,
        }
    }
}

/// Today's inbound calls so far, with the report's definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCalls {
    pub offered: u64,
    pub answered: u64,
    pub missed: u64,
    pub abandoned: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live {
    pub as_of: Option<DateTime<Utc>>,
    /// Inbound calls ringing (not answered, not ended) right now.
    pub calls_ringing: u64,
    /// Calls answered and not yet ended.
    pub calls_in_progress: u64,
    /// How long the longest-ringing call has waited so far, whole seconds.
    pub longest_wait_seconds: Option<i64>,
    pub today: DayCalls,
    /// Open work orders per status, every open status listed.
    pub work_orders_by_status: Vec<(Status, u64)>,
    /// Open work orders per team (none: not assigned to a team).
    pub work_orders_by_team: Vec<(Option<String>, u64)>,
    /// Open and past their resolution deadline.
    pub overdue: u64,
    /// Open and due within the next hour.
    pub due_within_hour: u64,
    pub active_incidents: u64,
}

/// What `/metrics` shows of the business, over everything (no scope).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gauges {
    pub calls_ringing: u64,
    pub calls_in_progress: u64,
    pub work_orders_by_status: Vec<(Status, u64)>,
    /// Open and past their resolution deadline.
    pub deadlines_breached: u64,
}

/// Every open status, with zero where the store found none.
pub fn open_statuses(found: Vec<(Status, u64)>) -> Vec<(Status, u64)> {
    Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| (*s, found.iter().find(|(f, _)| f == s).map_or(0, |(_, n)| *n)))
        .collect()
}
