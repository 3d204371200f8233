//! Which policy applies to a request, and the deadlines it gives.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::{AreaKind, SlaPolicy};
use crate::calendar::Calendar;
use crate::call::Category;

/// The policy in force for a request of `category` in the unit whose
/// ancestry is `unit_ancestry` (its own code first, then its parent's, up
/// to the root), in an area of `area_kind` (None when unknown), on the
/// local day `on`.
///
/// A policy is a candidate when it is for the category, is effective
/// (`effective_from` ≤ `on`), belongs to a unit in the ancestry or to no
/// unit, and names the request's area kind or none. Among candidates,
/// in this order of precedence:
///
/// 1. the **closest unit** wins: the unit's own policy beats its parent's,
///    which beats one for everyone (no unit);
/// 2. then an **exact area kind** beats a policy for any area (a request
///    whose area kind is unknown only matches policies for any area);
/// 3. then the **latest `effective_from`**: a newer policy replaces an
///    older one of the same scope from its date on;
/// 4. ties (two policies of the same scope and date) go to the smaller id,
///    so the answer never depends on storage order.
///
/// So a unit's own policy keeps applying when a newer one for everyone is
/// added; to go back to the general rule, the unit's policy is deleted.
pub fn select<'a>(
    policies: &'a [SlaPolicy],
    category: Category,
    unit_ancestry: &[String],
    area_kind: Option<AreaKind>,
    on: NaiveDate,
) -> Option<&'a SlaPolicy> {
    policies
        .iter()
        .filter(|p| p.category == category && p.effective_from <= on)
        .filter_map(|p| {
            let unit_rank = match &p.unit_code {
                None => 0,
                Some(code) => unit_ancestry.len() - unit_ancestry.iter().position(|u| code == u)?,
            };
            let area_rank = match p.area_kind {
                None => 0,
                Some(kind) if Some(kind) == area_kind => 1,
                Some(_) => return None,
            };
            Some((p, (unit_rank, area_rank, p.effective_from)))
        })
        .max_by(|(a, ka), (b, kb)| ka.cmp(kb).then_with(|| b.id.cmp(&a.id)))
        .map(|(p, _)| p)
}

/// When a request must be acknowledged and resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// None when the policy sets no response target.
    pub response_due: Option<DateTime<Utc>>,
    pub resolution_due: DateTime<Utc>,
}

/// The deadlines `policy` gives a request received at `received_at`,
/// counted in `calendar` (clock hours ignore it).
pub fn deadlines(policy: &SlaPolicy, calendar: &Calendar, received_at: DateTime<Utc>) -> Deadlines {
    Deadlines {
        response_due: policy.response.map(|t| t.due(calendar, received_at)),
        resolution_due: policy.resolution.due(calendar, received_at),
    }
}

/// The day in Vietnam at an instant: the day a policy's effective date is
/// compared with.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Ho_Chi_Minh).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::calendar::Target;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(local: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        Ho_Chi_Minh.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    fn policy(
        name: &str,
        category: Category,
        unit: Option<&str>,
        area: Option<AreaKind>,
        from: &str,
        resolution: Target,
    ) -> SlaPolicy {
        let now = at("2016-01-01 00:00");
        SlaPolicy {
            id: Uuid::now_v7(),
            name: name.into(),
            category,
            unit_code: unit.map(Into::into),
            area_kind: area,
            effective_from: date(from),
            response: None,
            resolution,
            calendar_code: "default".into(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    fn chosen<'a>(
        policies: &'a [SlaPolicy],
        category: Category,
        ancestry: &[&str],
        area: Option<AreaKind>,
        on: &str,
    ) -> Option<&'a str> {
        let ancestry: Vec<String> = ancestry.iter().map(|s| s.to_string()).collect();
        select(policies, category, &ancestry, area, date(on)).map(|p| p.name.as_str())
    }

    use AreaKind::{Rural, Urban};
    use Category::{Billing, NewSupply, Outage};

    fn new_supply_set() -> Vec<SlaPolicy> {
        vec![
            policy("any area", NewSupply, None, None, "2016-01-01", Target::WorkingDays(7)),
            policy(
                "urban",
                NewSupply,
                None,
                Some(Urban),
                "2016-01-01",
                Target::WorkingDays(3),
            ),
            policy(
                "rural",
                NewSupply,
                None,
                Some(Rural),
                "2016-01-01",
                Target::WorkingDays(5),
            ),
            policy(
                "PC15",
                NewSupply,
                Some("PC15"),
                None,
                "2020-01-01",
                Target::WorkingDays(4),
            ),
            policy(
                "PC15 rural",
                NewSupply,
                Some("PC15"),
                Some(Rural),
                "2020-01-01",
                Target::WorkingDays(6),
            ),
            policy("PC", NewSupply, Some("PC"), None, "2020-01-01", Target::WorkingDays(2)),
            policy("outage", Outage, None, None, "2016-01-01", Target::ClockHours(2)),
        ]
    }

    #[test]
    fn category_and_area_kind() {
        let p = new_supply_set();
        assert_eq!(chosen(&p, NewSupply, &[], Some(Urban), "2026-01-01"), Some("urban"));
        assert_eq!(chosen(&p, NewSupply, &[], Some(Rural), "2026-01-01"), Some("rural"));
        // Unknown area kind: only the policy for any area matches.
        assert_eq!(chosen(&p, NewSupply, &[], None, "2026-01-01"), Some("any area"));
        assert_eq!(chosen(&p, Outage, &[], Some(Rural), "2026-01-01"), Some("outage"));
        assert_eq!(chosen(&p, Billing, &[], None, "2026-01-01"), None);
    }

    #[test]
    fn the_closest_unit_wins_before_the_area_kind() {
        let p = new_supply_set();
        // The team's own unit has none: its parent PC15 applies, with the
        // exact area kind preferred within that unit.
        let ancestry = ["PC15LL01", "PC15", "PC"];
        assert_eq!(
            chosen(&p, NewSupply, &ancestry, Some(Rural), "2026-01-01"),
            Some("PC15 rural")
        );
        // PC15's policy for any area beats the everyone-urban policy.
        assert_eq!(
            chosen(&p, NewSupply, &ancestry, Some(Urban), "2026-01-01"),
            Some("PC15")
        );
        // Another child of PC: PC's policy.
        assert_eq!(
            chosen(&p, NewSupply, &["PC12", "PC"], Some(Urban), "2026-01-01"),
            Some("PC")
        );
        // Units outside the ancestry never apply.
        assert_eq!(
            chosen(&p, NewSupply, &["PC12"], Some(Urban), "2026-01-01"),
            Some("urban")
        );
        // Before the unit policies took effect, the general ones apply.
        assert_eq!(
            chosen(&p, NewSupply, &ancestry, Some(Rural), "2019-12-31"),
            Some("rural")
        );
    }

    #[test]
    fn a_newer_policy_replaces_an_older_one_from_its_date_on() {
        let mut p = new_supply_set();
        p.push(policy(
            "outage 2027",
            Outage,
            None,
            None,
            "2027-01-01",
            Target::ClockHours(1),
        ));
        assert_eq!(chosen(&p, Outage, &[], None, "2026-12-31"), Some("outage"));
        assert_eq!(chosen(&p, Outage, &[], None, "2027-01-01"), Some("outage 2027"));
        // Not yet in force for anything before 2016.
        assert_eq!(chosen(&p, Outage, &[], None, "2015-12-31"), None);
        // A unit's older policy still beats a newer one for everyone.
        p.push(policy(
            "PC15 outage",
            Outage,
            Some("PC15"),
            None,
            "2020-01-01",
            Target::ClockHours(3),
        ));
        assert_eq!(chosen(&p, Outage, &["PC15"], None, "2027-06-01"), Some("PC15 outage"));
    }

    #[test]
    fn ties_do_not_depend_on_order() {
        let a = policy("a", Outage, None, None, "2016-01-01", Target::ClockHours(2));
        let b = policy("b", Outage, None, None, "2016-01-01", Target::ClockHours(3));
        let forward = [a.clone(), b.clone()];
        let backward = [b, a];
        assert_eq!(chosen(&forward, Outage, &[], None, "2026-01-01"), Some("a"));
        assert_eq!(chosen(&backward, Outage, &[], None, "2026-01-01"), Some("a"));
    }

    #[test]
    fn deadlines_use_the_calendar_for_working_targets() {
        let cal = Calendar::default_vietnam();
        let mut outage = policy("outage", Outage, None, None, "2016-01-01", Target::ClockHours(2));
        outage.response = Some(Target::ClockHours(1));
        // Friday 16:30: clock hours run through the evening.
        let d = deadlines(&outage, &cal, at("2026-11-20 16:30"));
        assert_eq!(d.response_due, Some(at("2026-11-20 17:30")));
        assert_eq!(d.resolution_due, at("2026-11-20 18:30"));
        // Three working days from a Friday skip the weekend.
        let urban = policy(
            "urban",
            NewSupply,
            None,
            Some(Urban),
            "2016-01-01",
            Target::WorkingDays(3),
        );
        let d = deadlines(&urban, &cal, at("2026-11-20 16:30"));
        assert_eq!((d.response_due, d.resolution_due), (None, at("2026-11-25 17:00")));
        // Received the Friday before Tết 2026: 16–20 February are closed.
        let rural = policy(
            "rural",
            NewSupply,
            None,
            Some(Rural),
            "2016-01-01",
            Target::WorkingDays(5),
        );
        assert_eq!(
            deadlines(&rural, &cal, at("2026-02-13 10:00")).resolution_due,
            at("2026-02-27 17:00")
        );
        let hours = policy(
            "info",
            Category::Information,
            None,
            None,
            "2016-01-01",
            Target::WorkingHours(2),
        );
        assert_eq!(
            deadlines(&hours, &cal, at("2026-11-20 16:30")).resolution_due,
            at("2026-11-23 08:30")
        );
    }

    #[test]
    fn local_day_of_an_instant() {
        assert_eq!(local_date(at("2026-01-01 00:30")), date("2026-01-01"));
        assert_eq!(
            local_date(Utc.with_ymd_and_hms(2025, 12, 31, 17, 30, 0).unwrap()),
            date("2026-01-01")
        );
    }
}
