//! Request extractors that answer with our problem format when they fail.

mod auth;
mod body;
mod change;
mod headers;
mod json;
mod path;
mod query;

pub use auth::{Auth, key_holder, key_owner};
pub use body::{is_csv_upload, is_json, media_type, read_body};
pub use change::Change;
pub use headers::{IdempotencyKey, IfMatch, etag};
pub use json::ApiJson;
pub use path::ApiPath;
pub use query::ApiQuery;
