//! The monthly account a unit gives of its planned outages: how many it
//! published, on time or late (with the reasons), cancelled and postponed,
//! and how many outages were reported under announced planned work against
//! those nobody was told of.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::{NoticeStatus, PlannedOutage};
use crate::codes::UnitCode;

/// A late notice and why it was late.
#[derive(Debug, Clone, PartialEq)]
pub struct LateNotice {
    pub code: String,
    pub reason: Option<String>,
}

/// One unit's notices whose window starts in one month (local time).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRow {
    pub unit_code: UnitCode,
    /// `2026-12`.
    pub month: String,
    pub notices: u64,
    pub published: u64,
    pub on_time: u64,
    pub late: u64,
    pub late_notices: Vec<LateNotice>,
    pub cancelled: u64,
    /// Notices moved at least once.
    pub postponed: u64,
    /// Outage work orders opened this month while announced planned work
    /// was under way in their area: the customers had been told.
    pub outages_announced: u64,
    /// Outage work orders opened this month with no planned work announced.
    pub outages_unannounced: u64,
}

/// An outage work order as this report counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutageReportMark {
    pub unit_code: Option<UnitCode>,
    pub opened_at: DateTime<Utc>,
    /// Reported under announced planned work.
    pub announced: bool,
}

/// The month in Vietnam, `2026-12`.
fn month_of(at: DateTime<Utc>) -> String {
    at.with_timezone(&Ho_Chi_Minh).format("%Y-%m").to_string()
}

fn row<'a>(rows: &'a mut BTreeMap<(String, String), MonthRow>, unit: &UnitCode, month: String) -> &'a mut MonthRow {
    rows.entry((unit.to_string(), month.clone()))
        .or_insert_with(|| MonthRow {
            unit_code: unit.clone(),
            month,
            notices: 0,
            published: 0,
            on_time: 0,
            late: 0,
            late_notices: Vec::new(),
            cancelled: 0,
            postponed: 0,
            outages_announced: 0,
            outages_unannounced: 0,
        })
}

/// The rows, by unit then month: the notices whose window starts in the
/// month, and the outage work orders opened in it (those of no unit are
/// not counted).
pub fn monthly(notices: &[PlannedOutage], outages: &[OutageReportMark]) -> Vec<MonthRow> {
    let mut rows: BTreeMap<(String, String), MonthRow> = BTreeMap::new();
    for o in outages {
        let Some(unit) = &o.unit_code else { continue };
        let r = row(&mut rows, unit, month_of(o.opened_at));
        if o.announced {
            r.outages_announced += 1;
        } else {
            r.outages_unannounced += 1;
        }
    }
    for n in notices {
        let row = row(&mut rows, &n.unit_code, month_of(n.starts_at));
        row.notices += 1;
        if n.published_at.is_some() {
            row.published += 1;
            if n.late_notice {
                row.late += 1;
                row.late_notices.push(LateNotice {
                    code: n.code.clone(),
                    reason: n.late_reason.clone(),
                });
            } else {
                row.on_time += 1;
            }
        }
        if n.status == NoticeStatus::Cancelled {
            row.cancelled += 1;
        }
        if n.postponements > 0 {
            row.postponed += 1;
        }
    }
    rows.into_values().collect()
}
