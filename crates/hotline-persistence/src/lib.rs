//! Storage for hotline: sea-orm entities, migrations, and the domain's ports
//! implemented over SQLite or PostgreSQL. Everything returned is a domain
//! type; entities stay inside this crate.

pub mod backup;
mod bulk;
mod connect;
mod entities;
mod errors;
mod footprint;
mod group_commit;
mod inserts;
mod maintenance;
pub mod migration;
mod numbering;
pub mod packed;
pub mod partitions;
mod pg_group;
mod ref_cache;
mod signal;
mod stores;

pub use connect::{Db, DbConfig, default_report_queries};
pub use footprint::RelationSize;
/// Calls changed since the report summaries' upkeep last looked beyond which
/// a report counts today from the calls (see the README's reports).
pub use stores::reports::FLOOD as REPORT_FLOOD;
mod read_log;
