//! The customer directory: adding, reading, correcting, listing and
//! searching customers (the bulk import is [`crate::import`]).

use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::customer::{Customer, CustomerFilter, CustomerInput, CustomerPatch};
use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};
use uuid::Uuid;

use crate::roles::require;
use crate::versions;
use crate::{App, AppResult};

/// 403 unless the caller's role may read the directory.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_customers(), "read the customer directory")
}

/// Adds a customer with its audit entry; the stored customer. 409 when
/// the customer code is taken.
pub async fn add(app: &App, who: &Principal, input: CustomerInput) -> AppResult<Customer> {
    require(who, who.role.can_edit_customers(), "add customers")?;
    let now = app.now();
    let customer = Customer::create(input, now)?;
    let entry = AuditEntry::new("customer", customer.id, "create", who, now, customer.audit_view());
    match app.store.customers().create(&customer, &entry).await {
        Ok(()) => Ok(customer),
        Err(StoreError::Duplicate(_)) => Err(DomainError::Conflict(format!(
            "a customer with the code {} already exists",
            customer.code
        ))),
        Err(e) => Err(e.into()),
    }
}

/// One customer; 404 when there is none with this id.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<Customer> {
    may_read(who)?;
    app.store
        .customers()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("customer"))
}

/// Corrects a customer's details and stores them with the audit entry
/// over the version read; the stored customer. 412 when the caller read
/// another version (`expected_version`, None for any) or someone else (an
/// agent or an import) stored a change in between.
pub async fn correct(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected_version: Option<i64>,
    patch: CustomerPatch,
) -> AppResult<Customer> {
    require(who, who.role.can_edit_customers(), "change customers")?;
    let current = app
        .store
        .customers()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("customer"))?;
    versions::check(expected_version, current.version)?;
    let now = app.now();
    let next = current.patched(patch, now)?;
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("customer", id, "update", who, now, changes);
    versions::stored(app.store.customers().update(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Which customers a caller asks for.
#[derive(Debug, Clone)]
pub struct CustomerQuery {
    pub filter: CustomerFilter,
    /// Where the previous page ended.
    pub after: Option<Position>,
    pub limit: u64,
}

/// A page of the directory, newest first.
pub async fn list(app: &App, who: &Principal, q: &CustomerQuery) -> AppResult<Page<Customer>> {
    may_read(who)?;
    Ok(app.store.customers().list(&q.filter, q.after, q.limit).await?)
}
