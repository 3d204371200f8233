//! Units, areas and teams.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::org::{Area, Member, NodeFilter, Shift, Team, TeamFilter, TreeWrite, Unit};

/// Storage for units, areas and teams.
#[async_trait]
pub trait OrgStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the code is taken.
    async fn create_unit(&self, unit: &Unit, audit: &AuditEntry) -> StoreResult<()>;
    async fn get_unit(&self, code: &str) -> StoreResult<Option<Unit>>;
    /// Units in code order after `after`, at most `limit`.
    async fn list_units(&self, filter: &NodeFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Unit>>;
    /// Units with these codes (unknown ones are left out).
    async fn units_by_code(&self, codes: &[String]) -> StoreResult<Vec<Unit>>;
    async fn all_units(&self) -> StoreResult<Vec<Unit>>;
    /// Stores `unit` if the stored version is still `expected_version`, and
    /// when its path changed rewrites its descendants' paths, in one
    /// transaction; false when someone changed it first.
    async fn update_unit(
        &self,
        unit: &Unit,
        expected_version: i64,
        old_path: &str,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// Applies an import's writes in one transaction; false (nothing written)
    /// when a replaced unit changed meanwhile.
    async fn write_units(&self, writes: &[TreeWrite<Unit>]) -> StoreResult<bool>;

    async fn create_area(&self, area: &Area, audit: &AuditEntry) -> StoreResult<()>;
    async fn get_area(&self, code: &str) -> StoreResult<Option<Area>>;
    async fn list_areas(&self, filter: &NodeFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Area>>;
    async fn areas_by_code(&self, codes: &[String]) -> StoreResult<Vec<Area>>;
    async fn all_areas(&self) -> StoreResult<Vec<Area>>;
    async fn update_area(
        &self,
        area: &Area,
        expected_version: i64,
        old_path: &str,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    async fn write_areas(&self, writes: &[TreeWrite<Area>]) -> StoreResult<bool>;

    async fn create_team(&self, team: &Team, audit: &AuditEntry) -> StoreResult<()>;
    async fn get_team(&self, code: &str) -> StoreResult<Option<Team>>;
    async fn list_teams(&self, filter: &TeamFilter, after: Option<&str>, limit: u64) -> StoreResult<Vec<Team>>;
    async fn update_team(&self, team: &Team, expected_version: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// Users whose team is this one.
    async fn team_members(&self, code: &str) -> StoreResult<Vec<Member>>;
    /// Replaces the team's roster.
    async fn replace_shifts(&self, code: &str, shifts: &[Shift], audit: &AuditEntry) -> StoreResult<()>;
    /// Shifts overlapping `[from, to)`, earliest first.
    async fn shifts(&self, code: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Shift>>;
    /// Teams serving any area of `area_ancestry` (an area code first, then its
    /// parent, …), as the routing engine sees them at `at`.
    async fn teams_for_routing(
        &self,
        area_ancestry: &[String],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<crate::work_order::Team>>;
}
