//! Call-log bodies.

use chrono::{DateTime, Utc};
use hotline_domain::call::{Call, CallPatch, NewCall};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::{CategoryDto, DirectionDto, OutcomeDto};
use super::present;
use crate::dto::page::{Counted, NULL_ON_LAST, Paged};

/// A call to log. Phone numbers may be written any way people type them
/// (`0912 345 678`, `+84 912 345 678`, `(028) 3822 1234`, old 11-digit
/// mobiles); a withheld caller is `null`, empty or `anonymous`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCallBody {
    pub direction: DirectionDto,
    #[schema(example = "0912 345 678")]
    pub caller_number: Option<String>,
    #[schema(example = "1900 1006")]
    pub callee_number: Option<String>,
    /// When the call started ringing (RFC 3339).
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The agent who took the call (username or extension).
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// Derived from the times when omitted.
    pub outcome: Option<OutcomeDto>,
    pub category: Option<CategoryDto>,
    #[schema(example = "PB03020045525")]
    pub customer_code: Option<String>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// The call's id in the system that reported it (PBX call id).
    pub external_id: Option<String>,
    /// Which system logged it; `api` when omitted.
    pub source: Option<String>,
    /// The issues raised, in order; the call's `category` becomes the first
    /// one's. Without them, a call with a `category` gets that one topic.
    #[serde(default)]
    pub topics: Option<Vec<super::call_topics::TopicBody>>,
}

impl From<NewCallBody> for NewCall {
    fn from(b: NewCallBody) -> Self {
        NewCall {
            direction: Some(b.direction.into()),
            caller_number: b.caller_number,
            callee_number: b.callee_number,
            started_at: Some(b.started_at),
            answered_at: b.answered_at,
            ended_at: b.ended_at,
            agent: b.agent,
            queue: b.queue,
            outcome: b.outcome.map(Into::into),
            category: b.category.map(Into::into),
            customer_code: b.customer_code,
            caller_name: b.caller_name,
            address: b.address,
            notes: b.notes,
            external_id: b.external_id,
            source: b.source,
        }
    }
}

/// Wrap-up: only the fields present change; `null` clears one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallPatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<CategoryDto>)]
    pub category: Option<Option<CategoryDto>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<OutcomeDto>)]
    pub outcome: Option<Option<OutcomeDto>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub customer_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub caller_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

impl From<CallPatchBody> for CallPatch {
    fn from(b: CallPatchBody) -> Self {
        CallPatch {
            category: b.category.map(|c| c.map(Into::into)),
            outcome: b.outcome.map(|o| o.map(Into::into)),
            customer_code: b.customer_code,
            caller_name: b.caller_name,
            address: b.address,
            notes: b.notes,
        }
    }
}

/// A logged call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    pub id: Uuid,
    pub direction: DirectionDto,
    /// E.164 (`+84912345678`), a service number as dialled (`19001006`) or
    /// an extension; `null` when the caller withheld the number.
    pub caller_number: Option<String>,
    /// The number as it was submitted.
    pub caller_number_raw: String,
    pub callee_number: Option<String>,
    pub callee_number_raw: String,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Ring to answer, or ring to hang-up when unanswered.
    pub wait_seconds: Option<i64>,
    /// Answer to hang-up.
    pub talk_seconds: Option<i64>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub outcome: Option<OutcomeDto>,
    /// The caller's number was on the blocked list and the PBX was told to
    /// refuse the call. Reports count such calls apart.
    pub blocked: bool,
    /// Why the call ended, as the PBX said it (`normalClearing`, `busy`,
    /// …, or any other cause it sent).
    pub hangup_cause: Option<String>,
    pub category: Option<CategoryDto>,
    pub customer_code: Option<String>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub source: String,
    /// The customer contact this call is part of: the legs of a transferred
    /// call share one contact (and count once); otherwise the call's own id.
    pub contact_id: Uuid,
    /// `user:<name>` or `api_key:<name>`.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases with every change; the ETag is this number in quotes.
    pub version: i64,
    /// The issues raised, in order (on a single call's reads and writes;
    /// absent when the call has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<super::call_topics::CallTopicView>>,
}

impl CallView {
    /// The view with the call's topics (none: left out).
    pub fn with_topics(mut self, topics: &[hotline_domain::call_topic::CallTopic]) -> Self {
        self.topics = (!topics.is_empty()).then(|| super::call_topics::topic_views(topics));
        self
    }
}

impl From<&Call> for CallView {
    /// Every field of [`Call`] is named: one added there must be shown or
    /// left out here before this compiles.
    fn from(c: &Call) -> Self {
        let (wait_seconds, talk_seconds, contact_id) = (c.wait_seconds(), c.talk_seconds(), c.contact());
        let Call {
            id,
            direction,
            caller_number,
            caller_number_raw,
            callee_number,
            callee_number_raw,
            started_at,
            answered_at,
            ended_at,
            agent,
            queue,
            outcome,
            blocked,
            hangup_cause,
            category,
            customer_code,
            caller_name,
            address,
            notes,
            external_id,
            source,
            contact_id: _,
            created_by,
            created_at,
            updated_at,
            version,
        } = c;
        CallView {
            id: *id,
            direction: (*direction).into(),
            caller_number: caller_number.as_ref().map(|p| p.as_str().to_string()),
            caller_number_raw: caller_number_raw.clone(),
            callee_number: callee_number.as_ref().map(|p| p.as_str().to_string()),
            callee_number_raw: callee_number_raw.clone(),
            started_at: *started_at,
            answered_at: *answered_at,
            ended_at: *ended_at,
            wait_seconds,
            talk_seconds,
            agent: agent.clone(),
            queue: queue.clone(),
            outcome: outcome.map(Into::into),
            blocked: *blocked,
            hangup_cause: hangup_cause.clone(),
            category: category.map(Into::into),
            customer_code: customer_code.as_ref().map(ToString::to_string),
            caller_name: caller_name.clone(),
            address: address.clone(),
            notes: notes.clone(),
            external_id: external_id.clone(),
            source: source.clone(),
            contact_id,
            created_by: created_by.clone(),
            created_at: *created_at,
            updated_at: *updated_at,
            version: *version,
            topics: None,
        }
    }
}

/// Filters for the call list. Values above the `limit` cap are capped.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallListQuery {
    /// Page size, 1–200 (default 50; larger values are capped at 200).
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// Calls that started at or after this instant (RFC 3339) or local date (YYYY-MM-DD).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$")]
    pub from: Option<String>,
    /// Calls that started before this instant, or up to the end of this local date.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+ -]\d{2}:\d{2}))?$")]
    pub to: Option<String>,
    /// The caller's number in any written form; `anonymous` lists the calls
    /// whose caller withheld the number.
    pub caller: Option<String>,
    pub category: Option<CategoryDto>,
    pub outcome: Option<OutcomeDto>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// The customer's code (`PB03020045525`): the calls the agent tied to
    /// that customer.
    pub customer_code: Option<String>,
    /// Free text over name, address and notes, without diacritics or case.
    /// One page reads a bounded number of calls (`HOTLINE_SEARCH_WINDOW`,
    /// 20,000 by default): a page may come back short, even empty, with a
    /// `next_cursor` to search older calls from.
    pub q: Option<String>,
    /// Adds `total`, the number of calls matching the filters.
    pub include_total: Option<bool>,
}

pub type CallPage = Counted<CallView>;

impl Paged for CallView {
    const PAGE: &'static str = "CallPage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}
