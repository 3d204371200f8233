//! The hotline's model and rules: phone numbers, calls, users and roles,
//! audit and idempotency. Pure code: no I/O, no ORM, no HTTP. The ports the
//! outside world must implement live in [`ports`].

#[macro_use]
mod macros;

pub mod anonymise;
pub mod article;
pub mod audit;
pub mod blocked;
pub mod calendar;
pub mod call;
pub mod call_topic;
pub mod callback;
pub mod codes;
pub mod complaint;
pub mod cti;
pub mod customer;
pub mod customer_code;
pub mod error;
pub mod event;
pub mod idempotency;
pub mod incident;
pub mod language;
pub mod new_supply;
pub mod open311;
pub mod org;
pub mod page;
pub mod phone;
pub mod planned_outage;
pub mod ports;
pub mod principal;
pub mod report;
pub mod role;
pub mod sla;
pub mod survey;
pub mod text;
pub mod time;
pub mod user;
pub mod validation;
pub mod webhook;
pub mod work_order;

pub use codes::{AreaCode, Code, CustomerCode, TeamCode, UnitCode};
pub use error::{DomainError, StoreError};
pub use validation::{FieldError, Validation};
pub mod key_scope;
pub mod password;
pub mod personal_read;
