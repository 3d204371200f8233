//! Work-order tables.

pub mod call_link;
pub mod event;
pub mod row;
pub mod sequence;
