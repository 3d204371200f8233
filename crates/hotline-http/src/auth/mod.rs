//! Credentials: access tokens (JWT), refresh tokens, API keys and passwords.

pub mod jwt;
pub mod principals;
pub mod scopes;
