//! Personal data: who read it, and what is held about one person.

pub mod access;
pub mod reads;
