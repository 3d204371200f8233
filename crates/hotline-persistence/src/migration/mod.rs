//! Schema migrations, one file per migration. Never edit one that has
//! shipped: add a new one.

use sea_orm_migration::prelude::*;

mod m20261122_000001_initial;
mod m20261122_000002_directory_and_cti;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_initial::Migration),
            Box::new(m20261122_000002_directory_and_cti::Migration),
        ]
    }
}
