//! Call counts that can be added together: a day's summary plus the raw
//! calls of today make one bucket. Percentiles do not add up, so waits are
//! kept as histograms to the second, and the figures are read at the end.

use std::collections::BTreeMap;

use super::figures::{CallTally, rank_reached};

/// How many calls waited each whole number of seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitHistogram(BTreeMap<i64, u64>);

impl WaitHistogram {
    pub fn add(&mut self, seconds: i64, calls: u64) {
        if calls > 0 {
            *self.0.entry(seconds).or_default() += calls;
        }
    }

    pub fn merge(&mut self, other: &WaitHistogram) {
        for (s, n) in &other.0 {
            self.add(*s, *n);
        }
    }

    pub fn calls(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn seconds_sum(&self) -> i64 {
        self.0.iter().map(|(s, n)| s * *n as i64).sum()
    }

    /// Calls that waited at most `seconds`.
    pub fn at_most(&self, seconds: i64) -> u64 {
        self.0.range(..=seconds).map(|(_, n)| n).sum()
    }

    /// The nearest-rank percentile (see [`super::figures::nearest_rank`]).
    pub fn percentile(&self, pct: u64) -> Option<i64> {
        let total = self.calls();
        let mut cumulative = 0;
        for (s, n) in &self.0 {
            cumulative += n;
            if rank_reached(cumulative, total, pct) {
                return Some(*s);
            }
        }
        None
    }

    /// `seconds:calls` pairs by seconds, comma-separated (`3:12,4:7`): short,
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

    pub fn decode(text: &str) -> Result<WaitHistogram, String> {
        let mut h = WaitHistogram::default();
        for pair in text.split(',').filter(|p| !p.is_empty()) {
            let (s, n) = pair
                .split_once(':')
                .ok_or_else(|| format!("not a seconds:calls pair: {pair:?}"))?;
            let s = s.parse::<i64>().map_err(|_| format!("bad seconds in {pair:?}"))?;
            let n = n.parse::<u64>().map_err(|_| format!("bad count in {pair:?}"))?;
            h.add(s, n);
        }
        Ok(h)
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
    pub answered_waits: WaitHistogram,
    /// Waits of calls that ended unanswered.
    pub unanswered_waits: WaitHistogram,
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
            waits: all.calls(),
            wait_seconds_sum: all.seconds_sum(),
            p90_wait_seconds: all.percentile(pct),
            talks: self.talks,
            talk_seconds_sum: self.talk_seconds_sum,
            answered_within_threshold: self.answered_waits.at_most(i64::from(threshold)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::figures::nearest_rank;
    use super::*;

    #[test]
    fn histograms_round_trip_and_merge() {
        let mut h = WaitHistogram::default();
        h.add(12, 2);
        h.add(3, 1);
        h.add(-1, 1);
        h.add(7, 0);
        assert_eq!(h.encode(), "-1:1,3:1,12:2");
        assert_eq!(WaitHistogram::decode(&h.encode()).unwrap(), h);
        assert_eq!(WaitHistogram::decode("").unwrap(), WaitHistogram::default());
        assert!(WaitHistogram::decode("3").is_err());
        assert!(WaitHistogram::decode("a:1").is_err());
        let mut g = WaitHistogram::decode("3:4,5:1").unwrap();
        g.merge(&h);
        assert_eq!(g.encode(), "-1:1,3:5,5:1,12:2");
        assert_eq!(g.calls(), 9);
        assert_eq!(g.seconds_sum(), -1 + 15 + 5 + 24);
        assert_eq!(g.at_most(3), 6);
        assert_eq!(g.at_most(2), 1);
    }

    #[test]
    fn percentiles_match_the_sorted_list() {
        for n in 1..60i64 {
            let values: Vec<i64> = (0..n).map(|i| (i * 37) % 23).collect();
            let mut h = WaitHistogram::default();
            for v in &values {
                h.add(*v, 1);
            }
            let mut sorted = values.clone();
            sorted.sort_unstable();
            assert_eq!(h.percentile(90), nearest_rank(&sorted, 90), "n={n}");
        }
        assert_eq!(WaitHistogram::default().percentile(90), None);
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
}
