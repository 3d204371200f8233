//! Personal data: erasure on request.

pub mod erasures;
mod erasures_csv;
