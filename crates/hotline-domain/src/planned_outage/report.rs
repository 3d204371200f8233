//! The monthly account a unit gives of its planned outages: how many it
//! published, on time or late (with the reasons), cancelled and postponed.

use std::collections::BTreeMap;

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
}

/// The rows, by unit then month.
pub fn monthly(notices: &[PlannedOutage]) -> Vec<MonthRow> {
    let mut rows: BTreeMap<(String, String), MonthRow> = BTreeMap::new();
    for n in notices {
        let month = n.starts_at.with_timezone(&Ho_Chi_Minh).format("%Y-%m").to_string();
        let row = rows
            .entry((n.unit_code.to_string(), month.clone()))
            .or_insert_with(|| MonthRow {
                unit_code: n.unit_code.clone(),
                month,
                notices: 0,
                published: 0,
                on_time: 0,
                late: 0,
                late_notices: Vec::new(),
                cancelled: 0,
                postponed: 0,
            });
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
