//! Personal data: erasure on request.

pub mod erasures;
