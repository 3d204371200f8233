//! Errors under `/open311/` made outside the Open311 handlers — an unknown
//! path or format suffix, a wrong method, a body over the limit, a timeout
//! — leave in the Open311 form too, in the format the path's suffix asks
//! for (JSON unless `.xml`), never as problem+json. Headers (`Allow`,
//! `Retry-After`, `WWW-Authenticate`) are kept.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::{Format, dress};

/// The most of a problem body read back.
const PROBLEM_LIMIT: usize = 64 * 1024;

/// Whether a path is Open311's.
fn is_open311(path: &str) -> bool {
    path == "/open311" || path.starts_with("/open311/")
}

/// Wraps the problem layer: what it made problem+json under `/open311/`
/// is re-dressed.
pub async fn open311_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !is_open311(path) {
        return next.run(req).await;
    }
    let format = if path.ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    let res = next.run(req).await;
    let status = res.status();
    let problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(crate::error::PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || !problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let problem: Value = to_bytes(body, PROBLEM_LIMIT)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let code = if status == StatusCode::UNPROCESSABLE_ENTITY {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let mut res = Response::from_parts(parts, axum::body::Body::empty());
    *res.status_mut() = code;
    dress(&mut res, &entries(&problem, code.as_u16()), format);
    res
}

/// One entry per named field, else the problem's detail.
fn entries(problem: &Value, code: u16) -> Vec<(u16, String)> {
    let fields: Vec<(u16, String)> = problem["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| Some((code, format!("{}: {}", f["field"].as_str()?, f["message"].as_str()?))))
                .collect()
        })
        .unwrap_or_default();
    if !fields.is_empty() && code < 500 {
        return fields;
    }
    let detail = problem["detail"]
        .as_str()
        .or_else(|| problem["title"].as_str())
        .unwrap_or("error");
    vec![(code, detail.to_string())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn problems_become_entries() {
        let p = json!({"detail": "x", "errors": [{"field": "lat", "message": "is not a number"}]});
        assert_eq!(entries(&p, 400), [(400, "lat: is not a number".to_string())]);
        assert_eq!(
            entries(&json!({"detail": "slow down"}), 429),
            [(429, "slow down".to_string())]
        );
        assert_eq!(entries(&Value::Null, 500), [(500, "error".to_string())]);
        assert!(is_open311("/open311/v2/requests.csv") && !is_open311("/open3110"));
    }
}
