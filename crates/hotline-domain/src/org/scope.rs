//! Whose records a principal placed in a unit sees.

/// The units of a principal's subtree, and whether records placed in no
/// unit at all pass too. Those are for the centre itself: a principal of a
/// root unit (whose subtree is a whole organisation) sees them, one of a
/// unit below does not. (Admins and principals not placed in a unit have
/// no scope: they see everything.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitScope {
    pub units: Vec<String>,
    pub unplaced: bool,
}

impl UnitScope {
    /// Whether a record of `unit` (None: of no unit) lies in the scope.
    pub fn admits(&self, unit: Option<&str>) -> bool {
        match unit {
            Some(u) => self.units.iter().any(|c| c == u),
            None => self.unplaced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_below_the_root_does_not_see_unplaced_records() {
        let below = UnitScope {
            units: vec!["PB98".into(), "PB98LL".into()],
            unplaced: false,
        };
        assert!(below.admits(Some("PB98LL")));
        assert!(!below.admits(Some("PB97")));
        assert!(!below.admits(None));
        let root = UnitScope {
            units: vec!["EVNSPC".into(), "PB98".into()],
            unplaced: true,
        };
        assert!(root.admits(None));
        assert!(root.admits(Some("PB98")));
        assert!(!root.admits(Some("ELSEWHERE")));
    }
}
