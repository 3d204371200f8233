//! Schema migrations, one file per migration. Never edit one that has
//! shipped: add a new one.

use sea_orm_migration::prelude::*;

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

/// A plain index on `cols`, named so that it can be dropped later.
fn index(table: &'static str, name: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

/// Adds `columns` to `table`, one `ALTER TABLE` each (all SQLite takes).
async fn add_columns(m: &SchemaManager<'_>, table: &'static str, columns: Vec<ColumnDef>) -> Result<(), DbErr> {
    for mut column in columns {
        m.alter_table(Table::alter().table(table).add_column(&mut column).to_owned())
            .await?;
    }
    Ok(())
}

/// Drops `columns` from `table`, one `ALTER TABLE` each.
async fn drop_columns(m: &SchemaManager<'_>, table: &'static str, columns: &[&'static str]) -> Result<(), DbErr> {
    for column in columns {
        m.alter_table(Table::alter().table(table).drop_column(*column).to_owned())
            .await?;
    }
    Ok(())
}

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
