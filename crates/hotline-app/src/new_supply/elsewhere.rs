//! New-supply requests that arrive as work orders of category `new_supply`
//! (`POST /work-orders`, a call's work order, Open311's `new_supply`
//! service): each opens its application like any other, so none lacks its
//! checklist and clock.

use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::open311::ServiceRequestInput;
use hotline_domain::work_order::NewWorkOrder;
use hotline_domain::{DomainError, customer_code};
use uuid::Uuid;

use super::NewApplication;
use crate::{App, AppResult};

/// The request of a `new_supply` work order opened at the work-order
/// endpoints: the applicant is its customer (name, phone, e-mail,
/// address); the type is chosen from the area, or waits for staff. A work
/// order without a customer, or whose customer cannot be reached, is a 422
/// naming `customer_code` that points to the new-supply endpoint.
pub async fn from_work_order(app: &App, work_order: NewWorkOrder, call_id: Option<Uuid>) -> AppResult<NewApplication> {
    let raw = work_order
        .customer_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let Some(raw) = raw else {
        return Err(DomainError::invalid(
            "customer_code",
            "is required for a new_supply work order: the applicant's name and phone come from the customer; for anyone else open the request at /api/v1/new-supply-applications",
        ));
    };
    let code = customer_code::normalize(raw).map_err(|m| DomainError::invalid("customer_code", m))?;
    let filter = CustomerFilter {
        code: Some(code.clone()),
        ..Default::default()
    };
    let customer = app
        .store
        .customers()
        .list(&filter, None, 1)
        .await?
        .items
        .into_iter()
        .find(|c| c.code.as_str() == code)
        .ok_or_else(|| DomainError::invalid("customer_code", format!("not in the customer directory: {code}")))?;
    if customer.phones.is_empty() && customer.email.is_none() {
        return Err(DomainError::invalid(
            "customer_code",
            "the customer has no phone or e-mail to reach the applicant: open the request at /api/v1/new-supply-applications",
        ));
    }
    Ok(NewApplication {
        applicant: applicant_of(&customer),
        work_order,
        call_id,
        type_may_wait: true,
        ..NewApplication::default()
    })
}

fn applicant_of(c: &Customer) -> hotline_domain::new_supply::NewApplicant {
    hotline_domain::new_supply::NewApplicant {
        name: Some(c.name.clone()),
        phone: c.phones.first().map(|p| p.number.as_str().to_string()),
        email: c.email.clone(),
        address: c.address.clone(),
        ..Default::default()
    }
}

/// The request of an Open311 `new_supply` filing: the applicant as the
/// citizen gave them (the known customer filling gaps), the kind from
/// `attribute[applicant_kind]`; where the area cannot tell a household's
/// type, it is taken with the type unknown, for staff to set.
pub fn from_open311(input: &ServiceRequestInput, customer: Option<&Customer>) -> NewApplication {
    let (applicant, supply_type) = input.new_supply_applicant(customer);
    NewApplication {
        supply_type,
        applicant,
        work_order: input.new_work_order(customer),
        detail: Some(input.history_detail()),
        type_may_wait: true,
        ..NewApplication::default()
    }
}
