//! What the unit and area routes share, over the app's tree use cases:
//! the list's paging and filters, a node by its path code, the detail's
//! references and the created response.

use axum::http::StatusCode;
use axum::response::Response;
use hotline_app::trees::{self, TreeKind};
use hotline_domain::org::{AreaKind, NodeFilter, TreeNode};
use hotline_domain::text;
use serde::Serialize;

use super::{code_page, code_paging, code_param, optional_code_param};
use crate::dto::org::NodeRef;
use crate::error::{ApiError, ApiResult};
use crate::routes::versioned;
use crate::state::AppState;

/// A tree list's query parameters, as sent.
pub(super) struct Listing<'a> {
    pub limit: Option<i32>,
    pub cursor: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub within: Option<&'a str>,
    pub q: Option<&'a str>,
    pub kind: Option<AreaKind>,
}

/// A page of nodes in code order and the cursor for the next one. `within`
/// must name a node of this tree (400 naming it).
pub(super) async fn listed<N: TreeKind>(st: &AppState, q: Listing<'_>) -> ApiResult<(Vec<N>, Option<String>)> {
    let (limit, after) = code_paging(q.limit, q.cursor)?;
    let within = match optional_code_param("within", q.within)? {
        None => None,
        Some(code) => match trees::path_of::<N>(&st.app, &code).await? {
            Some(path) => Some(path),
            None => {
                return Err(ApiError::invalid_parameter(
                    "within",
                    format!("there is no {} {code}", N::ENTITY),
                ));
            }
        },
    };
    let filter = NodeFilter {
        parent: optional_code_param("parent", q.parent)?,
        within,
        text: q.q.map(text::fold).filter(|t| !t.is_empty()),
        kind: q.kind,
    };
    let items = trees::list::<N>(&st.app, &filter, after.as_deref(), limit + 1).await?;
    Ok(code_page(items, limit, |n: &N| n.code().to_string()))
}

/// The node named by the path's `code`.
pub(super) async fn found<N: TreeKind>(st: &AppState, code: &str) -> ApiResult<N> {
    let code = code_param("code", code)?;
    Ok(trees::get::<N>(&st.app, &code).await?)
}

/// Nodes by code and name, as a page lists ancestors and children.
pub(super) fn refs<N: TreeNode>(nodes: &[N]) -> Vec<NodeRef> {
    nodes
        .iter()
        .map(|n| NodeRef {
            code: n.code().to_string(),
            name: n.name().to_string(),
        })
        .collect()
}

/// 201 with the new node's `view`, its address and its ETag.
pub(super) fn created<N: TreeNode>(node: &N, view: &impl Serialize) -> ApiResult<Response> {
    let location = format!("/api/v1/{}s/{}", N::ENTITY, node.code());
    versioned(StatusCode::CREATED, view, Some(&location), node.version())
}
