//! The customers a notice tells: those it lists, else the directory's
//! customers in its areas and everything below them.

use hotline_domain::org::NodeFilter;
use hotline_domain::page::{Page, Position};
use hotline_domain::planned_outage::{PlannedOutage, Recipient};
use hotline_domain::principal::Principal;
use uuid::Uuid;

use super::{find, may_read};
use crate::{App, AppResult, texts};

/// Areas below one area, at most (the organisation's size, with room).
const MAX_AREAS: u64 = 10_000;
/// Customers told of one notice, at most (a page of the directory at a time).
pub const MAX_RECIPIENTS: usize = 50_000;
const BATCH: u64 = 1000;

/// A page of the customers to tell of the notice `id`, newest in the
/// directory first.
pub async fn recipients(
    app: &App,
    who: &Principal,
    id: Uuid,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<Recipient>> {
    may_read(who)?;
    let notice = find(app, who, id).await?;
    page(app, &notice, after, limit).await
}

async fn page(app: &App, notice: &PlannedOutage, after: Option<Position>, limit: u64) -> AppResult<Page<Recipient>> {
    let (codes, areas) = if notice.customer_codes.is_empty() {
        (Vec::new(), subtree(app, notice).await?)
    } else {
        (texts(&notice.customer_codes), Vec::new())
    };
    Ok(app
        .store
        .planned_outages()
        .recipients(&codes, &areas, after, limit)
        .await?)
}

/// Every customer to tell (at most [`MAX_RECIPIENTS`]), for the events and
/// the CSV export.
pub async fn all_recipients(app: &App, notice: &PlannedOutage) -> AppResult<Vec<Recipient>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let p = page(app, notice, after, BATCH).await?;
        out.extend(p.items);
        match p.next {
            Some(n) if out.len() < MAX_RECIPIENTS => after = Some(n),
            _ => break,
        }
    }
    out.truncate(MAX_RECIPIENTS);
    Ok(out)
}

/// The notice's areas and every area below them.
async fn subtree(app: &App, notice: &PlannedOutage) -> AppResult<Vec<String>> {
    let mut codes = texts(&notice.area_codes);
    for code in &notice.area_codes {
        let Some(area) = app.store.org().get_area(code.as_str()).await? else {
            continue;
        };
        let within = NodeFilter {
            within: Some(area.path.clone()),
            ..NodeFilter::default()
        };
        for a in app.store.org().list_areas(&within, None, MAX_AREAS).await? {
            if !codes.iter().any(|c| a.code == *c) {
                codes.push(a.code.to_string());
            }
        }
    }
    Ok(codes)
}

/// The notice `id` and every customer to tell of it, for the CSV export.
pub async fn export(app: &App, who: &Principal, id: Uuid) -> AppResult<(PlannedOutage, Vec<Recipient>)> {
    may_read(who)?;
    let notice = find(app, who, id).await?;
    let all = all_recipients(app, &notice).await?;
    Ok((notice, all))
}
