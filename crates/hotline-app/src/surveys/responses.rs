//! Recording one customer's answers on their survey call: checked against
//! the questionnaire, by the agent, closing the survey callback as done
//! (reached). A refusal or no answer is an attempt on the callback, as for
//! any other.

use hotline_domain::audit::AuditEntry;
use hotline_domain::callback::{AttemptInput, AttemptOutcome};
use hotline_domain::event::{self as events, OutboxEvent, callback_changes};
use hotline_domain::principal::Principal;
use hotline_domain::survey::{AnswerInput, CampaignStatus, Response, check_answers};
use hotline_domain::{CustomerCode, DomainError, StoreError};
use serde_json::json;
use uuid::Uuid;

use super::{find, may_answer};
use crate::{App, AppResult, versions};

/// Records the answers of the sampled customer `customer_code` to an open
/// campaign: 422 naming the field for a customer not sampled or a bad
/// answer (`answers[i].value`), 409 when the campaign is not open or the
/// customer's answers are recorded already.
pub async fn record(
    app: &App,
    who: &Principal,
    id: Uuid,
    customer_code: Option<&str>,
    answers: Vec<AnswerInput>,
) -> AppResult<Response> {
    may_answer(who)?;
    let campaign = find(app, who, id).await?;
    if campaign.status != CampaignStatus::Open {
        return Err(DomainError::Conflict("the campaign is not open".into()));
    }
    let mut v = hotline_domain::Validation::new();
    let code = hotline_domain::codes::required::<CustomerCode>(&mut v, "customer_code", customer_code);
    let checked = check_answers(&campaign.questions, answers);
    let answers = match checked {
        Ok(a) => Some(a),
        Err(DomainError::Validation(errs)) => {
            for e in errs {
                v.add(e.field, e.message);
            }
            None
        }
        Err(e) => return Err(e),
    };
    v.finish()?;
    let code = code.ok_or_else(|| DomainError::invalid("customer_code", "is required"))?;
    let answers = answers.unwrap_or_default();
    let sample = app.store.surveys().sample(id).await?;
    let Some(sampled) = sample.into_iter().find(|s| s.candidate.customer_code == code) else {
        return Err(DomainError::invalid("customer_code", "is not in the campaign's sample"));
    };
    let now = app.now();
    let response = Response {
        id: Uuid::now_v7(),
        campaign_id: id,
        customer_code: code,
        callback_id: sampled.callback_id,
        agent: who.name.clone(),
        unit_code: sampled.candidate.unit_code.clone(),
        team_code: sampled.candidate.team_code.clone(),
        answers,
        recorded_at: now,
    };
    let mut audit = vec![AuditEntry::new(
        "survey_response",
        response.id,
        "create",
        who,
        now,
        json!({
            "campaign_id": id,
            "customer_code": response.customer_code,
            "answers": response.answers,
        }),
    )];
    let mut announced = vec![OutboxEvent::survey(
        events::SURVEY_RESPONSE_RECORDED,
        &campaign.unit_code,
        response.id,
        json!({
            "id": response.id,
            "campaign_id": id,
            "customer_code": response.customer_code,
            "agent": response.agent,
            "unit_code": response.unit_code,
            "recorded_at": now,
        }),
        now,
    )];
    let mut closing = None;
    if let Some(cb_id) = sampled.callback_id
        && let Some(cb) = app.store.callbacks().get(cb_id).await?
        && cb.is_open()
    {
        let input = AttemptInput {
            outcome: AttemptOutcome::Reached,
            by: who.actor(),
            at: now,
            call_id: None,
            note: None,
        };
        let done = cb.attempted(input, now)?;
        audit.push(AuditEntry::new(
            "callback",
            cb.id,
            "attempt",
            who,
            now,
            hotline_domain::audit::diff(&cb.audit_view(), &done.audit_view()),
        ));
        for t in callback_changes(Some(&cb), &done) {
            announced.push(OutboxEvent::callback(t, &done, now));
        }
        closing = Some((done, cb.version));
    }
    let stored = app
        .store
        .surveys()
        .record_response(&response, closing.as_ref().map(|(c, v)| (c, *v)), &audit, &announced)
        .await;
    match stored {
        Ok(ok) => versions::stored(ok)?,
        Err(StoreError::Duplicate(_)) => {
            return Err(DomainError::Conflict(
                "the customer's answers are recorded already".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(response)
}
