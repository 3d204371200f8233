//! Survey rows to and from the domain's records.

use hotline_domain::StoreError;
use hotline_domain::survey::{Campaign, CampaignStatus, Candidate, Response, Sampled};
use hotline_domain::{CustomerCode, TeamCode, UnitCode};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::entities::survey::{campaign, response, sample};
use crate::errors::DbResult;
use crate::stores::decode;

fn json<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> DbResult<T> {
    Ok(
        serde_json::from_str(raw)
            .map_err(|e| StoreError::Other(format!("unreadable {column} in the database: {e}")))?,
    )
}

fn text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(super) fn campaign_row(c: &Campaign) -> campaign::ActiveModel {
    campaign::ActiveModel {
        id: Set(c.id),
        name: Set(c.name.clone()),
        unit_code: Set(c.unit_code.to_string()),
        questions: Set(text(&c.questions)),
        sample_from: Set(c.sample_from),
        sample_to: Set(c.sample_to),
        size: Set(text(&c.size)),
        seed: Set(c.seed),
        days: Set(i32::try_from(c.days).unwrap_or(i32::MAX)),
        status: Set(c.status.as_str().into()),
        sampled_at: Set(c.sampled_at),
        opened_at: Set(c.opened_at),
        closed_at: Set(c.closed_at),
        created_by: Set(c.created_by.clone()),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
        version: Set(c.version),
    }
}

pub(super) fn campaign_of(m: campaign::Model) -> DbResult<Campaign> {
    Ok(Campaign {
        id: m.id,
        name: m.name,
        unit_code: UnitCode::stored(m.unit_code),
        questions: json("questions", &m.questions)?,
        sample_from: m.sample_from,
        sample_to: m.sample_to,
        size: json("size", &m.size)?,
        seed: m.seed,
        days: u32::try_from(m.days).unwrap_or(1),
        status: decode("status", &m.status, CampaignStatus::parse)?,
        sampled_at: m.sampled_at,
        opened_at: m.opened_at,
        closed_at: m.closed_at,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

pub(super) fn sample_row(campaign_id: Uuid, s: &Sampled) -> sample::ActiveModel {
    sample::ActiveModel {
        campaign_id: Set(campaign_id),
        customer_code: Set(s.candidate.customer_code.to_string()),
        unit_code: Set(s.candidate.unit_code.to_string()),
        team_code: Set(s.candidate.team_code.as_ref().map(ToString::to_string)),
        number: Set(s.candidate.number.clone()),
        position: Set(i32::try_from(s.position).unwrap_or(i32::MAX)),
        callback_id: Set(s.callback_id),
    }
}

pub(super) fn sampled_of(m: sample::Model) -> Sampled {
    Sampled {
        candidate: Candidate {
            customer_code: CustomerCode::stored(m.customer_code),
            unit_code: UnitCode::stored(m.unit_code),
            number: m.number,
            team_code: m.team_code.map(TeamCode::stored),
        },
        position: u32::try_from(m.position).unwrap_or(0),
        callback_id: m.callback_id,
    }
}

pub(super) fn response_row(r: &Response) -> response::ActiveModel {
    response::ActiveModel {
        id: Set(r.id),
        campaign_id: Set(r.campaign_id),
        customer_code: Set(r.customer_code.to_string()),
        callback_id: Set(r.callback_id),
        agent: Set(r.agent.clone()),
        unit_code: Set(r.unit_code.to_string()),
        team_code: Set(r.team_code.as_ref().map(ToString::to_string)),
        answers: Set(text(&r.answers)),
        recorded_at: Set(r.recorded_at),
    }
}

pub(super) fn response_of(m: response::Model) -> DbResult<Response> {
    Ok(Response {
        id: m.id,
        campaign_id: m.campaign_id,
        customer_code: CustomerCode::stored(m.customer_code),
        callback_id: m.callback_id,
        agent: m.agent,
        unit_code: UnitCode::stored(m.unit_code),
        team_code: m.team_code.map(TeamCode::stored),
        answers: json("answers", &m.answers)?,
        recorded_at: m.recorded_at,
    })
}
