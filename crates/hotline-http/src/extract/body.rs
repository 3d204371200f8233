//! Raw bodies for handlers that take more than JSON (CSV, form-encoded PBX
//! events): the media type, and the bytes within the body limit.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};

use crate::error::ApiError;

/// The media type, lowercased and without parameters; "" when absent.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A CSV upload: `text/csv` or `application/csv`, or a file sent as
/// `application/octet-stream` (what clients generated from the OpenAPI
/// document send; see [`crate::dto::customers::CsvFile`]). Read as UTF-8 either way.
pub fn is_csv_upload(media_type: &str) -> bool {
    matches!(media_type, "text/csv" | "application/csv" | "application/octet-stream")
}

/// `application/json` or any `application/…+json`.
pub fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || (media_type.starts_with("application/") && media_type.ends_with("+json"))
}

/// The whole body; 413 beyond the route's limit.
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE)
        } else {
            ApiError::malformed(format!("could not read the body: {e}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn csv_uploads() {
        for ok in ["text/csv", "application/csv", "application/octet-stream"] {
            assert!(is_csv_upload(ok), "{ok}");
        }
        for no in ["", "application/json", "text/plain", "multipart/form-data"] {
            assert!(!is_csv_upload(no), "{no}");
        }
    }

    #[test]
    fn media_types() {
        let mut h = HeaderMap::new();
        assert_eq!(media_type(&h), "");
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert_eq!(media_type(&h), "application/json");
        assert!(is_json("application/json") && is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain") && !is_json(""));
    }
}
