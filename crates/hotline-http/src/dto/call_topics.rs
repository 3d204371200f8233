//! A call's topics, tracing an article version to the calls told it, and
//! the topic counts.

use chrono::{DateTime, Utc};
use hotline_domain::call::Call;
use hotline_domain::call_topic::{CallTopic, NewTopic, TopicCount};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::enums::CategoryDto;

api_enum!(
    /// `answered_on_call` (from an approved article version), `work_order`
    /// (one was opened), `transferred`, `callback`.
    HandlingDto as Handling => hotline_domain::call_topic::Handling { AnsweredOnCall, WorkOrder, Transferred, Callback }
);

/// One issue the caller raised, and how it was handled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicBody {
    pub category: Option<CategoryDto>,
    /// What was asked, in the caller's words (at most 1,000 characters).
    pub asked: Option<String>,
    pub handling: Option<HandlingDto>,
    /// `answered_on_call`: the article read to the caller…
    pub article_id: Option<Uuid>,
    /// …and its version, which must have been approved.
    pub article_version: Option<i32>,
    /// `work_order`: the code of the work order opened.
    pub work_order_code: Option<String>,
    pub note: Option<String>,
}

impl From<TopicBody> for NewTopic {
    fn from(b: TopicBody) -> Self {
        NewTopic {
            category: b.category.map(Into::into),
            asked: b.asked,
            handling: b.handling.map(Into::into),
            article_id: b.article_id,
            article_version: b.article_version,
            work_order_code: b.work_order_code,
            note: b.note,
        }
    }
}

/// The whole list, replacing the call's topics; the call's category
/// becomes the first one's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicsBody {
    pub topics: Vec<TopicBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallTopicView {
    /// 1, 2, … in the order raised.
    pub position: i32,
    pub category: CategoryDto,
    pub asked: Option<String>,
    /// `null` only on the one topic of a call logged with a bare category.
    pub handling: Option<HandlingDto>,
    pub article_id: Option<Uuid>,
    pub article_version: Option<i32>,
    pub work_order_code: Option<String>,
    pub note: Option<String>,
}

impl From<&CallTopic> for CallTopicView {
    fn from(t: &CallTopic) -> Self {
        CallTopicView {
            position: t.position,
            category: t.category.into(),
            asked: t.asked.clone(),
            handling: t.handling.map(Into::into),
            article_id: t.article_id,
            article_version: t.article_version,
            work_order_code: t.work_order_code.clone(),
            note: t.note.clone(),
        }
    }
}

pub fn topic_views(topics: &[CallTopic]) -> Vec<CallTopicView> {
    topics.iter().map(CallTopicView::from).collect()
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ToldQuery {
    /// The version told; any version when omitted.
    pub version: Option<i32>,
}

/// A call with a topic answered from the article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToldCallView {
    pub call_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub caller_number: Option<String>,
    pub customer_code: Option<String>,
    pub agent: Option<String>,
    /// The article version read to the caller.
    pub article_version: i32,
}

impl ToldCallView {
    pub fn new(c: &Call, version: i32) -> Self {
        ToldCallView {
            call_id: c.id,
            started_at: c.started_at,
            caller_number: c.caller_number.as_ref().map(|p| p.as_str().to_string()),
            customer_code: c.customer_code.as_ref().map(ToString::to_string),
            agent: c.agent.clone(),
            article_version: version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ToldView {
    pub items: Vec<ToldCallView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopicReportQuery {
    /// Calls started at or after this instant (RFC 3339 or a date).
    pub from: String,
    /// Calls started before this instant (RFC 3339 or a date, exclusive).
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicCountView {
    pub category: CategoryDto,
    pub handling: Option<HandlingDto>,
    pub topics: u64,
    /// Distinct calls with such a topic.
    pub calls: u64,
}

impl From<&TopicCount> for TopicCountView {
    fn from(c: &TopicCount) -> Self {
        TopicCountView {
            category: c.category.into(),
            handling: c.handling.map(Into::into),
            topics: c.topics,
            calls: c.calls,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicReportView {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Every topic counted.
    pub topics: u64,
    pub rows: Vec<TopicCountView>,
}
