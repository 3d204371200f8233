//! Outage incidents: one fault behind many calls. A dispatcher declares one
//! (or the clustering rule proposes one when outage work orders pile up in
//! an area), work orders attach to it, and resolving it resolves them.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::DomainError;
use crate::codes::{AreaCode, CustomerCode, UnitCode};
use crate::validation::{Validation, optional_text};

pub const MAX_CAUSE: usize = 2000;
pub const MAX_AREAS: usize = 200;

named_enum!(
    /// Where an incident stands.
    IncidentStatus {
        /// Suggested by clustering; a dispatcher confirms it by activating.
        Proposed => "proposed",
        /// Declared: new outage work orders from its areas attach to it and
        /// callers are told the estimate.
        Active => "active",
        /// Power is back; its work orders were resolved with it.
        Resolved => "resolved",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: Uuid,
    /// A short label for the dispatchers (optional).
    pub code: Option<String>,
    /// The areas it covers, each with everything below it.
    pub area_codes: Vec<AreaCode>,
    /// The unit serving its areas (the closest unit above all of their
    /// owners); None while none of its areas is owned by a unit.
    pub unit_code: Option<UnitCode>,
    pub cause: Option<String>,
    pub started_at: DateTime<Utc>,
    pub estimated_restoration_at: Option<DateTime<Utc>>,
    pub status: IncidentStatus,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// An incident as submitted.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    pub code: Option<String>,
    pub area_codes: Vec<String>,
    pub cause: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub estimated_restoration_at: Option<DateTime<Utc>>,
}

/// A change to an incident: only the fields given change.
#[derive(Debug, Clone, Default)]
pub struct IncidentPatch {
    pub area_codes: Option<Vec<String>>,
    pub cause: Option<Option<String>>,
    pub estimated_restoration_at: Option<Option<DateTime<Utc>>>,
}

/// Filters for the incident list.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub statuses: Vec<IncidentStatus>,
    /// Incidents one of whose areas is one of these codes.
    pub area_codes: Option<Vec<String>>,
}

/// A recent outage work order, as clustering sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutageReport {
    pub work_order_id: Uuid,
    pub area_code: AreaCode,
    pub opened_at: DateTime<Utc>,
    pub incident_id: Option<Uuid>,
}

/// A customer to call back once an incident is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub customer_code: Option<CustomerCode>,
    pub work_order_id: Uuid,
    pub work_order_code: String,
    /// The numbers the customer called from (the linked calls').
    pub caller_numbers: Vec<String>,
}

fn area_codes(v: &mut Validation, raw: &[String]) -> Vec<AreaCode> {
    let mut out: Vec<AreaCode> = Vec::new();
    for code in raw.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if let Some(c) = v.check("area_codes", AreaCode::parse(code))
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    if out.is_empty() {
        v.add("area_codes", "name at least one area");
    }
    if out.len() > MAX_AREAS {
        v.add("area_codes", format!("at most {MAX_AREAS} areas"));
    }
    out
}

fn check_estimate(v: &mut Validation, started: DateTime<Utc>, estimate: Option<DateTime<Utc>>) {
    if estimate.is_some_and(|e| e <= started) {
        v.add("estimated_restoration_at", "must be after started_at");
    }
}

impl Incident {
    /// Checks a submission and builds the incident with the given status.
    pub fn create(
        input: NewIncident,
        status: IncidentStatus,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Incident, DomainError> {
        let mut v = Validation::new();
        let areas = area_codes(&mut v, &input.area_codes);
        let started_at = input.started_at.unwrap_or(now);
        check_estimate(&mut v, started_at, input.estimated_restoration_at);
        let code = match input.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => v.check("code", crate::customer::check_code(c)),
            None => None,
        };
        let incident = Incident {
            id: Uuid::now_v7(),
            code,
            area_codes: areas,
            unit_code: None,
            cause: optional_text(&mut v, "cause", input.cause.as_deref(), MAX_CAUSE),
            started_at,
            estimated_restoration_at: input.estimated_restoration_at,
            status,
            resolved_at: None,
            created_by: actor.to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        v.finish()?;
        Ok(incident)
    }

    /// Applies a change; a resolved incident no longer changes.
    pub fn patched(&self, patch: IncidentPatch, now: DateTime<Utc>) -> Result<Incident, DomainError> {
        if self.status == IncidentStatus::Resolved {
            return Err(DomainError::Conflict(
                "the incident is resolved and no longer changes".into(),
            ));
        }
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(areas) = patch.area_codes {
            next.area_codes = area_codes(&mut v, &areas);
        }
        if let Some(cause) = patch.cause {
            next.cause = optional_text(&mut v, "cause", cause.as_deref(), MAX_CAUSE);
        }
        if let Some(estimate) = patch.estimated_restoration_at {
            next.estimated_restoration_at = estimate;
        }
        check_estimate(&mut v, next.started_at, next.estimated_restoration_at);
        v.finish()?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// A proposed incident confirmed by a dispatcher.
    pub fn activated(&self, now: DateTime<Utc>) -> Result<Incident, DomainError> {
        if self.status != IncidentStatus::Proposed {
            return Err(DomainError::Conflict(format!(
                "only a proposed incident can be activated; this one is {}",
                self.status
            )));
        }
        let mut next = self.clone();
        next.status = IncidentStatus::Active;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    pub fn resolved(&self, now: DateTime<Utc>) -> Result<Incident, DomainError> {
        if self.status == IncidentStatus::Resolved {
            return Err(DomainError::Conflict("the incident is already resolved".into()));
        }
        let mut next = self.clone();
        next.status = IncidentStatus::Resolved;
        next.resolved_at = Some(now);
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// Whether new work orders may attach to it.
    pub fn is_open(&self) -> bool {
        self.status != IncidentStatus::Resolved
    }

    /// Whether an area with this ancestry (itself first, then its ancestors)
    /// lies within one of the incident's areas.
    pub fn covers(&self, ancestry: &[String]) -> bool {
        ancestry.iter().any(|a| self.area_codes.iter().any(|c| c == a))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "code": self.code, "area_codes": self.area_codes, "unit_code": self.unit_code, "cause": self.cause,
            "started_at": self.started_at, "estimated_restoration_at": self.estimated_restoration_at,
            "status": self.status.as_str(), "resolved_at": self.resolved_at,
        })
    }
}

/// The outage work orders that form a cluster: at least `size` of them
/// opened in the same area within `window` before `now` and attached to no
/// incident. `recent` may include the new work order. None when there are
/// too few.
pub fn cluster(recent: &[OutageReport], size: usize, window: Duration, now: DateTime<Utc>) -> Option<Vec<Uuid>> {
    if size == 0 {
        return None;
    }
    let since = now - window;
    let first_area = recent.first()?.area_code.as_str();
    let members: Vec<Uuid> = recent
        .iter()
        .filter(|r| r.incident_id.is_none() && r.area_code == first_area && r.opened_at >= since && r.opened_at <= now)
        .map(|r| r.work_order_id)
        .collect();
    (members.len() >= size).then_some(members)
}

/// Whether the recent outage work orders of one area make a cluster.
pub fn should_cluster(recent: &[OutageReport], size: usize, window: Duration, now: DateTime<Utc>) -> bool {
    cluster(recent, size, window, now).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 8, minute, 0).unwrap()
    }

    fn report(minute: u32, area: &str, attached: bool) -> OutageReport {
        OutageReport {
            work_order_id: Uuid::now_v7(),
            area_code: area.into(),
            opened_at: at(minute),
            incident_id: attached.then(Uuid::now_v7),
        }
    }

    #[test]
    fn five_in_the_window_make_a_cluster() {
        let w = Duration::minutes(30);
        let four: Vec<_> = (0..4).map(|m| report(m * 5, "CM01", false)).collect();
        assert!(!should_cluster(&four, 5, w, at(20)));
        let mut five = four.clone();
        five.push(report(20, "CM01", false));
        assert_eq!(cluster(&five, 5, w, at(20)).unwrap().len(), 5);
    }

    #[test]
    fn old_attached_and_other_areas_do_not_count() {
        let w = Duration::minutes(30);
        let mut recent = vec![report(40, "CM01", false)];
        recent.push(report(5, "CM01", false)); // 35 minutes before: outside
        recent.push(report(30, "CM01", true)); // already attached
        recent.push(report(31, "CM02", false)); // another area
        recent.push(report(35, "CM01", false));
        recent.push(report(38, "CM01", false));
        assert!(!should_cluster(&recent, 4, w, at(40)));
        assert!(should_cluster(&recent, 3, w, at(40)));
        assert!(!should_cluster(&[], 1, w, at(40)));
        assert!(!should_cluster(&recent, 0, w, at(40)));
    }

    fn input() -> NewIncident {
        NewIncident {
            code: None,
            area_codes: vec![" CM ".into(), "CM".into()],
            cause: Some("Cây đổ vào đường dây".into()),
            started_at: Some(at(0)),
            estimated_restoration_at: Some(at(50)),
        }
    }

    #[test]
    fn validation() {
        let i = Incident::create(input(), IncidentStatus::Active, "user:thu", at(5)).unwrap();
        assert_eq!(i.area_codes, ["CM"]);
        let mut bad = input();
        bad.area_codes = vec![];
        bad.estimated_restoration_at = Some(at(0));
        let err = Incident::create(bad, IncidentStatus::Active, "user:thu", at(5)).unwrap_err();
        let text = format!("{err:?}");
        assert!(
            text.contains("area_codes") && text.contains("estimated_restoration_at"),
            "{text}"
        );
        let patch = IncidentPatch {
            estimated_restoration_at: Some(Some(Utc.with_ymd_and_hms(2026, 11, 22, 7, 0, 0).unwrap())),
            ..IncidentPatch::default()
        };
        assert!(i.patched(patch, at(6)).is_err());
    }

    #[test]
    fn lifecycle_and_coverage() {
        let i = Incident::create(input(), IncidentStatus::Proposed, "system", at(5)).unwrap();
        assert!(i.covers(&["CM0101".into(), "CM01".into(), "CM".into()]));
        assert!(!i.covers(&["BL".into()]));
        let active = i.activated(at(6)).unwrap();
        assert!(active.activated(at(7)).is_err());
        let done = active.resolved(at(8)).unwrap();
        assert_eq!(done.resolved_at, Some(at(8)));
        assert!(done.resolved(at(9)).is_err());
        assert!(!done.is_open());
    }
}
