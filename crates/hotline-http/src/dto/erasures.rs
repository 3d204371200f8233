//! Erasure bodies.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hotline_app::privacy::erasure::{Erasure, ErasureRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page::{NULL_ON_LAST, Page, Paged};

/// Whose records to anonymise (one of `customer_code` and `number`), why,
/// and who asked.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewErasureBody {
    /// A customer: their record, phones, calls, callbacks, work orders,
    /// applications and survey answers.
    #[schema(example = "PC15LL0012345")]
    pub customer_code: Option<String>,
    /// Everything held about a number, in any written form (admins only).
    #[schema(example = "0912 345 678")]
    pub number: Option<String>,
    /// Why (the request, its reference).
    #[schema(
        min_length = 1,
        max_length = 500,
        example = "Yêu cầu xóa dữ liệu của khách hàng, đơn ngày 05/12"
    )]
    pub reason: String,
    /// Who asked: the data subject, their representative…
    #[schema(min_length = 1, max_length = 500, example = "the data subject, in person")]
    pub requested_by: String,
}

impl From<NewErasureBody> for ErasureRequest {
    fn from(b: NewErasureBody) -> Self {
        ErasureRequest {
            customer_code: b.customer_code,
            number: b.number,
            reason: b.reason,
            requested_by: b.requested_by,
        }
    }
}

/// An erasure done, as its audit entry keeps it (never the number).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub customer_code: Option<String>,
    /// Asked for by number (the number itself is not kept).
    pub by_number: bool,
    /// The customer's unit, when by customer.
    pub unit_code: Option<String>,
    pub reason: String,
    pub requested_by: String,
    /// Who carried it out.
    pub performed_by: String,
    /// Records anonymised, by kind (`customers`, `calls`, `topics`,
    /// `callbacks`, `work_orders`, `applications`, `survey_responses`,
    /// and `copies`: rows elsewhere where a copy was replaced).
    pub anonymised: BTreeMap<String, u64>,
}

impl From<&Erasure> for ErasureView {
    fn from(e: &Erasure) -> Self {
        ErasureView {
            id: e.id,
            at: e.at,
            customer_code: e.customer_code.clone(),
            by_number: e.by_number,
            unit_code: e.unit_code.clone(),
            reason: e.reason.clone(),
            requested_by: e.requested_by.clone(),
            performed_by: e.performed_by.clone(),
            anonymised: e.anonymised.clone(),
        }
    }
}

impl Paged for ErasureView {
    const PAGE: &'static str = "ErasurePage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}

pub type ErasurePage = Page<ErasureView>;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ErasureListQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}
