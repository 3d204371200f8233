//! Requests that arrive by e-mail, through an e-mail gateway that has
//! already checked the message's signature: one request per message.

use chrono::{DateTime, Utc};
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::{Application, MAX_MESSAGE, NewApplicant, check_email};
use hotline_domain::principal::{Principal, PrincipalKind};
use hotline_domain::role::Role;
use hotline_domain::work_order::{NewWorkOrder, Source, WorkOrder};
use hotline_domain::{DomainError, Validation};
use uuid::Uuid;

use super::{Found, NewApplication, open};
use crate::work_orders::Opened;
use crate::{App, AppResult};

/// A message as the gateway hands it over.
#[derive(Debug, Clone, Default)]
pub struct InboundEmail {
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
}

/// Who the audit trail names for requests opened by the gateway.
fn gateway_principal() -> Principal {
    Principal {
        id: Uuid::nil(),
        name: "email-gateway".into(),
        role: Role::Integration,
        kind: PrincipalKind::ApiKey,
        unit_code: None,
        team_code: None,
        language: None,
    }
}

/// `Nguyễn Văn An <an@example.vn>` → (`Nguyễn Văn An`, `an@example.vn`);
/// a bare address is its own name.
pub fn parse_from(raw: &str) -> Result<(String, String), &'static str> {
    let raw = raw.trim();
    let (name, address) = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            (raw[..open].trim().trim_matches('"').trim(), &raw[open + 1..close])
        }
        _ => ("", raw),
    };
    let address = check_email(address)?;
    let name = if name.is_empty() {
        address.clone()
    } else {
        name.to_string()
    };
    Ok((name, address))
}

/// Opens the request of an e-mail: awaiting documents, source `email`, the
/// applicant's address from `from`, the message kept as text; its type is
/// set by staff later. A message already received answers the request it
/// opened (`false`: nothing new).
pub async fn gateway(app: &App, mail: InboundEmail) -> AppResult<(Found, bool)> {
    let mut v = Validation::new();
    let id = mail.message_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if id.is_none() {
        v.add("message_id", "is required");
    }
    if id.is_some_and(|i| i.chars().count() > 500) {
        v.add("message_id", "must be at most 500 characters");
    }
    let from = match mail.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            v.add("from", "is required");
            None
        }
        Some(f) => v.check("from", parse_from(f)),
    };
    let subject = mail.subject.unwrap_or_default();
    let text = mail.text.unwrap_or_default();
    if subject.trim().is_empty() && text.trim().is_empty() {
        v.add("text", "is required");
    }
    let kept = format!("Subject: {}\n\n{}", subject.trim(), text.trim());
    if kept.chars().count() > MAX_MESSAGE {
        v.add("text", "is too long");
    }
    v.finish()?;
    let id = id.unwrap_or_default().to_string();
    let (name, address) = from.unwrap_or_default();
    if let Some(first) = app.store.new_supply().by_message(&id).await? {
        return Ok((earlier(app, first).await?, false));
    }
    let input = NewApplication {
        applicant: NewApplicant {
            name: Some(name),
            email: Some(address),
            ..NewApplicant::default()
        },
        work_order: NewWorkOrder {
            description: Some(subject.trim().chars().take(500).collect()).filter(|s: &String| !s.is_empty()),
            source: Source::Email,
            ..NewWorkOrder::default()
        },
        message: Some((id.clone(), kept)),
        received_at: Some(mail.received_at.unwrap_or_else(|| app.now())),
        type_may_wait: true,
        ..NewApplication::default()
    };
    let opened = open(
        app,
        &gateway_principal(),
        input,
        async |wo: &WorkOrder, a: &Application| {
            Ok::<_, DomainError>(((wo.clone(), a.clone()), None::<IdempotencyRecord>))
        },
    )
    .await;
    match opened {
        Ok(Opened::New(_, (work_order, application))) => Ok((
            Found {
                application,
                work_order,
            },
            true,
        )),
        Ok(Opened::Taken(_)) => Err(DomainError::Internal("no idempotency record was given".into())),
        // The same message delivered twice at once: the other delivery won.
        Err(e) => match app.store.new_supply().by_message(&id).await? {
            Some(first) => Ok((earlier(app, first).await?, false)),
            None => Err(e),
        },
    }
}

async fn earlier(app: &App, application: Application) -> AppResult<Found> {
    let work_order = app
        .store
        .work_orders()
        .get(application.work_order_id)
        .await?
        .ok_or(DomainError::NotFound("work order"))?;
    Ok(Found {
        application,
        work_order,
    })
}
