//! Counting for reports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::report::{
    CallReportQuery, CallTally, DaySummaryRun, Gauges, Live, LiveQuery, WorkOrderReportQuery, WorkOrderTallies,
};

/// Counting for reports, done where the rows are.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// One tally per bucket and group that has calls.
    async fn call_tallies(&self, q: &CallReportQuery) -> StoreResult<Vec<CallTally>>;

    /// One tally per bucket and group with any activity, and the backlog at
    /// the first bucket's start.
    async fn work_order_tallies(&self, q: &WorkOrderReportQuery) -> StoreResult<WorkOrderTallies>;

    async fn live(&self, q: &LiveQuery) -> StoreResult<Live>;

    /// One pass of the per-day summaries' upkeep (calls, work orders) at
    /// `now`: marks the past days whose rows changed, then recomputes them
    /// and summarises the days that have ended since the last pass.
    async fn summarise_days(&self, now: DateTime<Utc>) -> StoreResult<DaySummaryRun>;

    /// The business gauges for `/metrics`, over everything.
    async fn gauges(&self, now: DateTime<Utc>) -> StoreResult<Gauges>;
}
