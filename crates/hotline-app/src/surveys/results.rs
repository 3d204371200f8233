//! A campaign's results beside the previous closed campaign's of the same
//! unit (same question keys).

use hotline_domain::principal::Principal;
use hotline_domain::survey::{Campaign, ResultRow, results as tally};
use uuid::Uuid;

use super::{find, may_manage};
use crate::{App, AppResult};

/// What the results page shows.
pub struct Results {
    pub campaign: Campaign,
    pub previous: Option<Campaign>,
    /// Customers who answered.
    pub responses: u64,
    pub rows: Vec<ResultRow>,
}

/// The campaign's results per question, overall and per unit, team (of
/// the customer's last work order in the period) and agent (who recorded
/// the answers), with the previous closed campaign's figures.
pub async fn results(app: &App, who: &Principal, id: Uuid) -> AppResult<Results> {
    may_manage(who)?;
    let campaign = find(app, who, id).await?;
    let store = app.store.surveys();
    let now = store.responses(id).await?;
    let previous = store.previous_closed(&campaign).await?;
    let before = match &previous {
        Some(p) => Some(store.responses(p.id).await?),
        None => None,
    };
    let rows = tally(
        &campaign.questions,
        &now,
        previous
            .as_ref()
            .zip(before.as_ref())
            .map(|(p, r)| (p.questions.as_slice(), r.as_slice())),
    );
    Ok(Results {
        responses: now.len() as u64,
        campaign,
        previous,
        rows,
    })
}
