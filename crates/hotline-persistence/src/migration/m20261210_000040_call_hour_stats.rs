//! The calls summarised by the local hour, for the last days only: the
//! report reads today's (and a recent day's partial) whole past hours from
//! it instead of counting every call of today. Keyed by `hour`
//! (YYYYMMDDHH); `from_hour` is the first hour still kept.

use sea_orm_migration::prelude::*;

use super::slot_summary::{self, SlotSummary};

#[derive(DeriveMigrationName)]
pub struct Migration;

const HOURS: SlotSummary = SlotSummary {
    stats: "call_hour_stats",
    summary: "call_hour_summary",
    dirty: "call_hour_dirty",
    key: "hour",
    from: "from_hour",
    through: "through_hour",
    index: "call_hour_stats_hour_idx",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        slot_summary::create(m, &HOURS).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        slot_summary::drop(m, &HOURS).await
    }
}
