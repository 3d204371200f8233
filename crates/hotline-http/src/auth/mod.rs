//! Credentials: access tokens (JWT), refresh tokens, API keys and passwords.

pub mod jwt;
pub mod password;
pub mod principals;
pub mod secrets;
