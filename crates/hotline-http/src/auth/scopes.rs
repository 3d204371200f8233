//! Which scope opens which route, for API keys limited to scopes. A key
//! with no scopes keeps its role's rights; a key with scopes reaches only
//! the routes one of its scopes opens (and `/api/v1/me`), and its role
//! still decides what it may do there.

use axum::http::Method;
use hotline_domain::key_scope::KeyScope;

use crate::error::ApiError;

/// What a route asks of a key limited to scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Open to every key (its own account).
    Nothing,
    Scope(KeyScope),
    /// No scope opens it: only keys without scopes reach it.
    Unscoped,
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

/// The scope `method path` needs.
pub fn needs(method: &Method, path: &str) -> Needs {
    let read = matches!(*method, Method::GET | Method::HEAD);
    let pick = |r, w| Needs::Scope(if read { r } else { w });
    let path = path.trim_end_matches('/');
    if under(path, "/api/v1/me") {
        Needs::Nothing
    } else if under(path, "/api/v1/calls") {
        pick(KeyScope::CallsRead, KeyScope::CallsWrite)
    } else if under(path, "/api/v1/work-orders") {
        pick(KeyScope::WorkOrdersRead, KeyScope::WorkOrdersWrite)
    } else if under(path, "/api/v1/customers") {
        pick(KeyScope::CustomersRead, KeyScope::CustomersWrite)
    } else if under(path, "/api/v1/incidents") {
        pick(KeyScope::IncidentsRead, KeyScope::IncidentsWrite)
    } else if under(path, "/api/v1/reports") {
        Needs::Scope(KeyScope::ReportsRead)
    } else if under(path, "/api/v1/stream") {
        Needs::Scope(KeyScope::Stream)
    } else if under(path, "/api/v1/cti") || under(path, "/api/v1/integrations/3cx") {
        Needs::Scope(KeyScope::Cti)
    } else if under(path, "/open311") {
        Needs::Scope(KeyScope::Open311)
    } else {
        Needs::Unscoped
    }
}

/// 403 naming the scope unless a key with `scopes` (None: unlimited) may
/// use a route that `needs` it.
pub fn permit(scopes: Option<&[KeyScope]>, needs: Needs) -> Result<(), ApiError> {
    let Some(scopes) = scopes else { return Ok(()) };
    match needs {
        Needs::Nothing => Ok(()),
        Needs::Scope(s) if scopes.contains(&s) => Ok(()),
        Needs::Scope(s) => Err(ApiError::forbidden(format!("this API key lacks the scope {s}"))),
        Needs::Unscoped => Err(ApiError::forbidden(
            "this API key is limited to scopes, and none of them opens this route",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_map_to_their_scopes() {
        assert_eq!(
            needs(&Method::GET, "/api/v1/work-orders/abc"),
            Needs::Scope(KeyScope::WorkOrdersRead)
        );
        assert_eq!(
            needs(&Method::POST, "/api/v1/work-orders"),
            Needs::Scope(KeyScope::WorkOrdersWrite)
        );
        assert_eq!(needs(&Method::GET, "/api/v1/callbacks"), Needs::Unscoped, "not /calls");
        assert_eq!(
            needs(&Method::POST, "/api/v1/calls"),
            Needs::Scope(KeyScope::CallsWrite)
        );
        assert_eq!(
            needs(&Method::GET, "/api/v1/integrations/3cx/contacts"),
            Needs::Scope(KeyScope::Cti)
        );
        assert_eq!(needs(&Method::GET, "/api/v1/me"), Needs::Nothing);
        assert_eq!(needs(&Method::GET, "/api/v1/users"), Needs::Unscoped);
        let only = [KeyScope::WorkOrdersRead];
        assert!(permit(Some(&only), needs(&Method::GET, "/api/v1/work-orders")).is_ok());
        assert!(permit(Some(&only), needs(&Method::POST, "/api/v1/work-orders")).is_err());
        assert!(
            permit(None, Needs::Unscoped).is_ok(),
            "a key without scopes keeps its role's rights"
        );
    }
}
