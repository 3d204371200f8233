//! Reports, counted in SQL where the rows are: the database returns one
//! small row per bucket and group, never the calls or work orders themselves.

mod call_days;
mod calls;
mod day_stats;
mod day_upkeep;
mod live;
mod sql;
mod work_order_days;
mod work_orders;

pub use calls::FLOOD;
pub(crate) use work_order_days::note_moves;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::ports::StoreResult;
use hotline_domain::report::{
    CallReportQuery, CallTally, DaySummaryRun, Gauges, Live, LiveQuery, ReportStore, WorkOrderReportQuery,
    WorkOrderTallies,
};

use crate::Db;

#[async_trait]
impl ReportStore for Db {
    async fn call_tallies(&self, q: &CallReportQuery) -> StoreResult<Vec<CallTally>> {
        calls::tallies(self, q).await
    }

    async fn work_order_tallies(&self, q: &WorkOrderReportQuery) -> StoreResult<WorkOrderTallies> {
        work_orders::tallies(self, q).await
    }

    async fn live(&self, q: &LiveQuery) -> StoreResult<Live> {
        live::live(self, q).await
    }

    async fn summarise_days(&self, now: DateTime<Utc>) -> StoreResult<DaySummaryRun> {
        let days = day_upkeep::upkeep::<call_days::CallDays>(self, now).await?;
        let hours = day_upkeep::upkeep::<call_days::CallHours>(self, now).await?;
        let fives = day_upkeep::upkeep::<call_days::CallFiveMinutes>(self, now).await?;
        let work_orders = day_upkeep::upkeep::<work_order_days::WorkOrderDays>(self, now).await?;
        Ok(days.plus(hours).plus(fives).plus(work_orders))
    }

    async fn gauges(&self, now: DateTime<Utc>) -> StoreResult<Gauges> {
        live::gauges(self, now).await
    }
}
