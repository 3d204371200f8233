//! Erasure on request: everything held about one customer or number,
//! anonymised in one transaction with its audit entry.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::anonymise::Pseudonymiser;
use crate::audit::AuditEntry;
use crate::idempotency::IdempotencyRecord;

/// Whose records: a customer (their record, phones, calls, callbacks, work
/// orders, applications, survey answers) and/or numbers (stored form).
#[derive(Debug, Clone, Default)]
pub struct ErasureTarget {
    pub customer_code: Option<String>,
    pub numbers: Vec<String>,
}

/// What an erasure did, or why it did nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Erased {
    /// Records anonymised, by kind.
    Done(BTreeMap<String, u64>),
    /// Open complaints hold the data: their work-order codes.
    Held(Vec<String>),
    /// Another request with the same idempotency key came first: its answer.
    Taken(IdempotencyRecord),
}

/// The answer kept for an idempotency key, from the counts.
pub type ErasureAnswer<'a> = &'a (dyn Fn(&BTreeMap<String, u64>) -> String + Send + Sync);

#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// In one transaction: refuses when an open complaint (metering,
    /// billing, voltage quality or staff conduct, not resolved, closed or
    /// cancelled) is about the customer or a call from the numbers;
    /// otherwise anonymises every record of `target` (numbers by `with`),
    /// replaces the names, addresses and numbers wherever they were copied
    /// (every text column of every table), and writes `entry` with the
    /// counts added under `"anonymised"`; with `keep`, claims its key first
    /// and keeps `answer`'s body for it.
    async fn erase(
        &self,
        target: &ErasureTarget,
        with: &Pseudonymiser,
        now: DateTime<Utc>,
        entry: AuditEntry,
        keep: Option<IdempotencyRecord>,
        answer: ErasureAnswer<'_>,
    ) -> StoreResult<Erased>;
}
