//! Schema migrations, one file per migration (`m<date>_<n>_<what>.rs`, run
//! in name order; the build script lists them). Never change the schema one
//! that has shipped builds: add a new one. Their code shares the helpers of
//! [`tables`], [`indexes`] and [`columns`].

use sea_orm_migration::prelude::*;

mod columns;
mod indexes;
mod slot_summary;
mod tables;

// The migration modules and `all()`, listed from this folder's files by
// the build script: a new migration is its file alone.
include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names recorded in `seaql_migrations` are the file names: a
    /// database migrated by an earlier build finds its rows again.
    #[test]
    fn migrations_run_in_file_name_order_under_their_file_names() {
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        assert_eq!(names.first().map(String::as_str), Some("m20261122_000001_initial"));
        assert!(names.contains(&"m20261204_000016_cti_compat".to_string()), "{names:?}");
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/migration"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("m2"))
            .count();
        assert_eq!(names.len(), files);
    }
}
