//! Changing or deleting a campaign while it is a draft: its name, period,
//! questionnaire and sample settings, checked as a new campaign is. Once
//! sampled, the sample stands on them and they stay as they are.

use chrono::{DateTime, Utc};

use super::campaign::{Campaign, CampaignStatus, NewCampaign, NewQuestion};
use super::sample::SampleSize;
use crate::DomainError;

/// What a supervisor changes on a draft; None keeps the field. Giving
/// `per_unit` or `total` replaces the sample size.
#[derive(Debug, Clone, Default)]
pub struct DraftPatch {
    pub name: Option<String>,
    pub questions: Option<Vec<NewQuestion>>,
    pub sample_from: Option<DateTime<Utc>>,
    pub sample_to: Option<DateTime<Utc>>,
    pub per_unit: Option<u32>,
    pub total: Option<u32>,
    pub seed: Option<i64>,
    pub days: Option<u32>,
}

impl DraftPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.questions.is_none()
            && self.sample_from.is_none()
            && self.sample_to.is_none()
            && self.per_unit.is_none()
            && self.total.is_none()
            && self.seed.is_none()
            && self.days.is_none()
    }
}

fn unchanged(questions: &[super::campaign::Question]) -> Vec<NewQuestion> {
    questions
        .iter()
        .map(|q| NewQuestion {
            key: Some(q.key.clone()),
            text: Some(q.text.clone()),
            kind: Some(q.kind.as_str().to_string()),
            required: Some(q.required),
        })
        .collect()
}

impl Campaign {
    /// 409 unless the campaign is still a draft (one sampled, opened or
    /// closed is kept: its sample and answers stand on it).
    pub fn deletable(&self) -> Result<(), DomainError> {
        if self.status == CampaignStatus::Draft {
            Ok(())
        } else {
            Err(DomainError::Conflict("only a draft campaign can be deleted".into()))
        }
    }

    /// The draft with `patch` applied, one version on: every field checked
    /// as on creation (each bad one named), 409 once it is sampled. The
    /// unit, author and creation time stay.
    pub fn edited(&self, patch: DraftPatch, now: DateTime<Utc>) -> Result<Campaign, DomainError> {
        if self.status != CampaignStatus::Draft {
            return Err(DomainError::Conflict("only a draft campaign can be changed".into()));
        }
        let (per_unit, total) = match (patch.per_unit, patch.total, self.size) {
            (None, None, SampleSize::PerUnit(n)) => (Some(n), None),
            (None, None, SampleSize::Total(n)) => (None, Some(n)),
            given => (given.0, given.1),
        };
        let input = NewCampaign {
            name: Some(patch.name.unwrap_or_else(|| self.name.clone())),
            unit_code: Some(self.unit_code.to_string()),
            questions: patch.questions.unwrap_or_else(|| unchanged(&self.questions)),
            sample_from: Some(patch.sample_from.unwrap_or(self.sample_from)),
            sample_to: Some(patch.sample_to.unwrap_or(self.sample_to)),
            per_unit,
            total,
            seed: Some(patch.seed.unwrap_or(self.seed)),
            days: Some(patch.days.unwrap_or(self.days)),
        };
        let checked = Campaign::create(input, &self.created_by, self.created_at)?;
        Ok(Campaign {
            id: self.id,
            status: self.status,
            updated_at: now.max(self.updated_at),
            version: self.version + 1,
            ..checked
        })
    }
}
