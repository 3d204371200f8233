//! Reads of personal data are audited: who looked up which customer or
//! number, when, through which endpoint and in which request. The rows are
//! written off the request path (see the store); supervisors and admins
//! list them, a supervisor those of their subtree's customers and of their
//! subtree's staff.

use chrono::{DateTime, Utc};
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::page::{Page, Position};
use hotline_domain::personal_read::{PersonalRead, ReadFilter};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use uuid::Uuid;

use crate::roles::require;
use crate::{App, AppResult, scope};

/// What one request read: through `endpoint`, the phone `number` (E.164)
/// and/or these customers.
#[derive(Debug, Clone, Default)]
pub struct Read<'a> {
    pub endpoint: &'a str,
    pub request_id: Option<&'a str>,
    pub number: Option<&'a str>,
    pub customers: Vec<&'a Customer>,
    /// Customers read by their code alone (their unit not at hand).
    pub codes: Vec<String>,
}

/// The rows a read makes: one per customer shown (each with the number
/// looked up, if any), or one for the number alone when nobody matched.
pub fn rows(who: &Principal, at: DateTime<Utc>, read: &Read<'_>) -> Vec<PersonalRead> {
    let row = |customer: Option<(String, Option<String>)>| {
        let (customer_code, customer_unit) = customer.unzip();
        PersonalRead {
            id: Uuid::now_v7(),
            at,
            actor: who.actor(),
            actor_unit: who.unit_code.as_ref().map(ToString::to_string),
            endpoint: read.endpoint.to_string(),
            customer_code,
            customer_unit: customer_unit.flatten(),
            number: read.number.map(str::to_string),
            request_id: read.request_id.map(|r| r.chars().take(64).collect()),
        }
    };
    let customers = read
        .customers
        .iter()
        .map(|c| (c.code.to_string(), c.unit_code.as_ref().map(ToString::to_string)))
        .chain(read.codes.iter().map(|c| (c.clone(), None)));
    let mut rows: Vec<PersonalRead> = customers.map(|c| row(Some(c))).collect();
    if rows.is_empty() && read.number.is_some() {
        rows.push(row(None));
    }
    rows
}

/// Notes a read in the log (queued; see the store).
pub async fn note(app: &App, who: &Principal, read: Read<'_>) -> AppResult<()> {
    // Customers named by their code alone are looked up for their unit,
    // so that their unit's supervisors see the read; one not found (or a
    // failed look-up) is logged by its code.
    let mut found = Vec::new();
    for code in &read.codes {
        let filter = CustomerFilter {
            code: Some(code.clone()),
            ..Default::default()
        };
        if let Ok(page) = app.store.customers().list(&filter, None, 1).await {
            found.extend(page.items.into_iter().filter(|c| c.code.as_str() == code));
        }
    }
    let read = Read {
        customers: read.customers.iter().copied().chain(found.iter()).collect(),
        codes: read
            .codes
            .iter()
            .filter(|code| !found.iter().any(|c| c.code.as_str() == code.as_str()))
            .cloned()
            .collect(),
        ..read
    };
    let rows = rows(who, app.now(), &read);
    Ok(app.store.personal_reads().record(rows).await?)
}

/// How the writing of the log stands in this process (for `/metrics`).
pub fn log_state(app: &App) -> hotline_domain::personal_read::ReadLogState {
    app.store.personal_reads().state()
}

/// 403 unless the caller is an admin or a supervisor.
pub fn may_list(who: &Principal) -> AppResult<()> {
    require(
        who,
        matches!(who.role, Role::Admin | Role::Supervisor),
        "read the log of reads of personal data",
    )
}

/// A newest-first page of the reads the caller may see: everything for
/// admins, else those of their subtree's customers or staff.
pub async fn list(
    app: &App,
    who: &Principal,
    mut filter: ReadFilter,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<PersonalRead>> {
    may_list(who)?;
    filter.scope = scope::visible_units(app, who).await?;
    // What was read a moment ago is in the list.
    app.store.personal_reads().flush().await?;
    Ok(app.store.personal_reads().list(&filter, after, limit).await?)
}
