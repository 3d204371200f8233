//! Personal data: the log of who read it, subject access, and erasure on
//! request.

pub mod access;
pub mod erasures;
mod erasures_csv;
pub mod reads;
