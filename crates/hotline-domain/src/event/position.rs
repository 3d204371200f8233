//! Where an event sits in the log: what a reader resumes from.

use std::fmt;
use std::str::FromStr;

use super::OutboxEvent;

/// An event's place in the log, ordered by `(txid, seq)`. On SQLite `txid`
/// is 0 and `seq` alone orders the log; on PostgreSQL `txid` is the writing
/// transaction, so an event committed late never lands behind a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EventPosition {
    pub txid: i64,
    pub seq: i64,
}

/// Shown as `seq`, or `txid-seq` when there is a transaction id: opaque to
/// clients, who hand it back as `Last-Event-ID`.
impl fmt::Display for EventPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.txid == 0 {
            write!(f, "{}", self.seq)
        } else {
            write!(f, "{}-{}", self.txid, self.seq)
        }
    }
}

impl FromStr for EventPosition {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |p: &str| p.trim().parse::<i64>().ok().filter(|n| *n >= 0);
        let parsed = match s.split_once('-') {
            Some((txid, seq)) => number(txid).zip(number(seq)),
            None => number(s).map(|seq| (0, seq)),
        };
        parsed
            .map(|(txid, seq)| EventPosition { txid, seq })
            .ok_or_else(|| format!("'{s}' is not an event id from this service"))
    }
}

/// An event with its place in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    pub position: EventPosition,
    pub event: OutboxEvent,
    /// The `traceparent` of the request that caused it, if one did.
    pub traceparent: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_order() {
        for p in [EventPosition { txid: 0, seq: 42 }, EventPosition { txid: 7341, seq: 9 }] {
            assert_eq!(p.to_string().parse::<EventPosition>(), Ok(p));
        }
        assert_eq!("42".parse::<EventPosition>().unwrap().to_string(), "42");
        assert!(EventPosition { txid: 5, seq: 100 } < EventPosition { txid: 6, seq: 1 });
        for bad in ["", "x", "-1", "1-", "1-2-3", "abc-4"] {
            assert!(bad.parse::<EventPosition>().is_err(), "{bad}");
        }
    }
}
