//! `hotline-bench <scenario>`: starts a `hotline` server on loopback with
//! its own database, seeds it, drives it with many concurrent connections,
//! and prints requests per second, latency percentiles, errors by status and
//! the server's peak memory.
//!
//! Run it as `cargo run --release -p hotline-bench -- read`; it rebuilds
//! the release server first. See BENCHMARKS.md for scenarios and options.

mod client;
mod codes;
mod latency;
mod load;
mod open_loop;
mod options;
mod scenarios;
mod schedule;
mod server;
mod windows;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let opts = match options::Options::from_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("hotline-bench: {e}\n\n{}", options::USAGE);
            return ExitCode::FAILURE;
        }
    };
    match scenarios::run(&opts).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hotline-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
