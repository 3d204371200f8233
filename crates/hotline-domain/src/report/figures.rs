//! From the tallies a store counts to the figures a report shows: rates,
//! averages, percentiles, and the zero rows of empty buckets.

use std::collections::{BTreeSet, HashMap};

use super::bucket::Span;

/// What a store counts for one bucket (and group) of the call report.
/// See the module docs for what each count means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallTally {
    /// Index into the report's spans.
    pub bucket: usize,
    pub group: Option<String>,
    pub offered: u64,
    pub answered: u64,
    pub missed: u64,
    pub abandoned: u64,
    /// Inbound calls refused because the number is blocked; in none of
    /// the other counts.
    pub blocked: u64,
    /// Calls with a known wait (answered, or ended unanswered) and the sum
    /// of their waits in whole seconds.
    pub waits: u64,
    pub wait_seconds_sum: i64,
    /// The 90th-percentile wait, by [`nearest_rank`], in whole seconds.
    pub p90_wait_seconds: Option<i64>,
    /// Answered calls that have ended, and the sum of their talk times.
    pub talks: u64,
    pub talk_seconds_sum: i64,
    /// Answered calls whose wait was at most the service-level threshold.
    pub answered_within_threshold: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallFigures {
    pub offered: u64,
    pub answered: u64,
    pub missed: u64,
    pub abandoned: u64,
    pub blocked: u64,
    pub answer_rate: Option<f64>,
    pub avg_wait_seconds: Option<f64>,
    pub p90_wait_seconds: Option<i64>,
    pub avg_talk_seconds: Option<f64>,
    pub service_level: Option<f64>,
}

/// What a store counts for one bucket (and group) of the work-order report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkOrderTally {
    pub bucket: usize,
    pub group: Option<String>,
    /// Created in the bucket.
    pub opened: u64,
    /// Resolved in the bucket.
    pub resolved: u64,
    /// Left the backlog in the bucket: resolved (or closed), or cancelled.
    pub left: u64,
    /// Acknowledged in the bucket with a response deadline; of them, by it.
    pub responses_due: u64,
    pub responses_met: u64,
    /// Resolved in the bucket with a resolution deadline; of them, by it.
    pub resolutions_due: u64,
    pub resolutions_met: u64,
    /// Of those resolved in the bucket, by [`nearest_rank`] at 50.
    pub median_resolve_seconds: Option<i64>,
    /// Feedback given in the bucket: how many and the sum of the scores.
    pub feedbacks: u64,
    pub feedback_sum: u64,
}

/// Work-order tallies with the backlog where the range starts, per group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkOrderTallies {
    pub rows: Vec<WorkOrderTally>,
    pub open_at_start: Vec<(Option<String>, u64)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkOrderFigures {
    pub opened: u64,
    pub resolved: u64,
    /// Open at the end of the bucket.
    pub backlog: u64,
    pub response_met_rate: Option<f64>,
    pub resolution_met_rate: Option<f64>,
    pub median_resolve_seconds: Option<i64>,
    pub avg_feedback: Option<f64>,
}

/// One line of a report: a bucket, its group when grouped, its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<F> {
    pub start: chrono::DateTime<chrono::Utc>,
    pub end: chrono::DateTime<chrono::Utc>,
    pub group: Option<String>,
    pub figures: F,
}

/// A report: every bucket of the range (times every group seen anywhere in
/// it, when grouped), empty ones with zero counts and no rates.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<F> {
    pub grouped: bool,
    pub rows: Vec<Row<F>>,
}

/// The nearest-rank percentile: the smallest value with at least `pct`% of
/// the values at or below it. Stores compute it from a histogram with
/// [`rank_reached`]; this is the reference on a sorted list.
pub fn nearest_rank(sorted: &[i64], pct: u64) -> Option<i64> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (pct * n).div_ceil(100).max(1);
    sorted.get((rank - 1) as usize).copied()
}

/// Whether `cumulative` of `total` values reach the `pct` percentile: the
/// test a store applies over a histogram sorted by value.
pub fn rank_reached(cumulative: u64, total: u64, pct: u64) -> bool {
    cumulative * 100 >= total * pct
}

/// `part / whole`, four decimals; none of nothing.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64, 4))
}

/// An average to two decimals; none of nothing.
pub fn average(sum: i64, count: u64) -> Option<f64> {
    (count > 0).then(|| round(sum as f64 / count as f64, 2))
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

impl From<&CallTally> for CallFigures {
    fn from(t: &CallTally) -> Self {
        CallFigures {
            offered: t.offered,
            answered: t.answered,
            missed: t.missed,
            abandoned: t.abandoned,
            blocked: t.blocked,
            answer_rate: ratio(t.answered, t.offered),
            avg_wait_seconds: average(t.wait_seconds_sum, t.waits),
            p90_wait_seconds: t.p90_wait_seconds,
            avg_talk_seconds: average(t.talk_seconds_sum, t.talks),
            service_level: ratio(t.answered_within_threshold, t.offered),
        }
    }
}

/// Groups in a stable order: by name, the ungrouped (null) last.
fn order(groups: BTreeSet<Option<String>>) -> Vec<Option<String>> {
    let mut v: Vec<Option<String>> = groups.into_iter().collect();
    v.sort_by(|a, b| (a.is_none(), a).cmp(&(b.is_none(), b)));
    v
}

fn densify<T, F>(
    spans: &[Span],
    grouped: bool,
    extra_groups: impl Iterator<Item = Option<String>>,
    tallies: Vec<T>,
    key: impl Fn(&T) -> (usize, Option<String>),
    mut figures: impl FnMut(&Option<String>, Option<&T>) -> F,
) -> Series<F> {
    let mut groups = BTreeSet::new();
    let mut by_key = HashMap::new();
    for t in tallies {
        let (bucket, group) = key(&t);
        let group = if grouped { group } else { None };
        groups.insert(group.clone());
        by_key.insert((bucket, group), t);
    }
    groups.extend(extra_groups.filter(|_| grouped));
    if !grouped {
        groups.insert(None);
    }
    let groups = order(groups);
    let mut rows = Vec::with_capacity(spans.len() * groups.len());
    for (i, span) in spans.iter().enumerate() {
        for g in &groups {
            rows.push(Row {
                start: span.start,
                end: span.end,
                group: g.clone(),
                figures: figures(g, by_key.get(&(i, g.clone()))),
            });
        }
    }
    Series { grouped, rows }
}

/// The call report from its tallies.
pub fn call_series(spans: &[Span], grouped: bool, tallies: Vec<CallTally>) -> Series<CallFigures> {
    densify(
        spans,
        grouped,
        std::iter::empty(),
        tallies,
        |t| (t.bucket, t.group.clone()),
        |_, t| t.map(CallFigures::from).unwrap_or_default(),
    )
}

/// The work-order report from its tallies: the backlog carried from the
/// range's start through each bucket (opened in, minus left in).
pub fn work_order_series(spans: &[Span], grouped: bool, tallies: WorkOrderTallies) -> Series<WorkOrderFigures> {
    let mut backlog: HashMap<Option<String>, i64> = HashMap::new();
    for (g, n) in &tallies.open_at_start {
        let g = if grouped { g.clone() } else { None };
        *backlog.entry(g).or_default() += *n as i64;
    }
    let extra: Vec<Option<String>> = backlog.keys().cloned().collect();
    densify(
        spans,
        grouped,
        extra.into_iter(),
        tallies.rows,
        |t| (t.bucket, t.group.clone()),
        |g, t| {
            let open = backlog.entry(g.clone()).or_default();
            let Some(t) = t else {
                return WorkOrderFigures {
                    backlog: (*open).max(0) as u64,
                    ..Default::default()
                };
            };
            *open += t.opened as i64 - t.left as i64;
            WorkOrderFigures {
                opened: t.opened,
                resolved: t.resolved,
                backlog: (*open).max(0) as u64,
                response_met_rate: ratio(t.responses_met, t.responses_due),
                resolution_met_rate: ratio(t.resolutions_met, t.resolutions_due),
                median_resolve_seconds: t.median_resolve_seconds,
                avg_feedback: average(t.feedback_sum as i64, t.feedbacks),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn spans(n: usize) -> Vec<Span> {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 19, 17, 0, 0).unwrap();
        (0..n)
            .map(|i| Span {
                start: t0 + chrono::TimeDelta::days(i as i64),
                end: t0 + chrono::TimeDelta::days(i as i64 + 1),
            })
            .collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 100), Some(10));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[], 90), None);
        // 11 values: rank ceil(9.9) = 10.
        let v: Vec<i64> = (1..=11).collect();
        assert_eq!(nearest_rank(&v, 90), Some(10));
        // The histogram test agrees with the sorted list.
        for n in 1..40u64 {
            let first = (1..=n).find(|c| rank_reached(*c, n, 90)).unwrap();
            let sorted: Vec<i64> = (1..=n as i64).collect();
            assert_eq!(nearest_rank(&sorted, 90), Some(first as i64), "n={n}");
        }
    }

    #[test]
    fn call_figures_from_counts() {
        let t = CallTally {
            offered: 4,
            answered: 2,
            missed: 1,
            abandoned: 1,
            waits: 4,
            wait_seconds_sum: 10 + 30 + 45 + 6,
            p90_wait_seconds: Some(45),
            talks: 2,
            talk_seconds_sum: 301,
            answered_within_threshold: 1,
            ..Default::default()
        };
        let f = CallFigures::from(&t);
        assert_eq!(f.answer_rate, Some(0.5));
        assert_eq!(f.avg_wait_seconds, Some(22.75));
        assert_eq!(f.avg_talk_seconds, Some(150.5));
        assert_eq!(f.service_level, Some(0.25));
        assert_eq!(CallFigures::from(&CallTally::default()).answer_rate, None);
    }

    #[test]
    fn empty_buckets_and_groups_are_filled() {
        let tallies = vec![
            CallTally {
                bucket: 0,
                group: Some("outage".into()),
                offered: 2,
                ..Default::default()
            },
            CallTally {
                bucket: 2,
                group: None,
                offered: 1,
                ..Default::default()
            },
            CallTally {
                bucket: 2,
                group: Some("billing".into()),
                offered: 3,
                ..Default::default()
            },
        ];
        let s = call_series(&spans(3), true, tallies);
        let cells: Vec<(usize, Option<&str>, u64)> = s
            .rows
            .iter()
            .map(|r| {
                let day = spans(3).iter().position(|x| x.start == r.start).unwrap();
                (day, r.group.as_deref(), r.figures.offered)
            })
            .collect();
        assert_eq!(
            cells,
            [
                (0, Some("billing"), 0),
                (0, Some("outage"), 2),
                (0, None, 0),
                (1, Some("billing"), 0),
                (1, Some("outage"), 0),
                (1, None, 0),
                (2, Some("billing"), 3),
                (2, Some("outage"), 0),
                (2, None, 1),
            ]
        );
        let flat = call_series(&spans(3), false, vec![]);
        assert_eq!(flat.rows.len(), 3);
        assert!(flat.rows.iter().all(|r| r.group.is_none() && r.figures.offered == 0));
    }

    #[test]
    fn backlog_carries_over() {
        let tallies = WorkOrderTallies {
            rows: vec![
                WorkOrderTally {
                    bucket: 0,
                    opened: 3,
                    left: 1,
                    resolved: 1,
                    resolutions_due: 1,
                    resolutions_met: 1,
                    ..Default::default()
                },
                WorkOrderTally {
                    bucket: 2,
                    opened: 0,
                    left: 2,
                    feedbacks: 2,
                    feedback_sum: 9,
                    ..Default::default()
                },
            ],
            open_at_start: vec![(None, 5)],
        };
        let s = work_order_series(&spans(3), false, tallies);
        let backlog: Vec<u64> = s.rows.iter().map(|r| r.figures.backlog).collect();
        assert_eq!(backlog, [7, 7, 5]);
        assert_eq!(s.rows[0].figures.resolution_met_rate, Some(1.0));
        assert_eq!(s.rows[2].figures.avg_feedback, Some(4.5));
        assert_eq!(s.rows[1].figures.response_met_rate, None);
    }
}
