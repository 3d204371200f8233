//! A survey campaign: its questionnaire, the period whose contacts are
//! sampled, how many to sample, the seed, and its life
//! `draft → sampling → open → closed`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::sample::SampleSize;
use crate::DomainError;
use crate::codes::{self, UnitCode};
use crate::validation::{Validation, optional_text, present};

pub const MAX_NAME: usize = 200;
pub const MAX_QUESTION_TEXT: usize = 500;
pub const MAX_KEY: usize = 50;
pub const MAX_QUESTIONS: usize = 50;
/// Customers sampled per unit (or in all), at most.
pub const MAX_SAMPLE: u32 = 5000;
/// Days the survey calls are spread over, at most.
pub const MAX_DAYS: u32 = 90;

named_enum!(
    /// What a question takes for an answer.
    QuestionKind {
        Scale => "scale_1_5",
        YesNo => "yes_no",
        Text => "text",
    }
);

named_enum!(
    CampaignStatus {
        Draft => "draft",
        Sampling => "sampling",
        Open => "open",
        Closed => "closed",
    }
);

named_enum!(
    /// A step a supervisor takes: open the sampled campaign (its survey
    /// calls join the worklists), or close it.
    CampaignAction {
        Open => "open",
        Close => "close",
    }
);

/// One question of the questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable key (`a-z`, `0-9`, `_`): answers and the comparison with an
    /// earlier campaign go by it.
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    pub required: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NewQuestion {
    pub key: Option<String>,
    pub text: Option<String>,
    pub kind: Option<String>,
    pub required: Option<bool>,
}

/// A campaign as a supervisor types it.
#[derive(Debug, Clone, Default)]
pub struct NewCampaign {
    pub name: Option<String>,
    pub unit_code: Option<String>,
    pub questions: Vec<NewQuestion>,
    pub sample_from: Option<DateTime<Utc>>,
    pub sample_to: Option<DateTime<Utc>>,
    pub per_unit: Option<u32>,
    pub total: Option<u32>,
    pub seed: Option<i64>,
    pub days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    /// Whose campaign it is: its people see it, and its subtree's
    /// customers are sampled.
    pub unit_code: UnitCode,
    pub questions: Vec<Question>,
    /// The period whose contacts are sampled: from (included) to (excluded).
    pub sample_from: DateTime<Utc>,
    pub sample_to: DateTime<Utc>,
    pub size: SampleSize,
    pub seed: i64,
    /// The survey calls are due spread over this many days from opening.
    pub days: u32,
    pub status: CampaignStatus,
    pub sampled_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Which campaigns a list asks for.
#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    /// Unit codes the caller sees; None for all.
    pub units: Option<Vec<String>>,
    pub status: Option<CampaignStatus>,
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn questions(v: &mut Validation, raw: Vec<NewQuestion>) -> Vec<Question> {
    if raw.is_empty() {
        v.add("questions", "is required");
    }
    if raw.len() > MAX_QUESTIONS {
        v.add("questions", "must have at most 50 questions");
    }
    let mut out: Vec<Question> = Vec::new();
    for (i, q) in raw.into_iter().enumerate() {
        let key = q.key.as_deref().map(str::trim).unwrap_or_default().to_string();
        if key.is_empty() {
            v.add(format!("questions[{i}].key"), "is required");
        } else if !key_ok(&key) {
            v.add(
                format!("questions[{i}].key"),
                "must be 1 to 50 lower-case letters, digits or underscores",
            );
        } else if out.iter().any(|o| o.key == key) {
            v.add(format!("questions[{i}].key"), "is used by an earlier question");
        }
        let text = optional_text(v, &format!("questions[{i}].text"), q.text.as_deref(), MAX_QUESTION_TEXT);
        if text.is_none() && q.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            v.add(format!("questions[{i}].text"), "is required");
        }
        let kind = match q.kind.as_deref().map(str::trim) {
            None | Some("") => {
                v.add(format!("questions[{i}].kind"), "is required");
                None
            }
            Some(k) => v.check(&format!("questions[{i}].kind"), k.parse::<QuestionKind>()),
        };
        if let (Some(text), Some(kind)) = (text, kind) {
            out.push(Question {
                key,
                text,
                kind,
                required: q.required.unwrap_or(false),
            });
        }
    }
    out
}

impl Campaign {
    /// Checks a campaign typed by a supervisor (every bad field named) and
    /// builds the draft to store.
    pub fn create(input: NewCampaign, created_by: &str, now: DateTime<Utc>) -> Result<Campaign, DomainError> {
        let mut v = Validation::new();
        let name = optional_text(&mut v, "name", input.name.as_deref(), MAX_NAME);
        if name.is_none() && v.errors().iter().all(|e| e.field != "name") {
            v.add("name", "is required");
        }
        let unit = codes::required::<UnitCode>(&mut v, "unit_code", input.unit_code.as_deref());
        let questions = questions(&mut v, input.questions);
        if input.sample_from.is_none() {
            v.add("sample_from", "is required");
        }
        if input.sample_to.is_none() {
            v.add("sample_to", "is required");
        }
        if let (Some(from), Some(to)) = (input.sample_from, input.sample_to)
            && to <= from
        {
            v.add("sample_to", "must be after sample_from");
        }
        let size = match (input.per_unit, input.total) {
            (Some(_), Some(_)) => {
                v.add("total", "give per_unit or total, not both");
                None
            }
            (None, None) => {
                v.add("per_unit", "give per_unit or total");
                None
            }
            (Some(n), None) if n == 0 || n > MAX_SAMPLE => {
                v.add("per_unit", "must be between 1 and 5000");
                None
            }
            (None, Some(n)) if n == 0 || n > MAX_SAMPLE => {
                v.add("total", "must be between 1 and 5000");
                None
            }
            (Some(n), None) => Some(SampleSize::PerUnit(n)),
            (None, Some(n)) => Some(SampleSize::Total(n)),
        };
        if input.seed.is_none() {
            v.add("seed", "is required");
        }
        let days = input.days.unwrap_or(7);
        if days == 0 || days > MAX_DAYS {
            v.add("days", "must be between 1 and 90");
        }
        v.finish()?;
        Ok(Campaign {
            id: Uuid::now_v7(),
            name: present(name, "name")?,
            unit_code: present(unit, "unit_code")?,
            questions,
            sample_from: crate::time::truncate(present(input.sample_from, "sample_from")?),
            sample_to: crate::time::truncate(present(input.sample_to, "sample_to")?),
            size: present(size, "per_unit")?,
            seed: present(input.seed, "seed")?,
            days,
            status: CampaignStatus::Draft,
            sampled_at: None,
            opened_at: None,
            closed_at: None,
            created_by: created_by.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    fn next(&self, now: DateTime<Utc>) -> Campaign {
        let mut next = self.clone();
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        next
    }

    /// The sample was drawn: a draft moves to `sampling`. 409 otherwise.
    pub fn sampled(&self, now: DateTime<Utc>) -> Result<Campaign, DomainError> {
        if self.status != CampaignStatus::Draft {
            return Err(DomainError::Conflict("only a draft campaign can be sampled".into()));
        }
        let mut next = self.next(now);
        next.status = CampaignStatus::Sampling;
        next.sampled_at = Some(now);
        Ok(next)
    }

    /// Opens a sampled campaign or closes an open one. 409 otherwise.
    pub fn acted(&self, action: CampaignAction, now: DateTime<Utc>) -> Result<Campaign, DomainError> {
        let mut next = self.next(now);
        match (action, self.status) {
            (CampaignAction::Open, CampaignStatus::Sampling) => {
                next.status = CampaignStatus::Open;
                next.opened_at = Some(now);
            }
            (CampaignAction::Close, CampaignStatus::Open) => {
                next.status = CampaignStatus::Closed;
                next.closed_at = Some(now);
            }
            (CampaignAction::Open, _) => {
                return Err(DomainError::Conflict("only a sampled campaign can be opened".into()));
            }
            (CampaignAction::Close, _) => {
                return Err(DomainError::Conflict("only an open campaign can be closed".into()));
            }
        }
        Ok(next)
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// What the audit trail keeps of it.
    pub fn audit_view(&self) -> Value {
        json!({
            "name": self.name,
            "unit_code": self.unit_code,
            "questions": self.questions,
            "sample_from": self.sample_from,
            "sample_to": self.sample_to,
            "size": self.size,
            "seed": self.seed,
            "days": self.days,
            "status": self.status.as_str(),
        })
    }

    /// What `survey_campaign.*` events carry.
    pub fn event_data(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "unit_code": self.unit_code,
            "status": self.status.as_str(),
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "version": self.version,
        })
    }
}
