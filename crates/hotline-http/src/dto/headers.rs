//! The request headers that many operations document alike, written once:
//! list them in `#[utoipa::path(params(...))]` by name, next to the
//! operation's own tuples (`params(("id" = Uuid, Path), IfMatchHeader)`).
//! The extractors that read them are in `crate::extract`.

use utoipa::IntoParams;

/// `If-Match`, required: the version a change is based on.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// The ETag from your last read, or * for any
    #[param(rename = "If-Match", pattern = r#"^(\*|(W/)?"[0-9]+")$"#)]
    pub if_match: String,
}

/// `Idempotency-Key`, optional: makes a create safe to retry.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// Makes retries safe: 1–255 visible ASCII characters
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = r"^[\x21-\x7E]+$"
    )]
    pub idempotency_key: Option<String>,
}
