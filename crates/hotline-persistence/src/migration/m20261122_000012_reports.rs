//! Indexes for the reports: each figure is an index range over the instant
//! it is bucketed by (work orders resolved, acknowledged, cancelled;
//! feedback given), covering the columns the figure needs, and the call
//! report reads every column it needs from one index in `started_at` order
//! instead of visiting each row.

use sea_orm_migration::prelude::*;

use super::indexes::{IndexDef, create_indexes, drop_indexes};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [IndexDef; 6] = [
    (
        "work_orders",
        "work_orders_resolved_idx",
        &["resolved_at", "created_at", "resolution_due"],
    ),
    (
        "work_orders",
        "work_orders_acknowledged_idx",
        &["acknowledged_at", "response_due"],
    ),
    // The backlog where a range starts: open ones by status, cancelled ones
    // by their last change.
    (
        "work_orders",
        "work_orders_status_created_idx",
        &["status", "created_at"],
    ),
    (
        "work_orders",
        "work_orders_status_updated_idx",
        &["status", "updated_at"],
    ),
    ("work_order_feedback", "work_order_feedback_given_idx", &["given_at"]),
    (
        "calls",
        "calls_report_idx",
        &[
            "started_at",
            "direction",
            "answered_at",
            "ended_at",
            "outcome",
            "customer_code",
            "category",
            "queue",
            "agent",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(m, &INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, &INDEXES).await
    }
}
