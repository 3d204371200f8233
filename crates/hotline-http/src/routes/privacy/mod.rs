//! Personal data: the log of who read it, and subject access.

pub mod access;
pub mod reads;
