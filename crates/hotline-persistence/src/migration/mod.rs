//! Schema migrations, one file per migration. Never change the schema one
//! that has shipped builds: add a new one. Their code shares the helpers of
//! [`tables`], [`indexes`] and [`columns`].

use sea_orm_migration::prelude::*;

mod columns;
mod indexes;
mod tables;

mod m20261122_000001_initial;
mod m20261122_000002_directory_and_cti;
mod m20261122_000003_organisation;
mod m20261122_000004_calendars_and_sla;
mod m20261122_000005_work_orders;
mod m20261122_000006_routing;
mod m20261122_000007_incidents;
mod m20261122_000008_feedback;
mod m20261122_000009_outbox;
mod m20261122_000010_event_log;
mod m20261122_000011_webhooks;
mod m20261122_000012_reports;
mod m20261122_000013_work_order_source;
mod m20261122_000014_call_day_stats;
mod m20261204_000015_unit_ownership;
mod m20261204_000016_cti_compat;
mod m20261204_000019_secret_overlap_and_default_routing;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_initial::Migration),
            Box::new(m20261122_000002_directory_and_cti::Migration),
            Box::new(m20261122_000003_organisation::Migration),
            Box::new(m20261122_000004_calendars_and_sla::Migration),
            Box::new(m20261122_000005_work_orders::Migration),
            Box::new(m20261122_000006_routing::Migration),
            Box::new(m20261122_000007_incidents::Migration),
            Box::new(m20261122_000008_feedback::Migration),
            Box::new(m20261122_000009_outbox::Migration),
            Box::new(m20261122_000010_event_log::Migration),
            Box::new(m20261122_000011_webhooks::Migration),
            Box::new(m20261122_000012_reports::Migration),
            Box::new(m20261122_000013_work_order_source::Migration),
            Box::new(m20261122_000014_call_day_stats::Migration),
            Box::new(m20261204_000015_unit_ownership::Migration),
            Box::new(m20261204_000016_cti_compat::Migration),
            Box::new(m20261204_000019_secret_overlap_and_default_routing::Migration),
        ]
    }
}
