//! Complaints' facts and compliments: recording them on a work order, what
//! its view shows of them (the facts, and the earlier voltage complaints it
//! repeats), and the complaints report.

mod record;
mod report;

pub use record::record;
pub use report::report;

use std::collections::HashMap;

use hotline_domain::call::Category;
use hotline_domain::complaint::{ComplaintFacts, Facts, REPEAT_WINDOW, Repeats, VoltageMark};
use hotline_domain::org::UnitScope;
use hotline_domain::work_order::WorkOrder;

use uuid::Uuid;

use crate::{App, AppResult};

/// What a work order's view shows of its complaint.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub facts: Option<ComplaintFacts>,
    /// For a voltage-quality complaint: the earlier ones it repeats.
    pub repeats: Option<Repeats>,
}

/// The facts and repeats of a work order the caller already holds (found
/// as they may see it, so its facts are theirs to read too).
pub async fn shown(app: &App, wo: &WorkOrder) -> AppResult<Shown> {
    // Not read for a category that keeps none (an outage, a new supply):
    // one statement less on every work order opened or shown.
    let facts = if Facts::kept_for(wo.category) {
        app.store.complaints().facts(wo.id).await?
    } else {
        None
    };
    let repeats = if wo.category == Category::VoltageQuality {
        Some(repeats_of(app, wo, facts.as_ref()).await?)
    } else {
        None
    };
    Ok(Shown { facts, repeats })
}

/// The facts of each of these work orders (of a page the caller already
/// holds) that has some; not read at all for a page whose categories keep
/// none.
pub async fn facts_of(app: &App, orders: &[&WorkOrder]) -> AppResult<HashMap<Uuid, ComplaintFacts>> {
    let ids: Vec<Uuid> = orders
        .iter()
        .filter(|wo| Facts::kept_for(wo.category))
        .map(|wo| wo.id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(app.store.complaints().facts_of(&ids).await?)
}

/// The earlier voltage complaints of its unit that `wo` repeats.
async fn repeats_of(app: &App, wo: &WorkOrder, facts: Option<&ComplaintFacts>) -> AppResult<Repeats> {
    let unit = UnitScope {
        units: wo.unit_code.iter().map(ToString::to_string).collect(),
        unplaced: wo.unit_code.is_none(),
    };
    let earlier = app
        .store
        .complaints()
        .voltage_marks(wo.created_at - REPEAT_WINDOW, wo.created_at, Some(&unit))
        .await?;
    let this = VoltageMark {
        id: wo.id,
        code: wo.code.to_string(),
        unit_code: wo.unit_code.clone(),
        area_code: wo.area_code.clone(),
        transformer_station: facts.and_then(|f| f.facts.transformer_station().map(String::from)),
        opened_at: wo.created_at,
    };
    Ok(Repeats::of(&this, &earlier))
}
