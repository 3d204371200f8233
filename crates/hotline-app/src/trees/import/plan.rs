//! Placing the file's nodes among the stored ones: what to write, and which
//! lines fail because their parent is missing or leads back to them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use hotline_domain::audit::{self, AuditEntry};
use hotline_domain::org::tree::{self, Unplaced};
use hotline_domain::org::{TreeNode, TreeWrite};
use hotline_domain::principal::Principal;

use crate::import::ImportReport;

/// Places the file's nodes among the stored ones and works out what to
/// write. Fills the report's counts and line errors.
pub(super) fn plan<N: TreeNode>(
    stored: Vec<N>,
    lines: Vec<(u64, N)>,
    actor: &Principal,
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> Vec<TreeWrite<N>> {
    let stored: HashMap<String, N> = stored.into_iter().map(|n| (n.code().to_string(), n)).collect();
    let mut failed: HashMap<String, Unplaced> = HashMap::new();
    let mut placed;
    loop {
        let mut merged: HashMap<String, Option<String>> = stored
            .iter()
            .map(|(c, n)| (c.clone(), n.parent().map(str::to_string)))
            .collect();
        for (_, n) in &lines {
            if !failed.contains_key(n.code()) {
                merged.insert(n.code().to_string(), n.parent().map(str::to_string));
            }
        }
        let (p, f) = tree::place_all(&merged);
        placed = p;
        let incoming: HashSet<&str> = lines.iter().map(|(_, n)| n.code()).collect();
        let new_failures: Vec<(String, Unplaced)> = f
            .into_iter()
            .filter(|(c, _)| incoming.contains(c.as_str()) && !failed.contains_key(c))
            .collect();
        if new_failures.is_empty() {
            break;
        }
        failed.extend(new_failures);
    }

    // Lines in file order against the state each one finds.
    let mut current: HashMap<String, N> = stored.clone();
    for (line, n) in lines {
        if let Some(why) = failed.get(n.code()) {
            let message = match why {
                Unplaced::UnknownParent(p) => {
                    format!("there is no {} {p}, neither stored nor in the file", N::ENTITY)
                }
                Unplaced::Cycle => "its parents lead back to it".to_string(),
            };
            report.fail(line, [("parent_code".to_string(), message)]);
            continue;
        }
        let path = placed.get(n.code()).cloned().unwrap_or_default();
        let n = n.with_path(path);
        match current.get(n.code()) {
            Some(c) if c.same_content(&n) => report.unchanged += 1,
            Some(c) => {
                let next = n.replacing(c, now);
                current.insert(next.code().to_string(), next);
                report.updated += 1;
            }
            None => {
                current.insert(n.code().to_string(), n);
                report.created += 1;
            }
        }
    }

    // Every node whose row differs from the stored one, with its final path.
    let mut writes = Vec::new();
    let mut codes: Vec<&String> = current.keys().collect();
    codes.sort_unstable();
    for code in codes {
        let mut node = current[code].clone();
        let Some(path) = placed.get(code) else { continue };
        node = node.with_path(path.clone());
        match stored.get(code) {
            None => writes.push(TreeWrite {
                audit: AuditEntry::new(N::ENTITY, node.id(), "create", actor, now, node.audit_view()),
                node,
                expected_version: None,
            }),
            Some(before) if before.same_content(&node) && before.path() == node.path() => {}
            Some(before) => {
                if node.version() == before.version() {
                    // Only its path moved, with an ancestor.
                    node = node.replacing(before, now);
                }
                writes.push(TreeWrite {
                    audit: AuditEntry::new(
                        N::ENTITY,
                        node.id(),
                        "update",
                        actor,
                        now,
                        audit::diff(&before.audit_view(), &node.audit_view()),
                    ),
                    expected_version: Some(before.version()),
                    node,
                })
            }
        }
    }
    writes
}
