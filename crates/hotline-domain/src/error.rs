//! Errors the use cases report; the HTTP layer maps each to a status and a
//! stable problem type.

use crate::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("the resource was changed by someone else")]
    PreconditionFailed,
    #[error("{0}")]
    Forbidden(String),
    #[error("the Idempotency-Key was already used with a different request")]
    IdempotencyMismatch,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A fault of ours, not the caller's; the text is for the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        DomainError::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
}

/// What a storage adapter can report; details are for logs, not clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached right now, or undid the transaction
    /// (a deadlock, a serialization failure); worth retrying.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A uniqueness rule was violated (the named constraint or column).
    #[error("duplicate value for {0}")]
    Duplicate(String),
    #[error("storage failure: {0}")]
    Other(String),
}
