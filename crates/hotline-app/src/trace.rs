//! W3C Trace Context: see the `hotline-trace` crate.

pub use hotline_trace::*;
