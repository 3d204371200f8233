//! The new-supply report: per channel (the work order's source) and type,
//! how many were opened, energised, energised within the deadline or late,
//! and how many are still open past their deadline.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Application, Stage, SupplyType};
use crate::work_order::{Source, WorkOrder};

/// One line: a channel and a type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSupplyLine {
    pub source: Source,
    /// None: not known yet.
    pub supply_type: Option<SupplyType>,
    pub opened: u64,
    pub energised: u64,
    pub within_deadline: u64,
    pub late: u64,
    pub open_past_deadline: u64,
}

fn index<T: PartialEq>(all: &[T], x: T) -> usize {
    all.iter().position(|y| *y == x).unwrap_or(usize::MAX)
}

/// Counts the applications given (those opened in the period), each with
/// its work order; lines in the order of channels, then types.
pub fn tally<'a>(items: impl IntoIterator<Item = (&'a Application, &'a WorkOrder)>, now: DateTime<Utc>) -> Vec<NewSupplyLine> {
    let mut lines: BTreeMap<(usize, usize), NewSupplyLine> = BTreeMap::new();
    for (a, wo) in items {
        let key = (index(Source::ALL, wo.source), a.supply_type.map_or(usize::MAX, |t| index(SupplyType::ALL, t)));
        let line = lines.entry(key).or_insert_with(|| NewSupplyLine {
            source: wo.source,
            supply_type: a.supply_type,
            opened: 0,
            energised: 0,
            within_deadline: 0,
            late: 0,
            open_past_deadline: 0,
        });
        line.opened += 1;
        let due = wo.resolution_due;
        match a.energised_at() {
            Some(done) => {
                line.energised += 1;
                match due {
                    Some(d) if done <= d => line.within_deadline += 1,
                    Some(_) => line.late += 1,
                    None => {}
                }
            }
            None if a.stage != Stage::Cancelled && due.is_some_and(|d| d < now) => line.open_past_deadline += 1,
            None => {}
        }
    }
    lines.into_values().collect()
}
