//! Counts that can be added together: a day's summary plus the raw rows of
//! today make one bucket. Percentiles do not add up, so durations (a
//! call's wait, a work order's time to resolve) are kept as histograms to
//! the second, and the figures are read at the end.

use std::collections::BTreeMap;

use super::figures::{CallTally, WorkOrderTally, rank_reached};

/// How many calls waited (or work orders took) each whole number of seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecondsHistogram(BTreeMap<i64, u64>);

impl SecondsHistogram {
    pub fn add(&mut self, seconds: i64, n: u64) {
        if n > 0 {
            *self.0.entry(seconds).or_default() += n;
        }
    }

    pub fn merge(&mut self, other: &SecondsHistogram) {
        for (s, n) in &other.0 {
            self.add(*s, *n);
        }
    }

    /// How many in all.
    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn seconds_sum(&self) -> i64 {
        self.0.iter().map(|(s, n)| s * *n as i64).sum()
    }

    /// How many took at most `seconds`.
    pub fn at_most(&self, seconds: i64) -> u64 {
        self.0.range(..=seconds).map(|(_, n)| n).sum()
    }

    /// The nearest-rank percentile (see [`super::figures::nearest_rank`]).
    pub fn percentile(&self, pct: u64) -> Option<i64> {
        let total = self.count();
        let mut cumulative = 0;
        for (s, n) in &self.0 {
            cumulative += n;
            if rank_reached(cumulative, total, pct) {
                return Some(*s);
            }
        }
        None
    }

    /// `seconds:count` pairs by seconds, comma-separated (`3:12,4:7`): short,
    /// and readable in a database shell.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.0.len() * 6);
        for (i, (s, n)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("{s}:{n}"));
        }
        out
    }

    pub fn decode(text: &str) -> Result<SecondsHistogram, String> {
        let mut h = SecondsHistogram::default();
        h.add_encoded(text)?;
        Ok(h)
    }

    /// Adds an [`encode`](Self::encode)d histogram to this one, without
    /// building it first (a year's report adds up hundreds of days).
    pub fn add_encoded(&mut self, text: &str) -> Result<(), String> {
        for pair in text.split(',').filter(|p| !p.is_empty()) {
            let (s, n) = pair
                .split_once(':')
                .ok_or_else(|| format!("not a seconds:count pair: {pair:?}"))?;
            let s = s.parse::<i64>().map_err(|_| format!("bad seconds in {pair:?}"))?;
            let n = n.parse::<u64>().map_err(|_| format!("bad count in {pair:?}"))?;
            self.add(s, n);
        }
        Ok(())
    }
}

/// How a call ended up, as the figures count it (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Ringing,
    Answered,
    Missed,
    Abandoned,
    /// Refused: the caller's number is blocked. Not offered.
    Blocked,
}

impl CallKind {
    /// The code the report queries compute: 0 ringing, 1 answered, 2
    /// missed, 3 abandoned, 4 blocked.
    pub fn from_code(k: i64) -> Option<CallKind> {
        Some(match k {
            0 => CallKind::Ringing,
            1 => CallKind::Answered,
            2 => CallKind::Missed,
            3 => CallKind::Abandoned,
            4 => CallKind::Blocked,
            _ => return None,
        })
    }
}

/// Everything the call figures need, in a form that adds up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallCounts {
    pub offered: u64,
    pub answered: u64,
    pub missed: u64,
    pub abandoned: u64,
    /// Refused calls from blocked numbers, apart from all the rest.
    pub blocked: u64,
    pub talks: u64,
    pub talk_seconds_sum: i64,
    /// Waits of answered calls (for the service level).
    pub answered_waits: SecondsHistogram,
    /// Waits of calls that ended unanswered.
    pub unanswered_waits: SecondsHistogram,
}

impl CallCounts {
    /// `calls` calls of one kind with this wait (none while ringing), and
    /// `talks` of them with `talk_seconds` of talk in all.
    pub fn add(&mut self, kind: CallKind, wait: Option<i64>, calls: u64, talks: u64, talk_seconds: i64) {
        if kind == CallKind::Blocked {
            self.blocked += calls;
            return;
        }
        self.offered += calls;
        match kind {
            CallKind::Ringing => {}
            CallKind::Answered => self.answered += calls,
            CallKind::Missed => self.missed += calls,
            CallKind::Abandoned => self.abandoned += calls,
            CallKind::Blocked => {}
        }
        if let Some(w) = wait {
            match kind {
                CallKind::Answered => self.answered_waits.add(w, calls),
                _ => self.unanswered_waits.add(w, calls),
            }
        }
        self.talks += talks;
        self.talk_seconds_sum += talk_seconds;
    }

    pub fn merge(&mut self, other: &CallCounts) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.missed += other.missed;
        self.abandoned += other.abandoned;
        self.blocked += other.blocked;
        self.talks += other.talks;
        self.talk_seconds_sum += other.talk_seconds_sum;
        self.answered_waits.merge(&other.answered_waits);
        self.unanswered_waits.merge(&other.unanswered_waits);
    }

    /// The tally of one bucket and group, with the service level at
    /// `threshold` seconds.
    pub fn tally(&self, bucket: usize, group: Option<String>, threshold: u32, pct: u64) -> CallTally {
        let mut all = self.answered_waits.clone();
        all.merge(&self.unanswered_waits);
        CallTally {
            bucket,
            group,
            offered: self.offered,
            answered: self.answered,
            missed: self.missed,
            abandoned: self.abandoned,
            blocked: self.blocked,
            waits: all.count(),
            wait_seconds_sum: all.seconds_sum(),
            p90_wait_seconds: all.percentile(pct),
            talks: self.talks,
            talk_seconds_sum: self.talk_seconds_sum,
            answered_within_threshold: self.answered_waits.at_most(i64::from(threshold)),
        }
    }
}

/// One work order's part in a bucket, as the work-order figures count it
/// (see the module docs of [`super`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkOrderFact {
    /// Created in the bucket.
    Opened,
    /// Resolved in the bucket, `seconds` after it was opened; `met` whether
    /// by its resolution deadline (none without one).
    Resolved { seconds: i64, met: Option<bool> },
    /// Acknowledged in the bucket, with a response deadline; whether by it.
    Acknowledged { met: bool },
    /// Cancelled in the bucket (its last change).
    Cancelled,
    /// Feedback given in the bucket, with its score.
    Feedback { score: i64 },
}

impl WorkOrderFact {
    /// From the codes the report queries compute: `r` 0 opened, 1 resolved
    /// (`x` seconds, `m` met or not, null without a deadline), 2
    /// acknowledged (`m`), 3 cancelled, 4 feedback (`x` the score).
    pub fn from_code(r: i64, x: Option<i64>, m: Option<i64>) -> Option<WorkOrderFact> {
        Some(match r {
            0 => WorkOrderFact::Opened,
            1 => WorkOrderFact::Resolved {
                seconds: x?,
                met: m.map(|m| m != 0),
            },
            2 => WorkOrderFact::Acknowledged { met: m? != 0 },
            3 => WorkOrderFact::Cancelled,
            4 => WorkOrderFact::Feedback { score: x? },
            _ => return None,
        })
    }
}

/// Everything the work-order figures of a bucket (and group) need, in a
/// form that adds up: the times to resolve as a histogram, so the median of
/// several days is exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkOrderCounts {
    pub opened: u64,
    /// Seconds from opening to resolution of those resolved; how many were
    /// resolved is its count.
    pub resolve_seconds: SecondsHistogram,
    pub resolutions_due: u64,
    pub resolutions_met: u64,
    pub responses_due: u64,
    pub responses_met: u64,
    pub cancelled: u64,
    pub feedbacks: u64,
    pub feedback_sum: u64,
}

impl WorkOrderCounts {
    /// `n` work orders with the same fact.
    pub fn add(&mut self, fact: WorkOrderFact, n: u64) {
        match fact {
            WorkOrderFact::Opened => self.opened += n,
            WorkOrderFact::Resolved { seconds, met } => {
                self.resolve_seconds.add(seconds, n);
                if let Some(met) = met {
                    self.resolutions_due += n;
                    self.resolutions_met += if met { n } else { 0 };
                }
            }
            WorkOrderFact::Acknowledged { met } => {
                self.responses_due += n;
                self.responses_met += if met { n } else { 0 };
            }
            WorkOrderFact::Cancelled => self.cancelled += n,
            WorkOrderFact::Feedback { score } => {
                self.feedbacks += n;
                self.feedback_sum += score.max(0) as u64 * n;
            }
        }
    }

    pub fn merge(&mut self, other: &WorkOrderCounts) {
        self.opened += other.opened;
        self.resolve_seconds.merge(&other.resolve_seconds);
        self.resolutions_due += other.resolutions_due;
        self.resolutions_met += other.resolutions_met;
        self.responses_due += other.responses_due;
        self.responses_met += other.responses_met;
        self.cancelled += other.cancelled;
        self.feedbacks += other.feedbacks;
        self.feedback_sum += other.feedback_sum;
    }

    /// The tally of one bucket and group; the median by nearest rank.
    pub fn tally(&self, bucket: usize, group: Option<String>) -> WorkOrderTally {
        let resolved = self.resolve_seconds.count();
        WorkOrderTally {
            bucket,
            group,
            opened: self.opened,
            resolved,
            left: resolved + self.cancelled,
            responses_due: self.responses_due,
            responses_met: self.responses_met,
            resolutions_due: self.resolutions_due,
            resolutions_met: self.resolutions_met,
            median_resolve_seconds: self.resolve_seconds.percentile(MEDIAN),
            feedbacks: self.feedbacks,
            feedback_sum: self.feedback_sum,
        }
    }
}

/// The median as a percentile.
const MEDIAN: u64 = 50;

#[cfg(test)]
mod tests {
    use super::super::figures::nearest_rank;
    use super::*;

    #[test]
    fn histograms_round_trip_and_merge() {
        let mut h = SecondsHistogram::default();
        h.add(12, 2);
        h.add(3, 1);
        h.add(-1, 1);
        h.add(7, 0);
        assert_eq!(h.encode(), "-1:1,3:1,12:2");
        assert_eq!(SecondsHistogram::decode(&h.encode()).unwrap(), h);
        assert_eq!(SecondsHistogram::decode("").unwrap(), SecondsHistogram::default());
        assert!(SecondsHistogram::decode("3").is_err());
        assert!(SecondsHistogram::decode("a:1").is_err());
        let mut g = SecondsHistogram::decode("3:4,5:1").unwrap();
        g.merge(&h);
        assert_eq!(g.encode(), "-1:1,3:5,5:1,12:2");
        assert_eq!(g.count(), 9);
        assert_eq!(g.seconds_sum(), -1 + 15 + 5 + 24);
        assert_eq!(g.at_most(3), 6);
        assert_eq!(g.at_most(2), 1);
    }

    #[test]
    fn percentiles_match_the_sorted_list() {
        for n in 1..60i64 {
            let values: Vec<i64> = (0..n).map(|i| (i * 37) % 23).collect();
            let mut h = SecondsHistogram::default();
            for v in &values {
                h.add(*v, 1);
            }
            let mut sorted = values.clone();
            sorted.sort_unstable();
            assert_eq!(h.percentile(90), nearest_rank(&sorted, 90), "n={n}");
        }
        assert_eq!(SecondsHistogram::default().percentile(90), None);
    }

    #[test]
    fn counts_add_up_to_the_same_tally() {
        let mut day = CallCounts::default();
        day.add(CallKind::Answered, Some(10), 1, 1, 100);
        day.add(CallKind::Missed, Some(45), 1, 0, 0);
        let mut today = CallCounts::default();
        today.add(CallKind::Abandoned, Some(5), 1, 0, 0);
        today.add(CallKind::Ringing, None, 1, 0, 0);
        today.add(CallKind::Answered, Some(30), 1, 1, 60);
        let mut both = day.clone();
        both.merge(&today);
        let t = both.tally(0, None, 20, 90);
        assert_eq!((t.offered, t.answered, t.missed, t.abandoned), (5, 2, 1, 1));
        assert_eq!((t.waits, t.wait_seconds_sum, t.p90_wait_seconds), (4, 90, Some(45)));
        assert_eq!((t.talks, t.talk_seconds_sum, t.answered_within_threshold), (2, 160, 1));
        assert_eq!(CallKind::from_code(3), Some(CallKind::Abandoned));
        assert_eq!(CallKind::from_code(4), Some(CallKind::Blocked));
        assert_eq!(CallKind::from_code(5), None);
    }

    #[test]
    fn blocked_calls_are_counted_apart() {
        let mut day = CallCounts::default();
        day.add(CallKind::Missed, Some(45), 1, 0, 0);
        day.add(CallKind::Blocked, None, 2, 0, 0);
        let mut today = CallCounts::default();
        today.add(CallKind::Blocked, None, 1, 0, 0);
        day.merge(&today);
        let t = day.tally(0, None, 20, 90);
        assert_eq!((t.offered, t.missed, t.blocked, t.waits), (1, 1, 3, 1));
    }

    #[test]
    fn work_order_counts_add_up_to_the_same_tally() {
        // Times to resolve over two days: the median of both is not a
        // mix of the days' medians.
        let mut day = WorkOrderCounts::default();
        for (s, met) in [(100, Some(true)), (200, Some(false)), (300, None)] {
            day.add(WorkOrderFact::Resolved { seconds: s, met }, 1);
        }
        day.add(WorkOrderFact::Opened, 4);
        day.add(WorkOrderFact::Acknowledged { met: true }, 2);
        day.add(WorkOrderFact::Acknowledged { met: false }, 1);
        let mut today = WorkOrderCounts::default();
        today.add(WorkOrderFact::Resolved { seconds: 5, met: None }, 2);
        today.add(WorkOrderFact::Cancelled, 1);
        today.add(WorkOrderFact::Feedback { score: 4 }, 2);
        today.add(WorkOrderFact::Feedback { score: 1 }, 1);
        assert_eq!(day.tally(0, None).median_resolve_seconds, Some(200));
        assert_eq!(today.tally(0, None).median_resolve_seconds, Some(5));
        let mut both = day.clone();
        both.merge(&today);
        let t = both.tally(3, Some("T1".into()));
        let mut sorted = vec![5, 5, 100, 200, 300];
        sorted.sort_unstable();
        assert_eq!(t.median_resolve_seconds, nearest_rank(&sorted, 50));
        assert_eq!(t.median_resolve_seconds, Some(100));
        assert_eq!((t.bucket, t.group.as_deref()), (3, Some("T1")));
        assert_eq!((t.opened, t.resolved, t.left), (4, 5, 6));
        assert_eq!((t.resolutions_due, t.resolutions_met), (2, 1));
        assert_eq!((t.responses_due, t.responses_met), (3, 2));
        assert_eq!((t.feedbacks, t.feedback_sum), (3, 9));
        assert_eq!(WorkOrderCounts::default().tally(0, None).median_resolve_seconds, None);
    }

    #[test]
    fn work_order_facts_from_their_codes() {
        assert_eq!(WorkOrderFact::from_code(0, None, None), Some(WorkOrderFact::Opened));
        assert_eq!(
            WorkOrderFact::from_code(1, Some(60), None),
            Some(WorkOrderFact::Resolved { seconds: 60, met: None })
        );
        assert_eq!(
            WorkOrderFact::from_code(1, Some(60), Some(0)),
            Some(WorkOrderFact::Resolved {
                seconds: 60,
                met: Some(false)
            })
        );
        assert_eq!(
            WorkOrderFact::from_code(2, None, Some(1)),
            Some(WorkOrderFact::Acknowledged { met: true })
        );
        assert_eq!(WorkOrderFact::from_code(3, None, None), Some(WorkOrderFact::Cancelled));
        assert_eq!(
            WorkOrderFact::from_code(4, Some(5), None),
            Some(WorkOrderFact::Feedback { score: 5 })
        );
        assert_eq!(WorkOrderFact::from_code(1, None, None), None);
        assert_eq!(WorkOrderFact::from_code(5, None, None), None);
    }
}
