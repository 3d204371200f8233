//! Personal data past its purpose: retention and anonymisation by age,
//! erasure on request.

pub mod erasure;
pub mod retention;
