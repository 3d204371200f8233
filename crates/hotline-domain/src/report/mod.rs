//! Reports for dashboards: calls and work orders over time, bucketed in
//! local time, and the wallboard's "now". Pure maths here; the counting is
//! the store's ([`ReportStore`]).
//!
//! # What the call figures count
//!
//! Only inbound calls count (outbound ones are agents calling back), each in
//! the bucket where it started ringing (`started_at`):
//!
//! - **offered**: every inbound call;
//! - **answered**: those with `answered_at`;
//! - **abandoned**: not answered, ended, and `outcome` `abandoned` (the
//!   caller hung up while waiting);
//! - **missed**: not answered, ended, any other outcome (missed, busy,
//!   voicemail, failed, transferred away, or none);
//! - a call still ringing is offered but none of the three yet, so
//!   `offered = answered + missed + abandoned + ringing`;
//! - **blocked**: calls from a number on the blocked list, which the PBX
//!   was told to refuse. They are in none of the counts above, nor in the
//!   waits: a refused nuisance caller was not offered to an agent.
//!
//! The **wait** is ringing to answer, or ringing to hang-up when nobody
//! answered ([`crate::call::Call::wait_seconds`]), in whole seconds; a call
//! still ringing has none. `avg_wait_seconds` and `p90_wait_seconds` (nearest
//! rank) are over the calls with a wait. `avg_talk_seconds` is answer to
//! hang-up over answered calls that ended. `answer_rate` is answered ÷
//! offered; `service_level` is the calls answered with a wait of at most the
//! threshold ÷ offered. A rate or an average of nothing is null.
//!
//! # What the work-order figures count
//!
//! - **opened**: created in the bucket; **resolved**: `resolved_at` in it;
//! - **backlog**: opened before the bucket's end and not yet resolved,
//!   closed or cancelled by then (a work order leaves the backlog at
//!   `resolved_at`, or when cancelled at its last change; a reopened one
//!   counts as open since it was opened);
//! - **response_met_rate**: of those acknowledged in the bucket that had a
//!   response deadline, the share acknowledged by it;
//! - **resolution_met_rate**: of those resolved in the bucket that had a
//!   resolution deadline, the share resolved by it;
//! - **median_resolve_seconds**: opening to resolution of those resolved in
//!   the bucket (nearest rank);
//! - **avg_feedback**: the mean score of feedback given in the bucket.
//!
//! Grouped by a work order's current category, unit, team or area.
//!
//! # Scope
//!
//! A user placed in a unit (not an admin) counts the calls of customers in
//! their unit's subtree (a call's unit and area are its customer's), and the
//! work orders in the subtree plus those not placed in a unit yet — as the
//! work-order list shows them.

pub mod bucket;
pub mod days;
pub mod figures;
pub mod live;
pub mod waits;

use chrono::{DateTime, Utc};

use crate::call::Category;
pub use crate::ports::ReportStore;
pub use bucket::{BucketSize, MAX_BUCKETS, Span, SpanError, spans};
pub use figures::{
    CallFigures, CallTally, Row, Series, WorkOrderFigures, WorkOrderTallies, WorkOrderTally, call_series,
    work_order_series,
};
pub use live::{Gauges, Live, LiveQuery};
pub use waits::{CallCounts, CallKind, SecondsHistogram, WorkOrderCounts, WorkOrderFact};

/// The default service-level threshold: answered within 20 seconds.
pub const DEFAULT_SERVICE_LEVEL_SECONDS: u32 = 20;
/// The percentile reported for waits.
pub const WAIT_PERCENTILE: u64 = 90;
/// A report may have at most this many lines (buckets × groups).
pub const MAX_ROWS: usize = 50_000;

named_enum!(
    /// What a call report is split by. A call's area and unit are its
    /// customer's.
    CallGroup {
        Category => "category",
        Queue => "queue",
        Agent => "agent",
        Area => "area",
        Unit => "unit",
    }
);

named_enum!(
    /// What a work-order report is split by.
    WorkOrderGroup {
        Category => "category",
        Unit => "unit",
        Team => "team",
        Area => "area",
    }
);

/// Whose records a report counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    /// None: everything. Some: the units of the caller's subtree.
    pub within_units: Option<crate::org::UnitScope>,
    /// Work-order categories the caller may not see (staff-conduct
    /// complaints for all but supervisors and admins).
    pub hidden_categories: Vec<Category>,
}

#[derive(Debug, Clone)]
pub struct CallReportQuery {
    pub spans: Vec<Span>,
    pub group_by: Option<CallGroup>,
    pub service_level_seconds: u32,
    pub scope: ReportScope,
    /// The local day the report is asked on: only days before it may be
    /// read from the per-day summary (the service's clock, not the
    /// database's).
    pub today: chrono::NaiveDate,
}

#[derive(Debug, Clone)]
pub struct WorkOrderReportQuery {
    pub spans: Vec<Span>,
    pub group_by: Option<WorkOrderGroup>,
    pub scope: ReportScope,
    /// As [`CallReportQuery::today`].
    pub today: chrono::NaiveDate,
}

impl WorkOrderReportQuery {
    pub fn from(&self) -> Option<DateTime<Utc>> {
        self.spans.first().map(|s| s.start)
    }
}

/// What one pass of the summaries' upkeep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySummaryRun {
    /// Past days found changed since the last pass.
    pub changed: usize,
    /// Days (re)computed.
    pub summarised: usize,
    /// Past slots shorter than a day (hours, five minutes) found changed
    /// since the last pass.
    pub slots_changed: usize,
    /// Those slots (re)computed.
    pub slots_summarised: usize,
}

impl DaySummaryRun {
    /// Both passes' counts added up.
    pub fn plus(self, other: DaySummaryRun) -> DaySummaryRun {
        DaySummaryRun {
            changed: self.changed + other.changed,
            summarised: self.summarised + other.summarised,
            slots_changed: self.slots_changed + other.slots_changed,
            slots_summarised: self.slots_summarised + other.slots_summarised,
        }
    }
}
