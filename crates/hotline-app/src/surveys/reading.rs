//! Reading a campaign's recorded responses: each with the sampled
//! customer's number, a page at a time or all of them for the export.
//! Free-text answers are the customers' own words: only those who read
//! the results (supervisors and admins) see them.

use std::collections::HashMap;

use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;
use hotline_domain::survey::{AnswerValue, Campaign, Response};
use uuid::Uuid;

use super::{find, may_manage, may_read};
use crate::{App, AppResult};

/// One response as the caller may read it.
#[derive(Debug, Clone)]
pub struct ResponseLine {
    pub response: Response,
    /// The number the customer was sampled (and called) on.
    pub number: Option<String>,
}

/// A campaign's responses as the caller may read them.
pub struct Responses {
    pub campaign: Campaign,
    /// Whether free-text answers are shown (false: they are left out).
    pub with_text: bool,
    pub page: Page<ResponseLine>,
}

/// Which responses to read: a page after `after`, or all (`limit` None).
#[derive(Debug, Clone, Copy, Default)]
pub struct ResponseQuery {
    pub after: Option<Position>,
    pub limit: Option<u64>,
}

/// The campaign's responses in the order they were recorded. Whoever reads
/// the campaign reads them; free-text answers only supervisors and admins.
pub async fn responses(app: &App, who: &Principal, id: Uuid, q: ResponseQuery) -> AppResult<Responses> {
    may_read(who)?;
    let campaign = find(app, who, id).await?;
    let with_text = may_manage(who).is_ok();
    let store = app.store.surveys();
    let (mut items, next) = match q.limit {
        Some(limit) => {
            let mut items = store.responses_page(id, q.after.map(|p| p.id), limit).await?;
            let more = items.len() as u64 > limit;
            items.truncate(limit as usize);
            let next = if more {
                items.last().map(|r| Position {
                    at: r.recorded_at,
                    id: r.id,
                })
            } else {
                None
            };
            (items, next)
        }
        None => {
            let mut all = store.responses(id).await?;
            all.sort_by_key(|r| r.id);
            (all, None)
        }
    };
    let numbers: HashMap<_, _> = store
        .sample(id)
        .await?
        .into_iter()
        .map(|s| (s.candidate.customer_code, s.candidate.number))
        .collect();
    if !with_text {
        for r in &mut items {
            r.answers.retain(|a| !matches!(a.value, AnswerValue::Text(_)));
        }
    }
    let items = items
        .into_iter()
        .map(|r| ResponseLine {
            number: numbers.get(&r.customer_code).cloned(),
            response: r,
        })
        .collect();
    Ok(Responses {
        campaign,
        with_text,
        page: Page {
            items,
            next,
            total: None,
        },
    })
}
