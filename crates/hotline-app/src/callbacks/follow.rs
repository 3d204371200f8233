//! Callbacks hotline opens and closes by itself: from the calls logged
//! (by the API or a PBX) and from resolved incidents.

use hotline_domain::call::{Call, Direction, Outcome};
use hotline_domain::callback::{
    AttemptInput, AttemptOutcome, Callback, CallbackFilter, CallbackStatus, Reason, SourceCall, local_day,
};
use hotline_domain::incident::Incident;
use hotline_domain::phone::PhoneNumber;
use hotline_domain::principal::Principal;
use hotline_domain::{DomainError, StoreError};

use super::open::{customer_of, store};
use super::save;
use crate::{App, AppResult};

/// A number's callbacks looked at, at most.
const PER_NUMBER: u64 = 200;

async fn of_number(app: &App, number: &PhoneNumber, statuses: Vec<CallbackStatus>) -> AppResult<Vec<Callback>> {
    let filter = CallbackFilter {
        number: Some(number.as_str().to_string()),
        statuses,
        ..CallbackFilter::default()
    };
    Ok(app.store.callbacks().list(&filter, None, PER_NUMBER).await?)
}

async fn open_of(app: &App, number: &PhoneNumber) -> AppResult<Vec<Callback>> {
    of_number(app, number, vec![CallbackStatus::Open]).await
}

/// What a call logged or changed does to the callbacks of its number:
/// an abandoned or missed inbound call opens one (or merges into the one
/// open that local day); an answered inbound call closes the open ones as
/// done; an outbound call that ended is an attempt on them (`reached` when
/// answered). Withheld numbers get none; a call already counted changes
/// nothing.
///
/// The call is stored already and stays the record that counts: a callback
/// another request changed or opened meanwhile (two calls from one number
/// at once) is read again and the change re-applied; should that keep failing, or
/// the store fail, the call is still answered and the miss is logged.
pub async fn follow_call(app: &App, who: &Principal, call: &Call) -> AppResult<()> {
    let mut tries = 0;
    loop {
        tries += 1;
        match follow_once(app, who, call).await {
            // Changed meanwhile, or opened meanwhile by another call from
            // the number (one open per number and day): read and apply again.
            Err(DomainError::PreconditionFailed | DomainError::Store(StoreError::Duplicate(_))) if tries < RETRIES => {
                // One of the racing calls wins each round; the others wait
                // a moment, spread out, so that with many at once the
                // last one still gets its turn.
                let pause = rand::random_range(1..=4 * u64::from(tries));
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(call_id = %call.id, error = %e, "the call's callback was not updated");
                return Ok(());
            }
            Ok(()) => return Ok(()),
        }
    }
}

/// Times a change is re-applied over a callback changed meanwhile: more
/// than the calls from one number that a PBX reports at one moment (six
/// at once needed six rounds for the last, on PostgreSQL).
const RETRIES: u32 = 12;

async fn follow_once(app: &App, who: &Principal, call: &Call) -> AppResult<()> {
    match call.direction {
        Direction::Inbound => {
            let Some(number) = call.caller_number.as_ref() else {
                return Ok(());
            };
            match call.outcome {
                Some(Outcome::Abandoned) => unanswered(app, who, call, number, Reason::Abandoned).await,
                Some(Outcome::Missed) => unanswered(app, who, call, number, Reason::Missed).await,
                _ if call.answered_at.is_some() || call.outcome == Some(Outcome::Answered) => {
                    let at = call.answered_at.unwrap_or(call.started_at);
                    let now = app.now();
                    for cb in open_of(app, number).await? {
                        if let Some(done) = cb.got_through(call.id, at, now) {
                            save(app, who, "got_through", &cb, &done).await?;
                        }
                    }
                    Ok(())
                }
                _ => Ok(()),
            }
        }
        Direction::Outbound => {
            let Some(number) = call.callee_number.as_ref() else {
                return Ok(());
            };
            let outcome = if call.answered_at.is_some() || call.outcome == Some(Outcome::Answered) {
                AttemptOutcome::Reached
            } else if call.outcome == Some(Outcome::Busy) {
                AttemptOutcome::Busy
            } else if call.ended_at.is_some() || call.outcome.is_some() {
                AttemptOutcome::NoAnswer
            } else {
                return Ok(());
            };
            let at = call.answered_at.or(call.ended_at).unwrap_or(call.started_at);
            let now = app.now();
            for cb in open_of(app, number).await? {
                if cb.knows_call(call.id) {
                    continue;
                }
                let input = AttemptInput {
                    outcome,
                    by: call.agent.clone().unwrap_or_else(|| who.actor()),
                    at,
                    call_id: Some(call.id),
                    note: None,
                };
                let next = cb.attempted(input, now)?;
                save(app, who, "attempt", &cb, &next).await?;
            }
            Ok(())
        }
    }
}

/// An unanswered inbound call: merged into the callback open for the
/// number that local day, or a new one, due within the target.
async fn unanswered(app: &App, who: &Principal, call: &Call, number: &PhoneNumber, reason: Reason) -> AppResult<()> {
    let known = of_number(app, number, Vec::new()).await?;
    if known.iter().any(|cb| cb.knows_call(call.id)) {
        return Ok(());
    }
    let now = app.now();
    let day = local_day(call.started_at);
    if let Some(cb) = known.iter().find(|cb| cb.is_open() && cb.day == day) {
        if let Some(next) = cb.merged(call.id, call.started_at, now) {
            save(app, who, "merge_call", cb, &next).await?;
        }
        return Ok(());
    }
    let due = app
        .settings
        .callback_hours
        .add(call.started_at, app.settings.callback_target_minutes);
    let mut cb = Callback::opened(
        number.clone(),
        reason,
        due,
        &who.actor(),
        app.settings.callback_max_attempts,
        now,
    );
    cb.day = day;
    cb.queue = call.queue.clone();
    cb.calls.push(SourceCall {
        id: call.id,
        at: call.started_at,
        closing: false,
    });
    let (customer, unit) = customer_of(app, number.as_str(), call.customer_code.as_ref()).await?;
    cb.customer_code = customer;
    cb.unit_code = unit;
    store(app, who, &cb, None).await?;
    Ok(())
}

/// Opens one callback per customer who asked for one on the resolved
/// incident's work orders (by customer code, or by number when none),
/// due now, in the customer's unit or else the incident's. The incident is
/// resolved already: a callback the store refuses is logged, not answered.
pub async fn after_incident(
    app: &App,
    who: &Principal,
    incident: &Incident,
    asked: &[hotline_domain::incident::Callback],
) -> AppResult<usize> {
    let now = app.now();
    let mut seen: Vec<String> = Vec::new();
    let mut opened = 0;
    for entry in asked {
        let Some(number) = entry
            .caller_numbers
            .iter()
            .find_map(|n| PhoneNumber::parse(n).ok().flatten())
        else {
            continue;
        };
        let key = entry
            .customer_code
            .as_ref()
            .map_or_else(|| number.as_str().to_string(), ToString::to_string);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut cb = Callback::opened(
            number.clone(),
            Reason::IncidentRestored,
            // Due at once, or at the next opening of the calling hours.
            app.settings.callback_hours.add(now, 0),
            &who.actor(),
            app.settings.callback_max_attempts,
            now,
        );
        cb.incident_id = Some(incident.id);
        let name = incident.code.clone().unwrap_or_else(|| incident.id.to_string());
        cb.note = Some(format!("Sự cố {name} đã khắc phục; phiếu {}", entry.work_order_code));
        let (customer, unit) = customer_of(app, number.as_str(), entry.customer_code.as_ref()).await?;
        cb.customer_code = customer;
        cb.unit_code = unit.or_else(|| incident.unit_code.clone());
        match store(app, who, &cb, None).await {
            Ok(_) => opened += 1,
            Err(e) => {
                tracing::warn!(incident_id = %incident.id, error = %e, "a restored customer's callback was not opened")
            }
        }
    }
    Ok(opened)
}
