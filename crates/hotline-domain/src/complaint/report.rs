//! The complaints report: per category, how many and how they ended;
//! bill complaints settled within 24 hours; voltage damage claims and the
//! repeated complaints per area and transformer; staff-conduct answers
//! against the promised date; and the compliments per agent, team and staff
//! member (the recognition list).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::{Facts, MeterResult, Outcome, VoltageMark};
use crate::call::Category;
use crate::text;
use crate::work_order::WorkOrder;

/// A bill complaint is settled within this (the service standard).
pub const BILL_SETTLEMENT: TimeDelta = TimeDelta::hours(24);

/// The categories the report counts.
pub const CATEGORIES: [Category; 5] = [
    Category::Metering,
    Category::Billing,
    Category::VoltageQuality,
    Category::StaffConduct,
    Category::Compliment,
];

/// A work order counted, with its facts if any were recorded.
#[derive(Debug, Clone)]
pub struct ComplaintItem {
    pub work_order: WorkOrder,
    pub facts: Option<Facts>,
}

/// Metering or billing complaints and how they ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeteringFigures {
    pub complaints: u64,
    pub meter_tested: u64,
    pub within_tolerance: u64,
    pub outside_tolerance: u64,
    pub bill_adjusted: u64,
    /// The adjustments added up, in VND.
    pub adjusted_vnd: i64,
    pub unfounded: u64,
    pub no_outcome: u64,
}

/// Bill complaints against the 24-hour standard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BillingFigures {
    pub outcomes: MeteringFigures,
    pub settled_within_24h: u64,
    pub settled_late: u64,
    /// Not resolved, and opened more than 24 hours ago.
    pub open_past_24h: u64,
    pub open_within_24h: u64,
}

/// How many repeated complaints one area or transformer had.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatCount {
    pub key: String,
    pub repeated: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoltageFigures {
    pub complaints: u64,
    /// Complaints with appliances claimed damaged.
    pub claims: u64,
    pub claimed_vnd: i64,
    pub accepted: u64,
    pub partly_accepted: u64,
    pub rejected: u64,
    pub claims_pending: u64,
    pub paid_vnd: i64,
    /// Complaints repeating an earlier one (same area or transformer, 90 days).
    pub repeated: u64,
    pub repeated_by_area: Vec<RepeatCount>,
    pub repeated_by_transformer: Vec<RepeatCount>,
}

/// Staff-conduct complaints against the date promised to the customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConductFigures {
    pub complaints: u64,
    pub answered_on_time: u64,
    pub answered_late: u64,
    pub unanswered_past_promise: u64,
    pub unanswered_not_yet_due: u64,
}

/// Whom the compliments were for, and how many each.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognition {
    pub name: String,
    pub compliments: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComplimentFigures {
    pub compliments: u64,
    pub by_agent: Vec<Recognition>,
    pub by_team: Vec<Recognition>,
    pub by_staff: Vec<Recognition>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComplaintReport {
    pub metering: MeteringFigures,
    pub billing: BillingFigures,
    pub voltage_quality: VoltageFigures,
    /// None for those who may not see staff-conduct complaints.
    pub staff_conduct: Option<ConductFigures>,
    pub compliments: ComplimentFigures,
}

fn count_outcome(f: &mut MeteringFigures, facts: Option<&Facts>) {
    f.complaints += 1;
    let Some(Facts::Metering(m)) = facts else {
        f.no_outcome += 1;
        return;
    };
    match m.outcome {
        Some(Outcome::MeterTested) => {
            f.meter_tested += 1;
            match m.meter_result {
                Some(MeterResult::WithinTolerance) => f.within_tolerance += 1,
                Some(MeterResult::OutsideTolerance) => f.outside_tolerance += 1,
                None => {}
            }
        }
        Some(Outcome::BillAdjusted) => {
            f.bill_adjusted += 1;
            f.adjusted_vnd += m.adjusted_amount_vnd.unwrap_or(0);
        }
        Some(Outcome::Unfounded) => f.unfounded += 1,
        _ => f.no_outcome += 1,
    }
}

fn count_bill(f: &mut BillingFigures, wo: &WorkOrder, now: DateTime<Utc>) {
    let due = wo.created_at + BILL_SETTLEMENT;
    match wo.resolved_at {
        Some(at) if at <= due => f.settled_within_24h += 1,
        Some(_) => f.settled_late += 1,
        None if wo.is_open() && now > due => f.open_past_24h += 1,
        None if wo.is_open() => f.open_within_24h += 1,
        None => {}
    }
}

fn count_voltage(f: &mut VoltageFigures, facts: Option<&Facts>) {
    f.complaints += 1;
    let Some(Facts::VoltageQuality(v)) = facts else { return };
    if v.damaged_appliances.is_empty() {
        return;
    }
    f.claims += 1;
    f.claimed_vnd += v.claimed_vnd();
    f.paid_vnd += v.amount_paid_vnd.unwrap_or(0);
    match v.outcome {
        Some(Outcome::Accepted) => f.accepted += 1,
        Some(Outcome::PartlyAccepted) => f.partly_accepted += 1,
        Some(Outcome::Rejected) => f.rejected += 1,
        _ => f.claims_pending += 1,
    }
}

fn count_conduct(f: &mut ConductFigures, wo: &WorkOrder, facts: Option<&Facts>, today: NaiveDate) {
    f.complaints += 1;
    let answered = match facts {
        Some(Facts::StaffConduct(c)) => c.answered_on,
        _ => None,
    };
    match (answered, wo.promised_answer_date) {
        (Some(on), Some(promise)) if on <= promise => f.answered_on_time += 1,
        (Some(_), Some(_)) => f.answered_late += 1,
        (Some(_), None) => f.answered_on_time += 1,
        (None, Some(promise)) if promise < today => f.unanswered_past_promise += 1,
        (None, _) => f.unanswered_not_yet_due += 1,
    }
}

/// Counts per name, the name as first seen, grouped by `key`; most first.
#[derive(Default)]
struct Tally(BTreeMap<String, (String, u64)>);

impl Tally {
    fn add(&mut self, key: String, name: &str) {
        self.0.entry(key).or_insert_with(|| (name.to_string(), 0)).1 += 1;
    }

    fn ranked(self) -> Vec<Recognition> {
        let mut out: Vec<Recognition> = self
            .0
            .into_values()
            .map(|(name, compliments)| Recognition { name, compliments })
            .collect();
        out.sort_by(|a, b| b.compliments.cmp(&a.compliments).then_with(|| a.name.cmp(&b.name)));
        out
    }
}

fn repeat_counts(tally: BTreeMap<String, (String, u64)>) -> Vec<RepeatCount> {
    let mut out: Vec<RepeatCount> = tally
        .into_values()
        .map(|(key, repeated)| RepeatCount { key, repeated })
        .collect();
    out.sort_by(|a, b| b.repeated.cmp(&a.repeated).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Repeated complaints among `marks` opened in [from, to), each against
/// the marks before it (`marks` reach 90 days further back).
fn count_repeats(f: &mut VoltageFigures, marks: &[VoltageMark], from: DateTime<Utc>, to: DateTime<Utc>) {
    let mut areas = BTreeMap::new();
    let mut stations = BTreeMap::new();
    for m in marks.iter().filter(|m| m.opened_at >= from && m.opened_at < to) {
        let link = m.link_among(marks);
        if !(link.same_area || link.same_transformer) {
            continue;
        }
        f.repeated += 1;
        if link.same_area
            && let Some(a) = &m.area_code
        {
            areas.entry(a.to_string()).or_insert_with(|| (a.to_string(), 0)).1 += 1;
        }
        if link.same_transformer
            && let (Some(key), Some(name)) = (m.transformer_key(), &m.transformer_station)
        {
            stations.entry(key).or_insert_with(|| (name.clone(), 0)).1 += 1;
        }
    }
    f.repeated_by_area = repeat_counts(areas);
    f.repeated_by_transformer = repeat_counts(stations);
}

/// The report over `items` (work orders of [`CATEGORIES`] opened in
/// [from, to)) and `marks` (voltage-quality work orders opened in
/// [from − 90 days, to)). `with_conduct` is false for those who may not see
/// staff-conduct complaints; `now` and `today` judge what is overdue.
pub fn assemble(
    items: &[ComplaintItem],
    marks: &[VoltageMark],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    with_conduct: bool,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> ComplaintReport {
    let mut r = ComplaintReport {
        staff_conduct: with_conduct.then(ConductFigures::default),
        ..ComplaintReport::default()
    };
    let (mut agents, mut teams, mut staff) = (Tally::default(), Tally::default(), Tally::default());
    for item in items {
        let (wo, facts) = (&item.work_order, item.facts.as_ref());
        match wo.category {
            Category::Metering => count_outcome(&mut r.metering, facts),
            Category::Billing => {
                count_outcome(&mut r.billing.outcomes, facts);
                count_bill(&mut r.billing, wo, now);
            }
            Category::VoltageQuality => count_voltage(&mut r.voltage_quality, facts),
            Category::StaffConduct => {
                if let Some(f) = r.staff_conduct.as_mut() {
                    count_conduct(f, wo, facts, today);
                }
            }
            Category::Compliment => {
                r.compliments.compliments += 1;
                if let Some(Facts::Compliment(c)) = facts {
                    if let Some(a) = &c.agent {
                        agents.add(a.to_lowercase(), a);
                    }
                    if let Some(t) = &c.team_code {
                        teams.add(t.to_string(), t);
                    }
                    if let Some(s) = &c.staff_name {
                        staff.add(text::fold(s), s);
                    }
                }
            }
            _ => {}
        }
    }
    count_repeats(&mut r.voltage_quality, marks, from, to);
    r.compliments.by_agent = agents.ranked();
    r.compliments.by_team = teams.ranked();
    r.compliments.by_staff = staff.ranked();
    r
}
