//! What sits between the network and the routes: who the client is behind
//! trusted proxies, request-rate limits, browsers' CORS, response headers
//! every answer carries, W3C trace context, and panics turned into 500s.

pub mod client;
pub mod cors;
pub mod headers;
pub mod limiter;
pub mod panic;
pub mod rate_limit;
pub mod trace;

pub use client::{Cidr, ClientIp};
pub use limiter::RateLimiter;
