//! Opening a callback: by hand, with the customer's unit when known.

use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::{Callback, NewCallback};
use hotline_domain::customer::CustomerFilter;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::ports::Created;
use hotline_domain::principal::Principal;
use hotline_domain::{CustomerCode, DomainError, StoreError, UnitCode};

use super::{events, may_write};
use crate::scope::sees_unit;
use crate::{App, AppResult};

/// What opening a callback by hand came to.
pub enum Opened<A> {
    /// Stored, with the answer made for it.
    New(Box<Callback>, A),
    /// Another request with the same idempotency key was first: its record.
    Taken(IdempotencyRecord),
}

/// The customer a callback is for and their unit: the one named, or else
/// the only customer with this number.
pub(super) async fn customer_of(
    app: &App,
    number: &str,
    code: Option<&CustomerCode>,
) -> AppResult<(Option<CustomerCode>, Option<UnitCode>)> {
    if let Some(code) = code {
        let filter = CustomerFilter {
            code: Some(code.to_string()),
            ..CustomerFilter::default()
        };
        let page = app.store.customers().list(&filter, None, 1).await?;
        let unit = page.items.into_iter().next().and_then(|c| c.unit_code);
        return Ok((Some(code.clone()), unit));
    }
    let mut found = app.store.customers().find_by_phone(number).await?;
    if found.len() == 1 {
        let c = found.remove(0);
        Ok((Some(c.code), c.unit_code))
    } else {
        Ok((None, None))
    }
}

/// Stores a new callback with its audit entry and `callback.opened`.
pub(super) async fn store(
    app: &App,
    who: &Principal,
    cb: &Callback,
    idem: Option<&IdempotencyRecord>,
) -> AppResult<Created<()>> {
    let entry = AuditEntry::new("callback", cb.id, "create", who, cb.created_at, cb.audit_view());
    Ok(app
        .store
        .callbacks()
        .create(cb, &entry, &events(None, cb), idem)
        .await?)
}

/// Opens a callback typed by an agent (supervisors and admins too). It
/// takes the customer's unit; one the caller could then not see is refused
/// (422 naming `customer_code`). `answer` makes the caller's answer before
/// it is stored, with the idempotency record to keep with it.
pub async fn create<A, E>(
    app: &App,
    who: &Principal,
    input: NewCallback,
    answer: impl FnOnce(&Callback) -> Result<(A, Option<IdempotencyRecord>), E>,
) -> Result<Opened<A>, E>
where
    E: From<DomainError> + From<StoreError>,
{
    may_write(who)?;
    let now = app.now();
    let mut cb = Callback::create(input, &who.actor(), &who.name, app.settings.callback_max_attempts, now)?;
    let (customer, unit) = customer_of(app, cb.number.as_str(), cb.customer_code.as_ref()).await?;
    cb.customer_code = customer;
    cb.unit_code = unit;
    if !sees_unit(app, who, cb.unit_code.as_deref()).await? {
        return Err(DomainError::invalid("customer_code", "the customer belongs to a unit outside yours").into());
    }
    let (answer, record) = answer(&cb)?;
    match store(app, who, &cb, record.as_ref()).await? {
        Created::Stored(()) => Ok(Opened::New(Box::new(cb), answer)),
        Created::KeyTaken(first) => Ok(Opened::Taken(first)),
    }
}
