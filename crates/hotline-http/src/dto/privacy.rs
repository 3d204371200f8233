//! Reads of personal data and subject access.

use chrono::{DateTime, Utc};
use hotline_domain::personal_read::PersonalRead;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::dto::page::{Page, Paged};

/// One read of personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalReadView {
    pub id: Uuid,
    /// When it was read.
    pub at: DateTime<Utc>,
    /// Who read it: `user:NAME` or `api_key:NAME`.
    #[schema(example = "user:agent.cm")]
    pub actor: String,
    /// Through what: `cti.lookup`, `threecx.contacts`, `customers.get`,
    /// `customers.search`, `calls.get`, `privacy.subject`.
    #[schema(example = "cti.lookup")]
    pub endpoint: String,
    pub customer_code: Option<String>,
    /// The phone number looked up, in E.164.
    pub number: Option<String>,
    /// The request's `x-request-id`.
    pub request_id: Option<String>,
}

impl From<&PersonalRead> for PersonalReadView {
    fn from(r: &PersonalRead) -> Self {
        PersonalReadView {
            id: r.id,
            at: r.at,
            actor: r.actor.clone(),
            endpoint: r.endpoint.clone(),
            customer_code: r.customer_code.clone(),
            number: r.number.clone(),
            request_id: r.request_id.clone(),
        }
    }
}

pub type PersonalReadPage = Page<PersonalReadView>;

impl Paged for PersonalReadView {
    const PAGE: &'static str = "PersonalReadPage";
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadsQuery {
    /// Reads of this customer.
    #[param(example = "PB03020045525")]
    pub customer_code: Option<String>,
    /// Reads of this number, written any usual way.
    #[param(example = "0913 123 456")]
    pub number: Option<String>,
    /// Reads by this actor, as listed (`user:NAME`, `api_key:NAME`).
    pub actor: Option<String>,
    /// From this instant or date (inclusive).
    pub from: Option<String>,
    /// Until this instant or date (a date: through its end).
    pub to: Option<String>,
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

/// Whom a subject access export is about: exactly one of the two.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubjectQuery {
    #[param(example = "PB03020045525")]
    pub customer_code: Option<String>,
    /// Written any usual way (`0913 123 456`, `+84913123456`).
    #[param(example = "0913123456")]
    pub number: Option<String>,
}

/// Everything held about one person. Each list holds at most `limit`
/// records, newest first; `truncated` names the lists that had more (page
/// through them with `/api/v1/calls?caller=`, `/api/v1/work-orders?customer_code=`,
/// `/api/v1/callbacks?number=`, `/api/v1/privacy/reads?…`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectView {
    pub customer_code: Option<String>,
    pub number: Option<String>,
    /// The numbers searched: the one given and the customers' phones.
    pub numbers: Vec<String>,
    pub customers: Vec<super::customers::CustomerView>,
    /// With their topics.
    pub calls: Vec<super::calls::CallView>,
    /// With their complaint facts and feedback.
    pub work_orders: Vec<super::work_orders::WorkOrderView>,
    pub callbacks: Vec<super::callbacks::CallbackTaskView>,
    /// Where the person is the applicant (by phone or e-mail).
    pub new_supply_applications: Vec<super::new_supply::NewSupplyView>,
    pub survey_responses: Vec<super::surveys::ResponseView>,
    /// Who read their data (this export included).
    pub reads: Vec<PersonalReadView>,
    /// Records one list holds at most.
    pub limit: u64,
    /// The lists that had more than `limit` records.
    pub truncated: Vec<String>,
}
