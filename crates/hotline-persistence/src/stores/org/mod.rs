//! Units, areas and teams. Units and areas are trees with a materialised
//! `path`; a subtree is one `LIKE 'path%'` query, and moving a node rewrites
//! its descendants' paths in the same transaction.

mod teams;
mod trees;

use sea_orm::sea_query::LikeExpr;

/// `LIKE` pattern for "starts with `prefix`", its metacharacters escaped.
pub(super) fn like_prefix(prefix: &str) -> LikeExpr {
    let mut out = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    LikeExpr::new(out).escape('\\')
}
