//! sea-orm entities: the tables as rows. They never leave this crate; the
//! stores map them to and from domain types.

pub mod api_key;
pub mod article;
pub mod audit;
pub mod blocked_number;
pub mod call;
pub mod call_topic;
pub mod callback;
pub mod complaint_facts;
pub mod cti_call;
pub mod customer;
pub mod customer_phone;
pub mod event;
pub mod idempotency;
pub mod incident;
pub mod login_failure;
pub mod new_supply;
pub mod org;
pub mod password_reset;
pub mod personal_read;
pub mod planned_outage;
pub mod refresh_token;
pub mod routing_rule;
pub mod setting;
pub mod sla;
pub mod survey;
pub mod user;
pub mod webhook;
pub mod work_order;
