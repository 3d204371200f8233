//! Sample survey campaigns of the Cà Mau sample unit: last year's, closed
//! with its answers, and this year's, open, with its survey callbacks on
//! the `survey` queue and a few answers recorded, so the results compare
//! with the previous campaign.

use chrono::{DateTime, Duration, Utc};
use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::{AttemptInput, AttemptOutcome, Callback, Reason};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::{CampaignChange, Store};
use hotline_domain::role::Role;
use hotline_domain::survey::{
    Answer, AnswerValue, Campaign, CampaignAction, Candidate, NewCampaign, NewQuestion, Response, Sampled,
};
use hotline_domain::{TeamCode, UnitCode};
use hotline_persistence::Db;
use uuid::Uuid;

use super::people::sample_customer;

const UNIT: &str = "PB98";
const AGENTS: [&str; 3] = ["lan", "hoa", "minh"];

fn questionnaire() -> Vec<NewQuestion> {
    [
        (
            "hai_long",
            "Anh/chị hài lòng với thái độ phục vụ của nhân viên không?",
            "scale_1_5",
            true,
        ),
        (
            "goi_lai",
            "Nhân viên có gọi lại cho anh/chị đúng hẹn không?",
            "yes_no",
            false,
        ),
        ("gop_y", "Anh/chị có góp ý gì cho ngành điện không?", "text", false),
    ]
    .into_iter()
    .map(|(key, text, kind, required)| NewQuestion {
        key: Some(key.into()),
        text: Some(text.into()),
        kind: Some(kind.into()),
        required: Some(required),
    })
    .collect()
}

/// The first `n` sample customers of the unit among the first `customers`.
fn sample(customers: u64, n: usize, skip: usize, now: DateTime<Utc>) -> Vec<Sampled> {
    (0..customers.min(20_000))
        .map(|i| sample_customer(i, now))
        .filter(|c| c.unit_code.as_deref() == Some(UNIT))
        .skip(skip)
        .take(n)
        .enumerate()
        .map(|(i, c)| Sampled {
            candidate: Candidate {
                number: c.phones[0].number.as_str().to_string(),
                customer_code: c.code,
                unit_code: UnitCode::stored(UNIT),
                team_code: Some(TeamCode::stored(format!("{UNIT}-T{}", i % 3 + 1))),
            },
            position: i as u32,
            callback_id: None,
        })
        .collect()
}

fn response(c: &Campaign, s: &Sampled, i: usize, at: DateTime<Utc>, better: bool) -> Response {
    let score = if better { 3 + (i % 3) as u8 } else { 2 + (i % 3) as u8 };
    Response {
        id: Uuid::now_v7(),
        campaign_id: c.id,
        customer_code: s.candidate.customer_code.clone(),
        callback_id: s.callback_id,
        agent: AGENTS[i % AGENTS.len()].into(),
        unit_code: s.candidate.unit_code.clone(),
        team_code: s.candidate.team_code.clone(),
        answers: vec![
            Answer {
                question: "hai_long".into(),
                value: AnswerValue::Scale(score),
            },
            Answer {
                question: "goi_lai".into(),
                value: AnswerValue::YesNo(better || i.is_multiple_of(2)),
            },
            Answer {
                question: "gop_y".into(),
                value: AnswerValue::Text("Mong điện lực thông báo lịch cắt điện sớm hơn".into()),
            },
        ],
        recorded_at: at,
    }
}

async fn campaign(store: &dyn Store, name: &str, seed: i64, at: DateTime<Utc>) -> Result<Campaign, String> {
    let fail = |e: &dyn std::fmt::Display| format!("seeding survey campaigns: {e}");
    let input = NewCampaign {
        name: Some(name.into()),
        unit_code: Some(UNIT.into()),
        questions: questionnaire(),
        sample_from: Some(at - Duration::days(90)),
        sample_to: Some(at),
        per_unit: Some(10),
        seed: Some(seed),
        days: Some(7),
        ..NewCampaign::default()
    };
    let c = Campaign::create(input, "system:seed", at).map_err(|e| fail(&e))?;
    let entry = AuditEntry::new(
        "survey_campaign",
        c.id,
        "create",
        &super::seeder("seed", Role::Admin),
        at,
        c.audit_view(),
    );
    store
        .surveys()
        .create_campaign(&c, &entry, None)
        .await
        .map_err(|e| fail(&e))?;
    Ok(c)
}

/// Stores the two sample campaigns as of `now`, sampled from the first
/// `customers` sample customers.
pub async fn surveys(db: &Db, customers: u64, now: DateTime<Utc>) -> Result<(), String> {
    let store: &dyn Store = db;
    let who = super::seeder("seed", Role::Admin);
    let fail = |e: &dyn std::fmt::Display| format!("seeding survey campaigns: {e}");
    let mut runs = Vec::new();
    for (name, seed, at, skip) in [
        (
            "Khảo sát thái độ phục vụ năm trước",
            2025,
            now - Duration::days(365),
            10,
        ),
        ("Khảo sát thái độ phục vụ năm nay", 2026, now - Duration::days(2), 0),
    ] {
        let c = campaign(store, name, seed, at).await?;
        let drawn = sample(customers, 10, skip, now);
        if drawn.is_empty() {
            return Ok(());
        }
        let sampled = c.sampled(at).map_err(|e| fail(&e))?;
        let entry = AuditEntry::new("survey_campaign", c.id, "sample", &who, at, sampled.audit_view());
        store
            .surveys()
            .save_sample(&sampled, c.version, &drawn, &entry)
            .await
            .map_err(|e| fail(&e))?;
        let open = sampled.acted(CampaignAction::Open, at).map_err(|e| fail(&e))?;
        let mut drawn = drawn;
        let callbacks: Vec<Callback> = drawn
            .iter_mut()
            .map(|s| {
                let mut cb = Callback::opened(
                    PhoneNumber::from_stored(s.candidate.number.clone()),
                    Reason::Survey,
                    at + Duration::days(i64::from(s.position % 7)),
                    "system:seed",
                    3,
                    at,
                );
                cb.customer_code = Some(s.candidate.customer_code.clone());
                cb.unit_code = Some(s.candidate.unit_code.clone());
                cb.queue = Some("survey".into());
                cb.note = Some(format!("Khảo sát: {name}"));
                s.callback_id = Some(cb.id);
                cb
            })
            .collect();
        let entry = AuditEntry::new("survey_campaign", c.id, "open", &who, at, open.audit_view());
        store
            .surveys()
            .change_campaign(CampaignChange {
                campaign: &open,
                expected_version: sampled.version,
                opened: &callbacks,
                changed: &[],
                audit: &[entry],
                events: &[],
            })
            .await
            .map_err(|e| fail(&e))?;
        runs.push((open, drawn, callbacks, at));
    }
    let last = runs.len().saturating_sub(1);
    for (n, (c, drawn, callbacks, at)) in runs.into_iter().enumerate() {
        let answered = if n == last { 4 } else { 8 };
        for (i, (s, cb)) in drawn.iter().zip(&callbacks).take(answered).enumerate() {
            let when = at + Duration::hours(2 + i as i64);
            let input = AttemptInput {
                outcome: AttemptOutcome::Reached,
                by: format!("user:{}", AGENTS[i % AGENTS.len()]),
                at: when,
                call_id: None,
                note: None,
            };
            let done = cb.attempted(input, when).map_err(|e| fail(&e))?;
            let r = response(&c, s, i, when, n == last);
            let entry = AuditEntry::new("survey_response", r.id, "create", &who, when, serde_json::json!({}));
            store
                .surveys()
                .record_response(&r, Some((&done, cb.version)), &[entry], &[])
                .await
                .map_err(|e| fail(&e))?;
        }
        if n != last {
            let closed = c
                .acted(CampaignAction::Close, at + Duration::days(30))
                .map_err(|e| fail(&e))?;
            let entry = AuditEntry::new(
                "survey_campaign",
                c.id,
                "close",
                &who,
                closed.updated_at,
                closed.audit_view(),
            );
            // Last year's calls nobody answered were cancelled at closing.
            let mut changed = Vec::new();
            for cb in callbacks.iter().skip(answered) {
                let cancel = hotline_domain::callback::CallbackPatch {
                    cancel: true,
                    ..Default::default()
                };
                changed.push((cb.patched(cancel, closed.updated_at).map_err(|e| fail(&e))?, cb.version));
            }
            store
                .surveys()
                .change_campaign(CampaignChange {
                    campaign: &closed,
                    expected_version: c.version,
                    opened: &[],
                    changed: &changed,
                    audit: &[entry],
                    events: &[],
                })
                .await
                .map_err(|e| fail(&e))?;
        }
    }
    Ok(())
}
