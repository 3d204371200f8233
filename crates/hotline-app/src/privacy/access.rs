//! Subject access: everything held about one person, found by their
//! customer code or a phone number — the customer record, calls with their
//! topics, work orders with complaint facts and feedback, callbacks,
//! new-supply applications where they are the applicant (by phone or
//! e-mail), survey responses, and who read their data. Each section holds
//! at most [`SECTION_LIMIT`] records, newest first, and says when there
//! are more (the lists of calls, work orders, callbacks and reads page
//! through the rest). The export is itself a read, and is logged as one.

use std::collections::{BTreeSet, HashMap};

use hotline_domain::call::{Call, CallFilter, CallerMatch};
use hotline_domain::call_topic::CallTopic;
use hotline_domain::callback::{Callback, CallbackFilter};
use hotline_domain::complaint::ComplaintFacts;
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::new_supply::{Application, ApplicationFilter, Search};
use hotline_domain::personal_read::{PersonalRead, ReadFilter};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::survey::Response;
use hotline_domain::work_order::{Feedback, WorkOrder, WorkOrderFilter};
use hotline_domain::{CustomerCode, DomainError};

use crate::roles::require;
use crate::{App, AppResult, scope};

/// Records one section holds at most.
pub const SECTION_LIMIT: u64 = 200;

/// Whom the export is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A customer code, normalised.
    Customer(String),
    /// A phone number in E.164.
    Number(String),
}

/// Up to [`SECTION_LIMIT`] records, and whether more were left out.
#[derive(Debug, Clone)]
pub struct Section<T> {
    pub items: Vec<T>,
    pub truncated: bool,
}

impl<T> Section<T> {
    fn of(mut items: Vec<T>) -> Self {
        let truncated = items.len() as u64 > SECTION_LIMIT;
        items.truncate(SECTION_LIMIT as usize);
        Section { items, truncated }
    }
}

/// A work order with what the person said about it.
#[derive(Debug, Clone)]
pub struct HeldWorkOrder {
    pub work_order: WorkOrder,
    pub facts: Option<ComplaintFacts>,
    pub feedback: Option<Feedback>,
}

/// Everything held about the subject.
#[derive(Debug, Clone)]
pub struct Held {
    pub subject: Subject,
    pub customers: Vec<Customer>,
    /// The numbers searched: the one given, or the customer's phones.
    pub numbers: Vec<String>,
    pub calls: Section<(Call, Vec<CallTopic>)>,
    pub work_orders: Section<HeldWorkOrder>,
    pub callbacks: Section<Callback>,
    pub new_supply: Section<(Application, WorkOrder)>,
    pub survey_responses: Section<Response>,
    pub reads: Section<PersonalRead>,
}

/// 403 unless an admin or a supervisor.
pub fn may_export(who: &Principal) -> AppResult<()> {
    require(
        who,
        matches!(who.role, Role::Admin | Role::Supervisor),
        "export what is held about a person",
    )
}

/// Newest first by the instant `at` gives, without repeats by `id`.
fn merged<T, K: Ord + Copy, S: Ord>(lists: Vec<Vec<T>>, id: impl Fn(&T) -> K, at: impl Fn(&T) -> S) -> Vec<T> {
    let mut seen = BTreeSet::new();
    let mut all: Vec<T> = lists.into_iter().flatten().filter(|x| seen.insert(id(x))).collect();
    all.sort_by_key(|x| std::cmp::Reverse(at(x)));
    all
}

/// The customers the subject names: the one with the code, or those with
/// the number among their phones.
async fn customers_of(app: &App, subject: &Subject) -> AppResult<Vec<Customer>> {
    Ok(match subject {
        Subject::Customer(code) => {
            let filter = CustomerFilter {
                code: Some(code.clone()),
                ..Default::default()
            };
            app.store.customers().list(&filter, None, 1).await?.items
        }
        Subject::Number(n) => app.store.customers().find_by_phone(n).await?,
    })
}

/// Admins, or supervisors who see the unit of every customer found (for a
/// number nobody's: supervisors of the centre, who see records of no unit).
async fn may_see(app: &App, who: &Principal, customers: &[Customer]) -> AppResult<()> {
    if customers.is_empty() {
        return if scope::sees_unit(app, who, None).await? {
            Ok(())
        } else {
            Err(DomainError::Forbidden(
                "only admins and the centre's supervisors export a number no customer has".into(),
            ))
        };
    }
    for c in customers {
        if !scope::sees_unit(app, who, c.unit_code.as_deref()).await? {
            // Another unit's customer is not there at all, as elsewhere.
            return Err(DomainError::NotFound("customer"));
        }
    }
    Ok(())
}

async fn calls_of(app: &App, codes: &[String], numbers: &[String]) -> AppResult<Section<(Call, Vec<CallTopic>)>> {
    let mut lists = Vec::new();
    for n in numbers {
        let filter = CallFilter {
            caller: Some(CallerMatch::Number(n.clone())),
            ..Default::default()
        };
        lists.push(app.store.calls().list(&filter, None, SECTION_LIMIT, false).await?.items);
    }
    for c in codes {
        let filter = CallFilter {
            customer_code: Some(CustomerCode::stored(c.clone())),
            ..Default::default()
        };
        lists.push(app.store.calls().list(&filter, None, SECTION_LIMIT, false).await?.items);
    }
    let calls = merged(lists, |c| c.id, |c| (c.started_at, c.id));
    let mut section = Section::of(calls);
    if lists_were_full(&section) {
        section.truncated = true;
    }
    let ids: Vec<_> = section.items.iter().map(|c| c.id).collect();
    let mut topics = app.store.call_topics().topics_of(&ids).await?;
    Ok(Section {
        truncated: section.truncated,
        items: section
            .items
            .into_iter()
            .map(|c| {
                let t = topics.remove(&c.id).unwrap_or_default();
                (c, t)
            })
            .collect(),
    })
}

/// A section that reached the limit may have had more in the store.
fn lists_were_full<T>(s: &Section<T>) -> bool {
    s.items.len() as u64 >= SECTION_LIMIT
}

async fn work_orders_of(app: &App, codes: &[String]) -> AppResult<Section<HeldWorkOrder>> {
    let mut lists = Vec::new();
    for c in codes {
        let filter = WorkOrderFilter {
            customer_code: Some(CustomerCode::stored(c.clone())),
            ..Default::default()
        };
        lists.push(app.store.work_orders().list(&filter, None, SECTION_LIMIT).await?.items);
    }
    let mut section = Section::of(merged(lists, |w| w.id, |w| (w.created_at, w.id)));
    section.truncated |= lists_were_full(&section);
    let ids: Vec<_> = section.items.iter().map(|w| w.id).collect();
    let mut facts: HashMap<_, _> = app.store.complaints().facts_of(&ids).await?;
    let mut feedback = app.store.work_orders().feedbacks(&ids).await?;
    Ok(Section {
        truncated: section.truncated,
        items: section
            .items
            .into_iter()
            .map(|w| HeldWorkOrder {
                facts: facts.remove(&w.id),
                feedback: feedback.remove(&w.id),
                work_order: w,
            })
            .collect(),
    })
}

async fn callbacks_of(app: &App, numbers: &[String]) -> AppResult<Section<Callback>> {
    let mut lists = Vec::new();
    for n in numbers {
        let filter = CallbackFilter {
            number: Some(n.clone()),
            ..Default::default()
        };
        lists.push(app.store.callbacks().list(&filter, None, SECTION_LIMIT).await?);
    }
    Ok(Section::of(merged(lists, |c| c.id, |c| (c.created_at, c.id))))
}

async fn new_supply_of(
    app: &App,
    numbers: &[String],
    emails: &[String],
) -> AppResult<Section<(Application, WorkOrder)>> {
    let mut lists = Vec::new();
    for q in numbers.iter().chain(emails) {
        let filter = ApplicationFilter {
            search: Search::of(q),
            ..Default::default()
        };
        let page = app.store.new_supply().list(&filter, None, SECTION_LIMIT).await?;
        // The search also finds parts of numbers and names: keep those
        // where the person is the applicant.
        let theirs = page.items.into_iter().filter(|(a, _)| {
            a.applicant
                .phone
                .as_ref()
                .is_some_and(|p| numbers.iter().any(|n| n == p.as_str()))
                || a.applicant
                    .email
                    .as_ref()
                    .is_some_and(|e| emails.iter().any(|m| m.eq_ignore_ascii_case(e)))
        });
        lists.push(theirs.collect());
    }
    Ok(Section::of(merged(lists, |(_, w)| w.id, |(_, w)| (w.created_at, w.id))))
}

async fn responses_of(app: &App, codes: &[String]) -> AppResult<Section<Response>> {
    let mut lists = Vec::new();
    for c in codes {
        lists.push(app.store.surveys().responses_of_customer(c, SECTION_LIMIT).await?);
    }
    Ok(Section::of(merged(lists, |r| r.id, |r| (r.recorded_at, r.id))))
}

async fn reads_of(app: &App, codes: &[String], numbers: &[String]) -> AppResult<Section<PersonalRead>> {
    app.store.personal_reads().flush().await?;
    let mut lists = Vec::new();
    let filters = codes
        .iter()
        .map(|c| ReadFilter {
            customer_code: Some(c.clone()),
            ..Default::default()
        })
        .chain(numbers.iter().map(|n| ReadFilter {
            number: Some(n.clone()),
            ..Default::default()
        }));
    for f in filters {
        lists.push(app.store.personal_reads().list(&f, None, SECTION_LIMIT).await?.items);
    }
    Ok(Section::of(merged(lists, |r| r.id, |r| (r.at, r.id))))
}

/// Everything held about `subject`, for an admin or a supervisor of the
/// customer's unit; 404 when a customer code names nobody (or a customer
/// of another unit).
pub async fn export(app: &App, who: &Principal, subject: Subject) -> AppResult<Held> {
    may_export(who)?;
    let customers = customers_of(app, &subject).await?;
    if matches!(subject, Subject::Customer(_)) && customers.is_empty() {
        return Err(DomainError::NotFound("customer"));
    }
    may_see(app, who, &customers).await?;
    let codes: Vec<String> = customers.iter().map(|c| c.code.to_string()).collect();
    let mut numbers: Vec<String> = match &subject {
        Subject::Number(n) => vec![n.clone()],
        Subject::Customer(_) => Vec::new(),
    };
    for c in &customers {
        for p in &c.phones {
            if !numbers.iter().any(|n| n == p.number.as_str()) {
                numbers.push(p.number.as_str().to_string());
            }
        }
    }
    let emails: Vec<String> = customers.iter().filter_map(|c| c.email.clone()).collect();
    Ok(Held {
        calls: calls_of(app, &codes, &numbers).await?,
        work_orders: work_orders_of(app, &codes).await?,
        callbacks: callbacks_of(app, &numbers).await?,
        new_supply: new_supply_of(app, &numbers, &emails).await?,
        survey_responses: responses_of(app, &codes).await?,
        reads: reads_of(app, &codes, &numbers).await?,
        subject,
        customers,
        numbers,
    })
}
