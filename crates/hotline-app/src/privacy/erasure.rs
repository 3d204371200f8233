//! Erasure on request: everything held about one customer or one number
//! anonymised now, in one transaction, with an audit entry naming who
//! asked, who did it and why; refused while an open complaint holds it.
//! Admins erase any customer or number; supervisors their units'
//! customers (by customer code; by number, admins only).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::AuditEntry;
use hotline_domain::codes::CustomerCode;
use hotline_domain::customer::CustomerFilter;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::page::{Page, Position};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{Erased, ErasureTarget};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::roles::require;
use crate::scope::sees_unit;
use crate::{App, AppResult};

/// The longest `reason` and `requested_by` taken.
pub const MAX_TEXT: usize = 500;

/// An erasure as asked for, fields as typed.
#[derive(Debug, Clone, Default)]
pub struct ErasureRequest {
    pub customer_code: Option<String>,
    pub number: Option<String>,
    pub reason: String,
    /// Who asked: the data subject, their representative…
    pub requested_by: String,
}

/// An erasure done (as its audit entry keeps it).
#[derive(Debug, Clone, PartialEq)]
pub struct Erasure {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub customer_code: Option<String>,
    /// Whether it was asked for by number (the number itself is not kept).
    pub by_number: bool,
    pub unit_code: Option<String>,
    pub reason: String,
    pub requested_by: String,
    pub performed_by: String,
    /// Records anonymised, by kind.
    pub anonymised: BTreeMap<String, u64>,
}

fn may_erase(who: &Principal) -> AppResult<()> {
    require(
        who,
        matches!(who.role, Role::Admin | Role::Supervisor),
        "erase personal data",
    )
}

fn text(field: &str, raw: &str, errors: &mut Vec<hotline_domain::FieldError>) -> String {
    let v = raw.trim();
    if v.is_empty() {
        errors.push(hotline_domain::FieldError {
            field: field.into(),
            message: "is required".into(),
        });
    } else if v.chars().count() > MAX_TEXT {
        errors.push(hotline_domain::FieldError {
            field: field.into(),
            message: format!("must be at most {MAX_TEXT} characters"),
        });
    }
    v.to_string()
}

/// Checks the request: exactly one of `customer_code` and `number`, a
/// reason and who asked. Answers the customer code and stored number.
fn check(req: &ErasureRequest) -> AppResult<(Option<CustomerCode>, Option<String>, String, String)> {
    let mut errors = Vec::new();
    let reason = text("reason", &req.reason, &mut errors);
    let requested_by = text("requested_by", &req.requested_by, &mut errors);
    let code = match req.customer_code.as_deref().map(CustomerCode::parse).transpose() {
        Ok(c) => c,
        Err(m) => {
            errors.push(hotline_domain::FieldError {
                field: "customer_code".into(),
                message: m,
            });
            None
        }
    };
    let number = match req.number.as_deref().map(PhoneNumber::parse) {
        None => None,
        Some(Ok(Some(n))) => Some(n.as_str().to_string()),
        Some(Ok(None)) => {
            errors.push(hotline_domain::FieldError {
                field: "number".into(),
                message: "must not be empty".into(),
            });
            None
        }
        Some(Err(e)) => {
            errors.push(hotline_domain::FieldError {
                field: "number".into(),
                message: e.to_string(),
            });
            None
        }
    };
    let given = usize::from(req.customer_code.is_some()) + usize::from(req.number.is_some());
    if given != 1 {
        errors.push(hotline_domain::FieldError {
            field: "customer_code".into(),
            message: "give either customer_code or number".into(),
        });
    }
    if errors.is_empty() {
        Ok((code, number, reason, requested_by))
    } else {
        Err(DomainError::Validation(errors))
    }
}

/// What a request to erase came to.
#[derive(Debug)]
pub enum Outcome {
    Done(Erasure),
    /// An earlier request with the same idempotency key: its answer.
    Taken(IdempotencyRecord),
}

/// Erases now, or says what holds it (409 naming the open complaints).
/// With `keep` (a request's idempotency key), `answer` makes the body kept
/// for it, in the same transaction.
pub async fn erase(
    app: &App,
    who: &Principal,
    req: &ErasureRequest,
    keep: Option<IdempotencyRecord>,
    answer: &(dyn Fn(&Erasure) -> String + Send + Sync),
) -> AppResult<Outcome> {
    may_erase(who)?;
    let (code, number, reason, requested_by) = check(req)?;
    if number.is_some() {
        require(who, who.role == Role::Admin, "erase personal data by number")?;
    }
    let mut unit_code = None;
    if let Some(code) = &code {
        let filter = CustomerFilter {
            code: Some(code.to_string()),
            ..Default::default()
        };
        let found = app.store.customers().list(&filter, None, 1).await?;
        let Some(customer) = found.items.into_iter().next() else {
            return Err(DomainError::NotFound("customer"));
        };
        unit_code = customer.unit_code.as_ref().map(ToString::to_string);
        if !sees_unit(app, who, unit_code.as_deref()).await? {
            return Err(DomainError::NotFound("customer"));
        }
    }
    let id = Uuid::now_v7();
    let now = app.now();
    let with = super::retention::pseudonymiser(app).await?.salted(id);
    let target = ErasureTarget {
        customer_code: code.as_ref().map(ToString::to_string),
        numbers: number.into_iter().collect(),
    };
    let mut entry = AuditEntry::new(
        "erasure",
        id,
        "erase",
        who,
        now,
        json!({
            "customer_code": target.customer_code,
            "by_number": target.customer_code.is_none(),
            "unit_code": unit_code,
            "reason": reason,
            "requested_by": requested_by,
        }),
    );
    entry.id = id;
    let done = |counts: &BTreeMap<String, u64>| {
        let mut e = entry.clone();
        if let Some(obj) = e.changes.as_object_mut() {
            obj.insert("anonymised".into(), json!(counts));
        }
        from_entry(&e)
    };
    let body = |counts: &BTreeMap<String, u64>| answer(&done(counts));
    match app
        .store
        .erasure()
        .erase(&target, &with, now, entry.clone(), keep, &body)
        .await?
    {
        Erased::Taken(first) => Ok(Outcome::Taken(first)),
        Erased::Held(codes) => Err(DomainError::Conflict(format!(
            "held by open complaints: {}; erase once they are resolved",
            codes.join(", ")
        ))),
        Erased::Done(counts) => Ok(Outcome::Done(done(&counts))),
    }
}

fn from_entry(e: &AuditEntry) -> Erasure {
    let c = &e.changes;
    let s = |k: &str| c[k].as_str().map(ToString::to_string);
    Erasure {
        id: e.entity_id,
        at: e.at,
        customer_code: s("customer_code"),
        by_number: c["by_number"].as_bool().unwrap_or(false),
        unit_code: s("unit_code"),
        reason: s("reason").unwrap_or_default(),
        requested_by: s("requested_by").unwrap_or_default(),
        performed_by: e.actor.clone(),
        anonymised: c["anonymised"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
            .unwrap_or_default(),
    }
}

/// One past erasure, as [`list`] shows it (404 otherwise).
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Erasure> {
    may_erase(who)?;
    let page = app.store.audit().list("erasure", Some(id), None, 1).await?;
    let Some(e) = page.items.first() else {
        return Err(DomainError::NotFound("erasure"));
    };
    if !visible(app, who, e).await? {
        return Err(DomainError::NotFound("erasure"));
    }
    Ok(from_entry(e))
}

async fn visible(app: &App, who: &Principal, e: &AuditEntry) -> AppResult<bool> {
    let unit = e.changes.get("unit_code").and_then(Value::as_str);
    let by_number = e.changes["by_number"].as_bool().unwrap_or(false);
    Ok(who.role == Role::Admin || (!by_number && sees_unit(app, who, unit).await?))
}

/// Past erasures, newest first: admins see every one, supervisors those
/// of their units' customers (a page may come back short).
pub async fn list(app: &App, who: &Principal, after: Option<Position>, limit: u64) -> AppResult<Page<Erasure>> {
    may_erase(who)?;
    let page = app.store.audit().list("erasure", None, after, limit).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for e in &page.items {
        if visible(app, who, e).await? {
            items.push(from_entry(e));
        }
    }
    Ok(Page {
        items,
        next: page.next,
        total: None,
    })
}
