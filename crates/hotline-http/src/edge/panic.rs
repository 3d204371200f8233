//! A handler that panics answers 500 problem+json (no panic text in the
//! body; it is logged, with the request's id and trace id, by the problem
//! layer) and the connection and server carry on.

use std::any::Any;

use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// What `CatchPanicLayer` answers for a panic.
pub fn answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    ApiError::internal(format!("handler panicked: {what}")).into_response()
}
