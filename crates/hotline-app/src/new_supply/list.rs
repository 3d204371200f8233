//! The list of new-supply requests, as the caller may see their work orders.

use hotline_domain::new_supply::ApplicationFilter;
use hotline_domain::page::{Page, Position};
use hotline_domain::principal::Principal;

use super::Found;
use crate::scope::visible_units;
use crate::work_orders::{may_see, queue_reach};
use crate::{App, AppResult};

/// The requests matching `filter` the caller may see, newest first: those
/// of their units' subtree (a field crew: its own team's; none without a
/// team), as the single request is found. Roles that read calls (403).
pub async fn list(
    app: &App,
    who: &Principal,
    mut filter: ApplicationFilter,
    after: Option<Position>,
    limit: u64,
) -> AppResult<Page<Found>> {
    let Some(only_team) = queue_reach(who)? else {
        return Ok(Page::empty());
    };
    filter.only_team = only_team;
    filter.within_units = visible_units(app, who).await?;
    let page = app.store.new_supply().list(&filter, after, limit).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .filter(|(_, wo)| may_see(who, wo))
            .map(|(application, work_order)| Found {
                application,
                work_order,
            })
            .collect(),
        next: page.next,
        total: None,
    })
}
