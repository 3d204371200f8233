//! Materialised paths for the unit and area trees.
//!
//! Every node stores the codes from the root down to itself, each followed by
//! `/` (`/EVNSPC/PB03/PC15/`), so "this node and everything below" is one
//! prefix query and a node's ancestors are read off its own path. Codes never
//! contain `/` (see [`crate::customer::check_code`]).

use std::collections::{HashMap, HashSet};

/// The path of `code` under a parent with `parent_path` (or at the root).
pub fn path_of(parent_path: Option<&str>, code: &str) -> String {
    format!("{}{code}/", parent_path.unwrap_or("/"))
}

/// The codes on a path, root first, the node itself last.
pub fn codes_on(path: &str) -> Vec<String> {
    path.split('/').filter(|c| !c.is_empty()).map(str::to_string).collect()
}

/// The ancestors' codes, nearest first (parent, grandparent, …, root).
pub fn ancestors(path: &str) -> Vec<String> {
    let mut codes = codes_on(path);
    codes.pop();
    codes.reverse();
    codes
}

/// The node itself, then its ancestors nearest first: the order routing
/// walks an area's ancestry.
pub fn ancestry(path: &str) -> Vec<String> {
    let mut codes = codes_on(path);
    codes.reverse();
    codes
}

/// Whether the node at `path` is the node at `root` or below it.
pub fn is_within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// Whether the node at `path` is a root (it has no parent).
pub fn is_root(path: &str) -> bool {
    codes_on(path).len() == 1
}

/// The code of the deepest node that is at or above every one of `paths`:
/// the one unit that serves several areas owned by units side by side.
/// None when `paths` is empty or they lie in different trees.
pub fn common_ancestor<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<String>> = None;
    for path in paths {
        let codes = codes_on(path);
        common = Some(match common {
            None => codes,
            Some(c) => c
                .into_iter()
                .zip(codes)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.and_then(|mut c| c.pop())
}

/// Moving the node at `path` under the parent at `new_parent_path` would put
/// it below itself.
pub fn would_cycle(path: &str, new_parent_path: &str) -> bool {
    is_within(new_parent_path, path)
}

/// A descendant's path after its ancestor at `old_root` moved to `new_root`.
pub fn rebased(path: &str, old_root: &str, new_root: &str) -> Option<String> {
    path.strip_prefix(old_root).map(|rest| format!("{new_root}{rest}"))
}

/// Why a node of an import could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unplaced {
    /// Its parent is neither stored nor (validly) in the file.
    UnknownParent(String),
    /// Following parents leads back to the node.
    Cycle,
}

/// Paths for a whole tree given each node's parent: stored nodes merged with
/// imported ones (an imported code replaces the stored one), in any order,
/// so a child may come before its parent. Nodes that cannot be placed are
/// reported and left out, and so are nodes below them.
pub fn place_all(parents: &HashMap<String, Option<String>>) -> (HashMap<String, String>, HashMap<String, Unplaced>) {
    let mut placed: HashMap<String, String> = HashMap::with_capacity(parents.len());
    let mut failed: HashMap<String, Unplaced> = HashMap::new();
    for start in parents.keys() {
        if placed.contains_key(start) || failed.contains_key(start) {
            continue;
        }
        // Walk up until a placed node, the root, a failure or a repeat.
        let mut chain: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut cur: &str = start;
        let outcome: Result<String, Unplaced> = loop {
            if let Some(p) = placed.get(cur) {
                break Ok(p.clone());
            }
            if let Some(f) = failed.get(cur) {
                break Err(f.clone());
            }
            if !seen.insert(cur) {
                break Err(Unplaced::Cycle);
            }
            chain.push(cur);
            match parents.get(cur) {
                None => {
                    chain.pop();
                    break Err(Unplaced::UnknownParent(cur.to_string()));
                }
                Some(None) => break Ok("/".to_string()),
                Some(Some(parent)) => cur = parent,
            }
        };
        match outcome {
            Ok(mut base) => {
                // `base` is the path of the node above the chain's top; the
                // root marker "/" when the top has no parent.
                for code in chain.iter().rev() {
                    base = if base == "/" {
                        path_of(None, code)
                    } else {
                        path_of(Some(&base), code)
                    };
                    placed.insert((*code).to_string(), base.clone());
                }
            }
            Err(e) => {
                for code in chain {
                    failed.insert(code.to_string(), e.clone());
                }
            }
        }
    }
    (placed, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_common_ancestors() {
        assert!(is_root("/EVNSPC/"));
        assert!(!is_root("/EVNSPC/PB03/"));
        let cm = "/EVNSPC/PB03/PC15/";
        let ct = "/EVNSPC/PB03/PC16/";
        let vl = "/EVNSPC/PB07/";
        assert_eq!(common_ancestor([cm]).as_deref(), Some("PC15"));
        assert_eq!(common_ancestor([cm, cm]).as_deref(), Some("PC15"));
        assert_eq!(common_ancestor([cm, ct]).as_deref(), Some("PB03"));
        assert_eq!(common_ancestor([cm, ct, vl]).as_deref(), Some("EVNSPC"));
        assert_eq!(common_ancestor(["/PB03/", "/PB07/"]), None);
        assert_eq!(common_ancestor([] as [&str; 0]), None);
    }

    #[test]
    fn path_maths() {
        let root = path_of(None, "EVNSPC");
        assert_eq!(root, "/EVNSPC/");
        let pc = path_of(Some("/EVNSPC/PB03/"), "PC15");
        assert_eq!(pc, "/EVNSPC/PB03/PC15/");
        assert_eq!(ancestors(&pc), ["PB03", "EVNSPC"]);
        assert_eq!(ancestry(&pc), ["PC15", "PB03", "EVNSPC"]);
        assert_eq!(codes_on(&pc), ["EVNSPC", "PB03", "PC15"]);
        assert!(ancestors(&root).is_empty());
        assert!(is_within(&pc, "/EVNSPC/"));
        assert!(
            !is_within("/EVNSPC/PB030/", "/EVNSPC/PB03/"),
            "a longer code is not a child"
        );
        assert!(would_cycle("/EVNSPC/PB03/", "/EVNSPC/PB03/PC15/"));
        assert!(would_cycle("/EVNSPC/PB03/", "/EVNSPC/PB03/"));
        assert!(!would_cycle("/EVNSPC/PB03/", "/EVNSPC/PB04/"));
        assert_eq!(
            rebased("/EVNSPC/PB03/PC15/PC15LL/", "/EVNSPC/PB03/PC15/", "/EVNSPC/PB04/PC15/").as_deref(),
            Some("/EVNSPC/PB04/PC15/PC15LL/")
        );
        assert_eq!(rebased("/X/", "/Y/", "/Z/"), None);
    }

    fn parents(pairs: &[(&str, Option<&str>)]) -> HashMap<String, Option<String>> {
        pairs
            .iter()
            .map(|(c, p)| (c.to_string(), p.map(str::to_string)))
            .collect()
    }

    #[test]
    fn places_children_before_parents_and_reports_orphans_and_cycles() {
        let (placed, failed) = place_all(&parents(&[
            ("PC15LL01", Some("PC15LL")),
            ("PC15LL", Some("PC15")),
            ("PC15", None),
            ("ORPHAN", Some("NOPE")),
            ("BELOW", Some("ORPHAN")),
            ("A", Some("B")),
            ("B", Some("A")),
        ]));
        assert_eq!(placed["PC15LL01"], "/PC15/PC15LL/PC15LL01/");
        assert_eq!(placed["PC15"], "/PC15/");
        assert_eq!(placed.len(), 3);
        assert_eq!(failed["ORPHAN"], Unplaced::UnknownParent("NOPE".into()));
        assert_eq!(failed["BELOW"], Unplaced::UnknownParent("NOPE".into()));
        assert_eq!(failed["A"], Unplaced::Cycle);
        assert_eq!(failed["B"], Unplaced::Cycle);
    }
}
