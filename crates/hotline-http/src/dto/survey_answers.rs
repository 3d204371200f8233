//! Reading a campaign's responses, and changing a draft campaign.

use chrono::{DateTime, Utc};
use hotline_app::surveys::ResponseLine;
use hotline_domain::survey::{AnswerValue, Campaign, DraftPatch, NewQuestion};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page::{NULL_ON_LAST, Page, Paged};
use super::surveys::QuestionBody;

/// An answer's value as JSON: a number (1–5), true/false or text.
pub fn answer_value(v: &AnswerValue) -> Value {
    match v {
        AnswerValue::Scale(n) => Value::from(*n),
        AnswerValue::YesNo(b) => Value::from(*b),
        AnswerValue::Text(t) => Value::from(t.as_str()),
    }
}

/// One answer with its question.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedAnswerView {
    /// The question's key.
    #[schema(example = "hai_long")]
    pub question: String,
    /// The question as it was asked.
    pub text: String,
    #[schema(example = "scale_1_5")]
    pub kind: String,
    #[schema(value_type = Object, example = 5)]
    pub value: Value,
}

/// A recorded response: whom it is from, who recorded it and when, and the
/// answers in the questionnaire's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedResponseView {
    pub id: Uuid,
    pub customer_code: String,
    /// The number the customer was sampled and called on.
    pub number: Option<String>,
    pub unit_code: String,
    /// The team of the customer's last work order in the sampled period.
    pub team_code: Option<String>,
    /// Who recorded the answers.
    pub agent: String,
    pub callback_id: Option<Uuid>,
    pub recorded_at: DateTime<Utc>,
    /// Free-text answers only for supervisors and admins.
    pub answers: Vec<RecordedAnswerView>,
}

impl Paged for RecordedResponseView {
    const PAGE: &'static str = "SurveyResponsePage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}

pub type RecordedResponsePage = Page<RecordedResponseView>;

impl RecordedResponseView {
    pub fn of(c: &Campaign, line: &ResponseLine) -> Self {
        let r = &line.response;
        let answers = c
            .questions
            .iter()
            .filter_map(|q| {
                let a = r.answers.iter().find(|a| a.question == q.key)?;
                Some(RecordedAnswerView {
                    question: q.key.clone(),
                    text: q.text.clone(),
                    kind: q.kind.as_str().into(),
                    value: answer_value(&a.value),
                })
            })
            .collect();
        RecordedResponseView {
            id: r.id,
            customer_code: r.customer_code.to_string(),
            number: line.number.clone(),
            unit_code: r.unit_code.to_string(),
            team_code: r.team_code.as_ref().map(ToString::to_string),
            agent: r.agent.clone(),
            callback_id: r.callback_id,
            recorded_at: r.recorded_at,
            answers,
        }
    }
}

/// In the order recorded. `?format=csv` (or `Accept: text/csv`) exports
/// them all, one line per response and one column per question
/// (`question:<key>`); `limit` and `cursor` page the JSON.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResponsesQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    pub format: Option<String>,
}

/// What a draft may change; omitted fields stay. The whole questionnaire
/// is replaced when `questions` is given; `per_unit` or `total` replaces
/// the sample size.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignPatchBody {
    #[schema(example = "Khảo sát thái độ phục vụ năm 2026")]
    pub name: Option<String>,
    pub questions: Option<Vec<QuestionBody>>,
    pub sample_from: Option<DateTime<Utc>>,
    pub sample_to: Option<DateTime<Utc>>,
    pub per_unit: Option<u32>,
    pub total: Option<u32>,
    pub seed: Option<i64>,
    pub days: Option<u32>,
}

impl From<CampaignPatchBody> for DraftPatch {
    fn from(b: CampaignPatchBody) -> Self {
        DraftPatch {
            name: b.name,
            questions: b.questions.map(|qs| {
                qs.into_iter()
                    .map(|q| NewQuestion {
                        key: q.key,
                        text: q.text,
                        kind: q.kind,
                        required: q.required,
                    })
                    .collect()
            }),
            sample_from: b.sample_from,
            sample_to: b.sample_to,
            per_unit: b.per_unit,
            total: b.total,
            seed: b.seed,
            days: b.days,
        }
    }
}
