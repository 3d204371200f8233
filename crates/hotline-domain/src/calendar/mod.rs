//! Working calendars.

pub mod lunar;
