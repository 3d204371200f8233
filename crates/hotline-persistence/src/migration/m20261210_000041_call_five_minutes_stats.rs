//! The calls summarised by five local minutes, for today and yesterday:
//! what no whole hour covers (the current hour so far, a partial first or
//! last hour) is read from it, and only the current five minutes counted
//! from the calls. Keyed by `five_minutes` (YYYYMMDDHHMM, the slot's first
//! minute).

use sea_orm_migration::prelude::*;

use super::slot_summary::{self, SlotSummary};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FIVE_MINUTES: SlotSummary = SlotSummary {
    stats: "call_five_minutes_stats",
    summary: "call_five_minutes_summary",
    dirty: "call_five_minutes_dirty",
    key: "five_minutes",
    from: "from_five_minutes",
    through: "through_five_minutes",
    index: "call_five_minutes_stats_idx",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        slot_summary::create(m, &FIVE_MINUTES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        slot_summary::drop(m, &FIVE_MINUTES).await
    }
}
