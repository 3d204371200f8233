//! How long each kind of record is kept, and one pass of the retention
//! worker: prune what has no further use, anonymise what figures still
//! need, in batches, counting what it did for `/metrics`.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Months, Utc};
use hotline_domain::anonymise::{Anonymised, Pruned, Pseudonymiser};

use crate::{App, AppResult};

/// How long each kind is kept (the README's "Personal data" explains why).
#[derive(Clone, Debug)]
pub struct Retention {
    /// A call's and a callback's personal fields (number, name, address).
    pub calls_months: u32,
    /// Free text: call notes, what callers asked, topics' notes, survey
    /// free-text answers.
    pub notes_months: u32,
    pub audit_years: u32,
    pub idempotency_days: u32,
    /// Finished webhook deliveries keep their row, not their body.
    pub webhook_bodies_days: u32,
    /// The key of the numbers' pseudonyms; None: one generated and kept in
    /// the database (like the token signing secret).
    pub anonymisation_key: Option<Key>,
    /// Rows per batch (one short transaction each).
    pub batch: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            calls_months: 24,
            notes_months: 12,
            audit_years: 5,
            idempotency_days: 7,
            webhook_bodies_days: 30,
            anonymisation_key: None,
            batch: 500,
        }
    }
}

/// A secret that never shows in `Debug`.
#[derive(Clone)]
pub struct Key(pub String);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Sign-in failures older than this no longer count towards the throttle.
const SIGN_IN_FAILURES_KEPT: Duration = Duration::days(1);
/// What a PBX told of a call (its numbers, agents, times: the state its
/// later events are folded into) is kept this long after its last event. A
/// PBX repeats or sends late events within minutes, and a diverted leg is
/// linked to the call it left within four hours; the call itself is in
/// the call log.
const PBX_CALL_STATES_KEPT: Duration = Duration::days(7);
/// Batches of one kind in one pass, at most: the rest waits for the next.
const MAX_BATCHES: u32 = 1000;

static PRUNED: [AtomicU64; Pruned::ALL.len()] = [const { AtomicU64::new(0) }; Pruned::ALL.len()];
static ANONYMISED: [AtomicU64; Anonymised::ALL.len()] = [const { AtomicU64::new(0) }; Anonymised::ALL.len()];

fn index<T: PartialEq + Copy>(all: &[T], v: T) -> usize {
    all.iter().position(|x| *x == v).unwrap_or(0)
}

/// The key numbers are pseudonymised with.
pub async fn pseudonymiser(app: &App) -> AppResult<Pseudonymiser> {
    let key = match &app.settings.retention.anonymisation_key {
        Some(k) => k.0.clone(),
        None => {
            let candidate = crate::secrets::random_token(32);
            app.store
                .settings()
                .get_or_insert("anonymisation_key", &candidate)
                .await?
        }
    };
    Ok(Pseudonymiser::new(key.as_bytes()))
}

fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Where each kind's retention ends, counted back from `now`.
pub fn prune_before(r: &Retention, kind: Pruned, now: DateTime<Utc>) -> DateTime<Utc> {
    match kind {
        Pruned::IdempotencyRecords => now - Duration::days(i64::from(r.idempotency_days)),
        Pruned::WebhookBodies => now - Duration::days(i64::from(r.webhook_bodies_days)),
        Pruned::RefreshTokens => now,
        Pruned::SignInFailures => now - SIGN_IN_FAILURES_KEPT,
        Pruned::PbxCallStates => now - PBX_CALL_STATES_KEPT,
        // The log of who read personal data is an audit trail too.
        Pruned::AuditEntries | Pruned::PersonalReads => months_before(now, r.audit_years.saturating_mul(12)),
    }
}

pub fn anonymise_before(r: &Retention, kind: Anonymised, now: DateTime<Utc>) -> DateTime<Utc> {
    match kind {
        // Applications: counted from when they were finished (energised or
        // cancelled), their last change.
        Anonymised::Calls | Anonymised::Callbacks | Anonymised::Applicants => months_before(now, r.calls_months),
        Anonymised::Notes | Anonymised::SurveyAnswers => months_before(now, r.notes_months),
    }
}

/// What one pass did, by kind.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pass {
    pub pruned: Vec<(Pruned, u64)>,
    pub anonymised: Vec<(Anonymised, u64)>,
}

/// One pass over every kind, batch after batch until a batch comes back
/// short. A kind the database refuses is logged and left for the next pass.
pub async fn run(app: &App) -> AppResult<Pass> {
    let now = app.now();
    let r = &app.settings.retention;
    let with = pseudonymiser(app).await?;
    let mut pass = Pass::default();
    for &kind in Pruned::ALL {
        let before = prune_before(r, kind, now);
        let mut total = 0;
        for _ in 0..MAX_BATCHES {
            match app.store.retention().prune(kind, before, r.batch).await {
                Ok(n) => {
                    total += n;
                    if n < r.batch {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, kind = kind.as_str(), "retention: cannot prune");
                    break;
                }
            }
        }
        PRUNED[index(Pruned::ALL, kind)].fetch_add(total, Ordering::Relaxed);
        pass.pruned.push((kind, total));
    }
    for &kind in Anonymised::ALL {
        let before = anonymise_before(r, kind, now);
        let mut total = 0;
        for _ in 0..MAX_BATCHES {
            match app.store.retention().anonymise(kind, before, &with, now, r.batch).await {
                Ok(n) => {
                    total += n;
                    if n < r.batch {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, kind = kind.as_str(), "retention: cannot anonymise");
                    break;
                }
            }
        }
        ANONYMISED[index(Anonymised::ALL, kind)].fetch_add(total, Ordering::Relaxed);
        pass.anonymised.push((kind, total));
    }
    Ok(pass)
}

/// What `/metrics` shows of retention: rows pruned and anonymised by this
/// process since it started, by kind, and how old the oldest call still
/// holding its personal fields is.
#[derive(Debug, Clone)]
pub struct Progress {
    pub pruned: Vec<(&'static str, u64)>,
    pub anonymised: Vec<(&'static str, u64)>,
    /// Seconds; None when no call keeps its personal fields (or the
    /// database did not answer).
    pub oldest_kept_seconds: Option<u64>,
}

pub async fn progress(app: &App) -> Progress {
    let oldest = match app.store.retention().oldest_kept_call().await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "retention gauge unavailable");
            None
        }
    };
    Progress {
        pruned: Pruned::ALL
            .iter()
            .map(|k| (k.as_str(), PRUNED[index(Pruned::ALL, *k)].load(Ordering::Relaxed)))
            .collect(),
        anonymised: Anonymised::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    ANONYMISED[index(Anonymised::ALL, *k)].load(Ordering::Relaxed),
                )
            })
            .collect(),
        oldest_kept_seconds: oldest.map(|t| (app.now() - t).num_seconds().max(0) as u64),
    }
}
