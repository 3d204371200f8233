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
pub fn tally<'a>(
    items: impl IntoIterator<Item = (&'a Application, &'a WorkOrder)>,
    now: DateTime<Utc>,
) -> Vec<NewSupplyLine> {
    let mut lines: BTreeMap<(usize, usize), NewSupplyLine> = BTreeMap::new();
    for (a, wo) in items {
        let key = (
            index(Source::ALL, wo.source),
            a.supply_type.map_or(usize::MAX, |t| index(SupplyType::ALL, t)),
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_supply::{Applicant, ApplicantKind, required};
    use crate::work_order::{NewWorkOrder, WorkOrderCode};
    use chrono::{Duration, TimeZone};

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 3, 0, 0).unwrap()
    }

    fn request(source: Source, kind: SupplyType, due: u32) -> (Application, WorkOrder) {
        let input = NewWorkOrder {
            category: Some(crate::call::Category::NewSupply),
            source,
            ..Default::default()
        };
        let mut wo = WorkOrder::create(input, WorkOrderCode::new("HL", 2026, 1).unwrap(), "u", t(2)).unwrap();
        wo.resolution_due = Some(t(due));
        let applicant = Applicant {
            kind: ApplicantKind::Household,
            name: "An".into(),
            phone: Some("+84912345678".into()),
            email: None,
            address: None,
            national_id: None,
            tax_code: None,
        };
        let a = Application::new(wo.id, Some(kind), applicant, &required(Some(kind)), "u", t(2)).unwrap();
        (a, wo)
    }

    fn energise(a: &Application, at: DateTime<Utc>) -> Application {
        [
            Stage::Surveyed,
            Stage::ContractSigned,
            Stage::MeterInstalled,
            Stage::Energised,
        ]
        .iter()
        .fold(a.clone(), |a, s| a.step(*s, "u", at, None).unwrap())
    }

    #[test]
    fn lines_per_channel_and_type() {
        let (on_time, w1) = request(Source::Counter, SupplyType::ResidentialUrban, 5);
        let on_time = energise(&on_time, t(4));
        let (late, w2) = request(Source::Counter, SupplyType::ResidentialUrban, 5);
        let late = energise(&late, t(6));
        let (open, w3) = request(Source::Email, SupplyType::ResidentialRural, 5);
        let (cancelled, w4) = request(Source::Email, SupplyType::ResidentialRural, 5);
        let cancelled = cancelled.step(Stage::Cancelled, "u", t(3), None).unwrap();
        let (waiting, w5) = request(Source::Call, SupplyType::NonResidential, 20);
        let items = [
            (&on_time, &w1),
            (&late, &w2),
            (&open, &w3),
            (&cancelled, &w4),
            (&waiting, &w5),
        ];
        let lines = tally(items, t(10) + Duration::hours(1));
        let got: Vec<(Source, Option<SupplyType>, [u64; 5])> = lines
            .iter()
            .map(|l| {
                (
                    l.source,
                    l.supply_type,
                    [l.opened, l.energised, l.within_deadline, l.late, l.open_past_deadline],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Source::Call, Some(SupplyType::NonResidential), [1, 0, 0, 0, 0]),
                (Source::Email, Some(SupplyType::ResidentialRural), [2, 0, 0, 0, 1]),
                (Source::Counter, Some(SupplyType::ResidentialUrban), [2, 2, 1, 1, 0]),
            ]
        );
    }
}
