//! The `hotline` service: configuration, wiring of the database into the
//! HTTP app, start-up tasks. `main.rs` is the command line around it.

pub mod backup;
pub mod bootstrap;
pub mod config;
pub mod otlp;
pub mod seed;
pub mod server;
pub mod wiring;
pub mod workers;
