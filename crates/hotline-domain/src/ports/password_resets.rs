//! One-time password resets, and setting a password with every sign-in of
//! the account ended.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;
use crate::audit::AuditEntry;
use crate::user::PasswordReset;

#[async_trait]
pub trait PasswordResetStore: Send + Sync {
    /// Stores a reset (its token hashed) with its audit entry.
    async fn issue(&self, reset: &PasswordReset, audit: &AuditEntry) -> StoreResult<()>;
    /// The reset with this hash, when unused and not expired at `now`.
    async fn live(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<PasswordReset>>;
    /// Uses the reset and sets the user's password, as
    /// [`set_password`](Self::set_password) does, in one transaction;
    /// false, with nothing written, when it was used or expired meanwhile.
    async fn redeem(
        &self,
        token_hash: &str,
        user_id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// Sets the password, notes when, moves the sessions version on (old
    /// access tokens stop working) and revokes every refresh token of the
    /// user, with the audit entry; false when there is no such user.
    async fn set_password(
        &self,
        user_id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
}
