//! Survey bodies: campaigns and their questionnaire, the sample, the
//! answers, the results, and the feedback report.

use chrono::{DateTime, Utc};
use hotline_domain::survey::{
    AnswerInput, AnswerValue, Campaign, CampaignAction, CampaignStatus, FeedbackGroup, NewCampaign, NewQuestion,
    Response, ResultRow, SampleSize, Sampled,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page::{Page, Paged};

api_enum!(
    /// `draft` → `sampling` (sample drawn) → `open` (survey calls on the
    /// worklists) → `closed`.
    CampaignStatusDto as SurveyCampaignStatus => CampaignStatus { Draft, Sampling, Open, Closed }
);
api_enum!(
    /// `open` a sampled campaign; `close` an open one.
    CampaignActionDto as SurveyCampaignAction => CampaignAction { Open, Close }
);

/// One question: `kind` is `scale_1_5`, `yes_no` or `text`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    /// Stable key (`a-z`, `0-9`, `_`, at most 50): results are compared
    /// with earlier campaigns by it.
    #[schema(example = "hai_long")]
    pub key: Option<String>,
    #[schema(example = "Anh/chị hài lòng với thái độ của nhân viên không?")]
    pub text: Option<String>,
    #[schema(example = "scale_1_5")]
    pub kind: Option<String>,
    /// An answer must be given (default false).
    pub required: Option<bool>,
}

/// A survey campaign, created as a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignBody {
    #[schema(example = "Khảo sát thái độ phục vụ năm 2026")]
    pub name: Option<String>,
    /// The campaign's unit (the caller's own when omitted): its subtree's
    /// customers are sampled, and only its subtree's people see it.
    #[schema(example = "PB12")]
    pub unit_code: Option<String>,
    /// The questionnaire, in order (1–50 questions).
    #[serde(default)]
    pub questions: Vec<QuestionBody>,
    /// Customers who called or had a work order opened from this instant…
    pub sample_from: Option<DateTime<Utc>>,
    /// …to this one (excluded) are the candidates.
    pub sample_to: Option<DateTime<Utc>>,
    /// Customers sampled from every unit (1–5000); or give `total`.
    pub per_unit: Option<u32>,
    /// Customers sampled in all (1–5000), shared among the units in
    /// proportion to their candidates.
    pub total: Option<u32>,
    /// The seed of the draw: the same seed on the same data draws the same
    /// sample.
    #[schema(example = 2026)]
    pub seed: Option<i64>,
    /// Days the survey calls are spread over from opening (1–90, default 7).
    pub days: Option<u32>,
}

impl From<NewCampaignBody> for NewCampaign {
    fn from(b: NewCampaignBody) -> Self {
        NewCampaign {
            name: b.name,
            unit_code: b.unit_code,
            questions: b
                .questions
                .into_iter()
                .map(|q| NewQuestion {
                    key: q.key,
                    text: q.text,
                    kind: q.kind,
                    required: q.required,
                })
                .collect(),
            sample_from: b.sample_from,
            sample_to: b.sample_to,
            per_unit: b.per_unit,
            total: b.total,
            seed: b.seed,
            days: b.days,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub key: String,
    pub text: String,
    /// `scale_1_5`, `yes_no` or `text`.
    #[schema(example = "scale_1_5")]
    pub kind: String,
    pub required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SurveyCampaignView)]
pub struct CampaignView {
    pub id: Uuid,
    pub name: String,
    pub unit_code: String,
    pub questions: Vec<QuestionView>,
    pub sample_from: DateTime<Utc>,
    pub sample_to: DateTime<Utc>,
    /// Sampled from every unit, when the size is per unit.
    pub per_unit: Option<u32>,
    /// Sampled in all, when the size is a total.
    pub total: Option<u32>,
    pub seed: i64,
    pub days: u32,
    pub status: CampaignStatusDto,
    pub sampled_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&Campaign> for CampaignView {
    fn from(c: &Campaign) -> Self {
        let (per_unit, total) = match c.size {
            SampleSize::PerUnit(n) => (Some(n), None),
            SampleSize::Total(n) => (None, Some(n)),
        };
        CampaignView {
            id: c.id,
            name: c.name.clone(),
            unit_code: c.unit_code.to_string(),
            questions: c
                .questions
                .iter()
                .map(|q| QuestionView {
                    key: q.key.clone(),
                    text: q.text.clone(),
                    kind: q.kind.as_str().into(),
                    required: q.required,
                })
                .collect(),
            sample_from: c.sample_from,
            sample_to: c.sample_to,
            per_unit,
            total,
            seed: c.seed,
            days: c.days,
            status: c.status.into(),
            sampled_at: c.sampled_at,
            opened_at: c.opened_at,
            closed_at: c.closed_at,
            created_by: c.created_by.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
        }
    }
}

pub type CampaignPage = Page<CampaignView>;

impl Paged for CampaignView {
    const PAGE: &'static str = "SurveyCampaignPage";
}

/// Newest first. Values above the `limit` cap are capped.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CampaignListQuery {
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    pub status: Option<CampaignStatusDto>,
}

/// A step of the campaign's life.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignTransitionBody {
    pub action: CampaignActionDto,
}

/// A sampled customer and their survey callback once the campaign is open.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampledView {
    pub position: u32,
    pub customer_code: String,
    pub unit_code: String,
    /// The team of the customer's last work order in the period.
    pub team_code: Option<String>,
    pub number: String,
    pub callback_id: Option<Uuid>,
}

impl From<&Sampled> for SampledView {
    fn from(s: &Sampled) -> Self {
        SampledView {
            position: s.position,
            customer_code: s.candidate.customer_code.to_string(),
            unit_code: s.candidate.unit_code.to_string(),
            team_code: s.candidate.team_code.as_ref().map(ToString::to_string),
            number: s.candidate.number.clone(),
            callback_id: s.callback_id,
        }
    }
}

/// The campaign and its whole sample, in drawing order.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleView {
    pub campaign: CampaignView,
    pub sample: Vec<SampledView>,
}

/// One answer: the question's key and a value of its kind (1–5, true or
/// false, or text of at most 2000 characters); null counts as no answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    #[schema(example = "hai_long")]
    pub question: Option<String>,
    #[schema(value_type = Object, example = 5)]
    pub value: Option<Value>,
}

/// A sampled customer's answers, recorded by the agent who called them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    #[schema(example = "PB12000000001")]
    pub customer_code: Option<String>,
    #[serde(default)]
    pub answers: Vec<AnswerBody>,
}

impl ResponseBody {
    pub fn answers(self) -> (Option<String>, Vec<AnswerInput>) {
        let answers = self
            .answers
            .into_iter()
            .map(|a| AnswerInput {
                question: a.question,
                value: a.value,
            })
            .collect();
        (self.customer_code, answers)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    pub question: String,
    #[schema(value_type = Object, example = 5)]
    pub value: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseView {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub customer_code: String,
    pub callback_id: Option<Uuid>,
    /// Who recorded the answers.
    pub agent: String,
    pub unit_code: String,
    pub team_code: Option<String>,
    pub answers: Vec<AnswerView>,
    pub recorded_at: DateTime<Utc>,
}

impl From<&Response> for ResponseView {
    fn from(r: &Response) -> Self {
        ResponseView {
            id: r.id,
            campaign_id: r.campaign_id,
            customer_code: r.customer_code.to_string(),
            callback_id: r.callback_id,
            agent: r.agent.clone(),
            unit_code: r.unit_code.to_string(),
            team_code: r.team_code.as_ref().map(ToString::to_string),
            answers: r
                .answers
                .iter()
                .map(|a| AnswerView {
                    question: a.question.clone(),
                    value: match &a.value {
                        AnswerValue::Scale(n) => Value::from(*n),
                        AnswerValue::YesNo(b) => Value::from(*b),
                        AnswerValue::Text(t) => Value::from(t.as_str()),
                    },
                })
                .collect(),
            recorded_at: r.recorded_at,
        }
    }
}

/// Answers, mean (scales) and share of yes (yes/no) of one question in one
/// group.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    pub answers: u64,
    pub average: Option<f64>,
    pub yes_share: Option<f64>,
}

/// One question in one group: `all`, a `unit`, a `team` (of the customer's
/// last work order in the period) or an `agent` (who recorded the answers).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultLineView {
    pub question: String,
    #[schema(example = "scale_1_5")]
    pub kind: String,
    #[schema(example = "unit")]
    pub group_by: String,
    /// The unit, team or agent; empty for `all`.
    pub group: String,
    pub answers: u64,
    pub average: Option<f64>,
    pub yes_share: Option<f64>,
    /// The previous closed campaign's figures for the same question and group.
    pub previous: Option<FiguresView>,
    /// Current minus previous: of the mean (scales) or the share of yes (yes/no).
    pub difference: Option<f64>,
}

impl From<&ResultRow> for ResultLineView {
    fn from(r: &ResultRow) -> Self {
        ResultLineView {
            question: r.question.clone(),
            kind: r.kind.as_str().into(),
            group_by: r.group_by.as_str().into(),
            group: r.group.clone(),
            answers: r.current.answers,
            average: r.current.average,
            yes_share: r.current.yes_share,
            previous: r.previous.map(|p| FiguresView {
                answers: p.answers,
                average: p.average,
                yes_share: p.yes_share,
            }),
            difference: r.difference,
        }
    }
}

/// The campaign this one is compared with.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousCampaignView {
    pub id: Uuid,
    pub name: String,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultsView {
    pub campaign: CampaignView,
    /// The previous closed campaign of the same unit, if any.
    pub previous: Option<PreviousCampaignView>,
    /// Customers who answered.
    pub responses: u64,
    pub lines: Vec<ResultLineView>,
}

/// `?format=csv` (or `Accept: text/csv`) for CSV.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    pub format: Option<String>,
}

/// The feedback report's period and grouping.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedbackReportQuery {
    /// Feedback given from this instant (RFC 3339, or a local date).
    pub from: Option<String>,
    /// …to this one, excluded (a date: to the end of that day).
    pub to: Option<String>,
    /// `agent` (of the work order's first call), `team` (that resolved it)
    /// or `unit`.
    #[param(example = "agent")]
    pub group_by: Option<String>,
    /// `csv` for CSV (as `Accept: text/csv`).
    pub format: Option<String>,
}

/// The feedback of one agent, team or unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackGroupView {
    /// The agent, team or unit; null for feedback credited to none.
    pub group: Option<String>,
    pub count: u64,
    /// Mean score, 1–5.
    pub average: f64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}

impl From<&FeedbackGroup> for FeedbackGroupView {
    fn from(g: &FeedbackGroup) -> Self {
        FeedbackGroupView {
            group: g.group.clone(),
            count: g.count,
            average: g.average,
            distribution: g.distribution,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackReportView {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub group_by: String,
    pub groups: Vec<FeedbackGroupView>,
}
