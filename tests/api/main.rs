//! End-to-end tests: the whole app through HTTP on a real database — a fresh
//! SQLite file per test, or with `HOTLINE_TEST_DATABASE_URL=postgres://…` a
//! fresh PostgreSQL database per test.

mod articles;
mod attacks_authz;
mod attacks_input;
mod attacks_placement;
mod attacks_tokens;
mod audit;
mod auth;
mod blocked;
mod calendars;
mod call_topics;
mod callbacks;
mod calls;
mod calls_list;
mod clock;
mod complaints;
mod cti;
mod cti_compat;
mod customer_history;
mod customers;
mod deadline_events;
mod errors;
mod idempotency;
mod incidents;
mod language;
mod new_supply;
mod open311;
mod open311_clients;
mod ops;
mod org;
mod org_trees;
mod planned_outages;
mod replicas;
mod reports;
mod roles;
mod routing;
mod scoping;
mod screenpop;
mod sla;
mod stream;
mod support;
mod surveys;
mod threecx;
mod webhooks;
mod work_orders;
