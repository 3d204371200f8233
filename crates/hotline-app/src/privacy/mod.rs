//! Personal data: who read it, what is held about one person, retention
//! and anonymisation by age, and erasure on request.

pub mod access;
pub mod erasure;
pub mod reads;
pub mod retention;
