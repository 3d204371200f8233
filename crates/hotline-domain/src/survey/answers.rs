//! One customer's answers, checked against the questionnaire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::campaign::{Question, QuestionKind};
use crate::DomainError;
use crate::codes::{CustomerCode, TeamCode, UnitCode};
use crate::validation::{Validation, optional_text};

/// A free-text answer, at most.
pub const MAX_TEXT: usize = 2000;

/// An answer's value, as its question's kind takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    YesNo(bool),
    Scale(u8),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub value: AnswerValue,
}

/// One answer as the agent sends it: the question's key and a JSON value.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub question: Option<String>,
    pub value: Option<Value>,
}

/// A customer's recorded answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub customer_code: CustomerCode,
    pub callback_id: Option<Uuid>,
    /// Who recorded them (username).
    pub agent: String,
    pub unit_code: UnitCode,
    pub team_code: Option<TeamCode>,
    pub answers: Vec<Answer>,
    pub recorded_at: DateTime<Utc>,
}

fn value_of(v: &mut Validation, field: &str, kind: QuestionKind, raw: &Value) -> Option<AnswerValue> {
    match kind {
        QuestionKind::Scale => match raw.as_u64().filter(|n| (1..=5).contains(n)) {
            Some(n) => Some(AnswerValue::Scale(n as u8)),
            None => {
                v.add(field, "must be a whole number from 1 to 5");
                None
            }
        },
        QuestionKind::YesNo => match raw.as_bool() {
            Some(b) => Some(AnswerValue::YesNo(b)),
            None => {
                v.add(field, "must be true or false");
                None
            }
        },
        QuestionKind::Text => match raw.as_str() {
            Some(s) => optional_text(v, field, Some(s), MAX_TEXT).map(AnswerValue::Text),
            None => {
                v.add(field, "must be text");
                None
            }
        },
    }
}

/// Checks the answers against the questions: each names a question of the
/// campaign once, with a value of its kind (`answers[i].value` named when
/// not), and every required question is answered. Null or empty values
/// count as not answered.
pub fn check_answers(questions: &[Question], input: Vec<AnswerInput>) -> Result<Vec<Answer>, DomainError> {
    let mut v = Validation::new();
    let mut out: Vec<Answer> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for (i, a) in input.into_iter().enumerate() {
        let key = a.question.as_deref().map(str::trim).unwrap_or_default().to_string();
        let field = format!("answers[{i}].question");
        let Some(q) = questions.iter().find(|q| q.key == key) else {
            if key.is_empty() {
                v.add(field, "is required");
            } else {
                v.add(field, "is not a question of the campaign");
            }
            continue;
        };
        if named.contains(&key) {
            v.add(field, "is answered twice");
            continue;
        }
        named.push(key.clone());
        let Some(raw) = a.value.filter(|r| !r.is_null()) else {
            continue;
        };
        let before = v.errors().len();
        match value_of(&mut v, &format!("answers[{i}].value"), q.kind, &raw) {
            Some(value) => out.push(Answer { question: key, value }),
            None if v.errors().len() > before => bad.push(key),
            None => {}
        }
    }
    for q in questions.iter().filter(|q| q.required) {
        let given = out.iter().any(|a| a.question == q.key);
        if !given && !bad.contains(&q.key) {
            v.add("answers", format!("the required question {} is not answered", q.key));
        }
    }
    if out.is_empty() && v.is_empty() {
        v.add("answers", "is required");
    }
    v.finish()?;
    Ok(out)
}
