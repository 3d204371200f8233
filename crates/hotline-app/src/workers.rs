//! Whether each background worker's last tick ran cleanly, and how often
//! one was restarted after a panic: what readiness and `/metrics` report.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// One worker's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkerState {
    /// The last tick finished without panicking.
    pub healthy: bool,
    /// Ticks that panicked (each followed by a restart after a pause).
    pub restarts: u64,
}

/// The workers of this replica, by name.
#[derive(Debug, Default)]
pub struct WorkerHealth(Mutex<BTreeMap<&'static str, WorkerState>>);

impl WorkerHealth {
    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<&'static str, WorkerState>) -> T) -> T {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut map)
    }

    /// A tick of `name` finished cleanly.
    pub fn ran(&self, name: &'static str) {
        self.with(|m| m.entry(name).or_default().healthy = true);
    }

    /// A tick of `name` panicked.
    pub fn panicked(&self, name: &'static str) {
        self.with(|m| {
            let s = m.entry(name).or_default();
            s.healthy = false;
            s.restarts += 1;
        });
    }

    /// Every worker seen so far, by name.
    pub fn all(&self) -> Vec<(&'static str, WorkerState)> {
        self.with(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
    }

    /// The workers whose last tick panicked.
    pub fn unhealthy(&self) -> Vec<&'static str> {
        self.with(|m| m.iter().filter(|(_, s)| !s.healthy).map(|(k, _)| *k).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_marks_unhealthy_until_a_clean_tick() {
        let h = WorkerHealth::default();
        h.ran("deadline");
        h.panicked("escalation");
        h.panicked("escalation");
        assert_eq!(h.unhealthy(), ["escalation"]);
        h.ran("escalation");
        assert!(h.unhealthy().is_empty());
        let all = h.all();
        assert_eq!(
            all[1],
            (
                "escalation",
                WorkerState {
                    healthy: true,
                    restarts: 2
                }
            )
        );
    }
}
