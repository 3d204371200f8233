//! Where each kind of tree node is stored, and what a kind checks beyond
//! the tree's own rules: an area's unit must exist.

use hotline_domain::audit::AuditEntry;
use hotline_domain::org::{Area, NodeFilter, OrgStore, TreeNode, TreeWrite, Unit};
use hotline_domain::ports::{Store, StoreResult};

use crate::AppResult;
use crate::placement::known_unit;

/// A kind of tree node with its storage in the [`OrgStore`].
pub trait TreeKind: TreeNode {
    fn get(org: &dyn OrgStore, code: &str) -> impl Future<Output = StoreResult<Option<Self>>> + Send;
    /// Nodes with these codes (unknown ones are left out).
    fn by_codes(org: &dyn OrgStore, codes: &[String]) -> impl Future<Output = StoreResult<Vec<Self>>> + Send;
    /// Nodes in code order after `after`, at most `limit`.
    fn list(
        org: &dyn OrgStore,
        filter: &NodeFilter,
        after: Option<&str>,
        limit: u64,
    ) -> impl Future<Output = StoreResult<Vec<Self>>> + Send;
    /// Fails with `StoreError::Duplicate` when the code is taken.
    fn insert(org: &dyn OrgStore, node: &Self, audit: &AuditEntry) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stores `node` over `expected_version`, moving its descendants along
    /// from `old_path`; false when someone changed it first.
    fn update(
        org: &dyn OrgStore,
        node: &Self,
        expected_version: i64,
        old_path: &str,
        audit: &AuditEntry,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// The whole tree, for an import.
    fn all(org: &dyn OrgStore) -> impl Future<Output = StoreResult<Vec<Self>>> + Send;
    /// An import's writes in one transaction; false (nothing written) when a
    /// replaced node changed meanwhile.
    fn write(org: &dyn OrgStore, writes: &[TreeWrite<Self>]) -> impl Future<Output = StoreResult<bool>> + Send;

    /// This kind's own checks of a new node (`before` is None) or of a
    /// changed one, once the node itself is valid and before it is placed.
    fn check(_store: &dyn Store, _next: &Self, _before: Option<&Self>) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

/// The storage calls of one kind, by the names the [`OrgStore`] gives them.
macro_rules! stored_in {
    ($get:ident, $by_codes:ident, $list:ident, $insert:ident, $update:ident, $all:ident, $write:ident) => {
        async fn get(org: &dyn OrgStore, code: &str) -> StoreResult<Option<Self>> {
            org.$get(code).await
        }
        async fn by_codes(org: &dyn OrgStore, codes: &[String]) -> StoreResult<Vec<Self>> {
            org.$by_codes(codes).await
        }
        async fn list(
            org: &dyn OrgStore,
            filter: &NodeFilter,
            after: Option<&str>,
            limit: u64,
        ) -> StoreResult<Vec<Self>> {
            org.$list(filter, after, limit).await
        }
        async fn insert(org: &dyn OrgStore, node: &Self, audit: &AuditEntry) -> StoreResult<()> {
            org.$insert(node, audit).await
        }
        async fn update(
            org: &dyn OrgStore,
            node: &Self,
            expected_version: i64,
            old_path: &str,
            audit: &AuditEntry,
        ) -> StoreResult<bool> {
            org.$update(node, expected_version, old_path, audit).await
        }
        async fn all(org: &dyn OrgStore) -> StoreResult<Vec<Self>> {
            org.$all().await
        }
        async fn write(org: &dyn OrgStore, writes: &[TreeWrite<Self>]) -> StoreResult<bool> {
            org.$write(writes).await
        }
    };
}

impl TreeKind for Unit {
    stored_in!(
        get_unit,
        units_by_code,
        list_units,
        create_unit,
        update_unit,
        all_units,
        write_units
    );
}

impl TreeKind for Area {
    stored_in!(
        get_area,
        areas_by_code,
        list_areas,
        create_area,
        update_area,
        all_areas,
        write_areas
    );

    /// The unit serving the area must exist, when it is added and whenever
    /// a change names another one.
    async fn check(store: &dyn Store, next: &Area, before: Option<&Area>) -> AppResult<()> {
        if before.is_none_or(|b| b.unit_code != next.unit_code) {
            known_unit(store, "unit_code", next.unit_code.as_deref()).await?;
        }
        Ok(())
    }
}
