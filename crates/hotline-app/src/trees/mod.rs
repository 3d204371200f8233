//! Units and areas as trees, written once over [`TreeKind`]: adding a node
//! under an existing parent, reading one with its ancestors and children,
//! listing, and renaming or moving one (never below itself).

pub mod import;
mod kinds;

use hotline_domain::audit::{self, AuditEntry};
use hotline_domain::org::{NodeFilter, NodeInput, NodePatch, tree};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};

pub use kinds::TreeKind;

use crate::versions;
use crate::{App, AppResult};

/// Children listed on a node's page.
pub const MAX_CHILDREN: u64 = 1000;

/// A node's surroundings on its page.
#[derive(Debug, Clone)]
pub struct Family<K> {
    /// Parent first, up to the root.
    pub ancestors: Vec<K>,
    /// Direct children in code order, at most [`MAX_CHILDREN`].
    pub children: Vec<K>,
}

/// The node `code`, or not found.
pub async fn get<K: TreeKind>(app: &App, code: &str) -> AppResult<K> {
    K::get(app.store.org(), code)
        .await?
        .ok_or(DomainError::NotFound(K::ENTITY))
}

/// The path of the node `code` (for a subtree filter); None when there is
/// no such node.
pub async fn path_of<K: TreeKind>(app: &App, code: &str) -> AppResult<Option<String>> {
    Ok(K::get(app.store.org(), code).await?.map(|n| n.path().to_string()))
}

/// Nodes in code order after `after`, at most `limit`.
pub async fn list<K: TreeKind>(app: &App, filter: &NodeFilter, after: Option<&str>, limit: u64) -> AppResult<Vec<K>> {
    Ok(K::list(app.store.org(), filter, after, limit).await?)
}

/// The node's ancestors (parent first) and direct children.
pub async fn family<K: TreeKind>(app: &App, node: &K) -> AppResult<Family<K>> {
    let codes = tree::ancestors(node.path());
    let found = K::by_codes(app.store.org(), &codes).await?;
    let ancestors = codes
        .iter()
        .filter_map(|c| found.iter().find(|a| a.code() == c))
        .cloned()
        .collect();
    let filter = NodeFilter {
        parent: Some(node.code().to_string()),
        ..Default::default()
    };
    let children = K::list(app.store.org(), &filter, None, MAX_CHILDREN).await?;
    Ok(Family { ancestors, children })
}

/// The parent's path, or a 422 naming `parent_code` when there is no such node.
async fn parent_path<K: TreeKind>(app: &App, parent: Option<&str>) -> AppResult<Option<String>> {
    let Some(code) = parent else { return Ok(None) };
    match K::get(app.store.org(), code).await? {
        Some(p) => Ok(Some(p.path().to_string())),
        None => Err(DomainError::invalid(
            "parent_code",
            format!("there is no {} {code}", K::ENTITY),
        )),
    }
}

/// Adds a node under an existing parent (or as a root); a taken code is a
/// conflict.
pub async fn create<K: TreeKind>(app: &App, who: &Principal, input: NodeInput) -> AppResult<K> {
    let now = app.now();
    let node = K::create(input, now)?;
    K::check(app.store.as_ref(), &node, None).await?;
    let parent = parent_path::<K>(app, node.parent()).await?;
    let node = node.placed(parent.as_deref());
    let entry = AuditEntry::new(K::ENTITY, node.id(), "create", who, now, node.audit_view());
    match K::insert(app.store.org(), &node, &entry).await {
        Ok(()) => Ok(node),
        Err(StoreError::Duplicate(_)) => Err(DomainError::Conflict(format!(
            "{} {} {} already exists",
            K::ARTICLE,
            K::ENTITY,
            node.code()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Renames, reclassifies or moves the node `code`, if it is still at
/// `expected_version` (None for any). A move takes everything below it
/// along; a move below itself is refused (422 naming `parent_code`).
pub async fn update<K: TreeKind>(
    app: &App,
    who: &Principal,
    code: &str,
    expected_version: Option<i64>,
    patch: NodePatch,
) -> AppResult<K> {
    let current = get::<K>(app, code).await?;
    versions::check(expected_version, current.version())?;
    let now = app.now();
    let mut next = current.patched(patch, now)?;
    K::check(app.store.as_ref(), &next, Some(&current)).await?;
    if next.parent() != current.parent() {
        let parent = parent_path::<K>(app, next.parent()).await?;
        if parent.as_deref().is_some_and(|p| tree::would_cycle(current.path(), p)) {
            return Err(DomainError::invalid(
                "parent_code",
                format!(
                    "{} is below {}; {} {} cannot move below itself",
                    next.parent().unwrap_or_default(),
                    current.code(),
                    K::ARTICLE,
                    K::ENTITY
                ),
            ));
        }
        next = next.placed(parent.as_deref());
    }
    let changes = audit::diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new(K::ENTITY, current.id(), "update", who, now, changes);
    versions::stored(K::update(app.store.org(), &next, current.version(), current.path(), &entry).await?)?;
    Ok(next)
}
