//! Work-order tables.

pub mod call_link;
pub mod event;
pub mod feedback;
pub mod row;
