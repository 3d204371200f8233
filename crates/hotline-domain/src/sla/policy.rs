//! One SLA policy: the targets for a category of request, for everyone or
//! one unit, for any area or only urban or rural ones, from a date on.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{DEFAULT_CALENDAR, check_calendar_code};
use crate::calendar::Target;
use crate::call::Category;
use crate::validation::{Validation, optional_text};
use crate::{DomainError, codes};

pub const MAX_NAME: usize = 200;
/// The largest amount a target may name (about a year in hours).
pub const MAX_TARGET: u32 = 10_000;

/// Where the customer is: deadlines for a new supply differ between a
/// town centre and the countryside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Urban,
    Rural,
}

impl AreaKind {
    pub const ALL: [AreaKind; 2] = [AreaKind::Urban, AreaKind::Rural];

    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::Urban => "urban",
            AreaKind::Rural => "rural",
        }
    }

    pub fn parse(s: &str) -> Option<AreaKind> {
        AreaKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    pub id: Uuid,
    pub name: String,
    pub category: Category,
    /// The unit it applies to (and the units below it); None for everyone.
    pub unit_code: Option<crate::codes::UnitCode>,
    /// Only requests from this kind of area; None for any.
    pub area_kind: Option<AreaKind>,
    /// The first local day it applies to.
    pub effective_from: NaiveDate,
    /// Time to acknowledge the request; None when not tracked.
    pub response: Option<Target>,
    /// Time to resolve it.
    pub resolution: Target,
    /// The calendar working days and hours are counted in.
    pub calendar_code: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A policy as submitted.
#[derive(Debug, Clone)]
pub struct SlaPolicyInput {
    pub name: String,
    pub category: Category,
    pub unit_code: Option<String>,
    pub area_kind: Option<AreaKind>,
    pub effective_from: NaiveDate,
    pub response: Option<Target>,
    pub resolution: Target,
    /// None for [`DEFAULT_CALENDAR`].
    pub calendar_code: Option<String>,
}

/// Changes to a policy; absent fields are kept, `Some(None)` clears.
#[derive(Debug, Clone, Default)]
pub struct SlaPolicyPatch {
    pub name: Option<String>,
    pub category: Option<Category>,
    pub unit_code: Option<Option<String>>,
    pub area_kind: Option<Option<AreaKind>>,
    pub effective_from: Option<NaiveDate>,
    pub response: Option<Option<Target>>,
    pub resolution: Option<Target>,
    pub calendar_code: Option<String>,
}

/// Filters for the list.
#[derive(Debug, Clone, Default)]
pub struct SlaPolicyFilter {
    pub category: Option<Category>,
    /// Policies of exactly this unit.
    pub unit_code: Option<String>,
}

fn check_target(v: &mut Validation, field: &str, target: Target) {
    let (Target::ClockHours(n) | Target::WorkingDays(n) | Target::WorkingHours(n)) = target;
    let zero_allowed = matches!(target, Target::WorkingDays(_));
    if n > MAX_TARGET {
        v.add(field, format!("must be at most {MAX_TARGET}"));
    } else if n == 0 && !zero_allowed {
        v.add(field, "must be at least 1 hour");
    }
}

impl SlaPolicy {
    pub fn create(input: SlaPolicyInput, now: DateTime<Utc>) -> Result<SlaPolicy, DomainError> {
        let policy = SlaPolicy {
            id: Uuid::now_v7(),
            name: input.name,
            category: input.category,
            unit_code: None,
            area_kind: input.area_kind,
            effective_from: input.effective_from,
            response: input.response,
            resolution: input.resolution,
            calendar_code: input.calendar_code.unwrap_or_else(|| DEFAULT_CALENDAR.into()),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        policy.checked(Some(input.unit_code))
    }

    pub fn patched(&self, patch: SlaPolicyPatch, now: DateTime<Utc>) -> Result<SlaPolicy, DomainError> {
        let mut next = self.clone();
        if let Some(n) = patch.name {
            next.name = n;
        }
        if let Some(c) = patch.category {
            next.category = c;
        }
        if let Some(a) = patch.area_kind {
            next.area_kind = a;
        }
        if let Some(d) = patch.effective_from {
            next.effective_from = d;
        }
        if let Some(r) = patch.response {
            next.response = r;
        }
        if let Some(r) = patch.resolution {
            next.resolution = r;
        }
        if let Some(c) = patch.calendar_code {
            next.calendar_code = c;
        }
        let mut next = next.checked(patch.unit_code)?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// Normalises and validates every field, naming each bad one.
    /// `unit_code`: the unit as typed, or None to keep the policy's.
    fn checked(mut self, unit_code: Option<Option<String>>) -> Result<SlaPolicy, DomainError> {
        let mut v = Validation::new();
        match optional_text(&mut v, "name", Some(&self.name), MAX_NAME) {
            Some(n) => self.name = n,
            None if v.is_empty() => v.add("name", "is required"),
            None => {}
        }
        if let Some(u) = unit_code {
            self.unit_code = codes::optional(&mut v, "unit_code", u.as_deref());
        }
        if let Some(r) = self.response {
            check_target(&mut v, "response", r);
        }
        check_target(&mut v, "resolution", self.resolution);
        if let Some(c) = v.check("calendar_code", check_calendar_code(&self.calendar_code)) {
            self.calendar_code = c;
        }
        v.finish()?;
        Ok(self)
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "name": self.name,
            "category": self.category.as_str(),
            "unit_code": self.unit_code,
            "area_kind": self.area_kind.map(AreaKind::as_str),
            "effective_from": self.effective_from,
            "response": self.response,
            "resolution": self.resolution,
            "calendar_code": self.calendar_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000, 0).unwrap()
    }

    fn input() -> SlaPolicyInput {
        SlaPolicyInput {
            name: " Cấp điện mới — thành thị ".into(),
            category: Category::NewSupply,
            unit_code: Some("pc15".into()),
            area_kind: Some(AreaKind::Urban),
            effective_from: "2026-01-01".parse().unwrap(),
            response: None,
            resolution: Target::WorkingDays(3),
            calendar_code: None,
        }
    }

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn creates_with_defaults_and_normalised_codes() {
        let p = SlaPolicy::create(input(), now()).unwrap();
        assert_eq!(p.name, "Cấp điện mới — thành thị");
        assert_eq!(p.unit_code.as_deref(), Some("PC15"));
        assert_eq!(p.calendar_code, "default");
        assert_eq!(p.audit_view()["resolution"], json!({"working_days": 3}));
        assert_eq!(AreaKind::parse("rural"), Some(AreaKind::Rural));
    }

    #[test]
    fn names_every_bad_field() {
        let bad = SlaPolicyInput {
            name: "  ".into(),
            unit_code: Some("PC 15".into()),
            response: Some(Target::ClockHours(0)),
            resolution: Target::WorkingHours(MAX_TARGET + 1),
            calendar_code: Some("no spaces please".into()),
            ..input()
        };
        assert_eq!(
            fields(SlaPolicy::create(bad, now()).unwrap_err()),
            ["name", "unit_code", "response", "resolution", "calendar_code"]
        );
    }

    #[test]
    fn patch_changes_and_clears() {
        let p = SlaPolicy::create(input(), now()).unwrap();
        let patch = SlaPolicyPatch {
            unit_code: Some(None),
            area_kind: Some(Some(AreaKind::Rural)),
            resolution: Some(Target::WorkingDays(5)),
            ..Default::default()
        };
        let n = p.patched(patch, now()).unwrap();
        assert_eq!((n.unit_code, n.area_kind, n.version), (None, Some(AreaKind::Rural), 2));
        assert_eq!(n.resolution, Target::WorkingDays(5));
        let blank = SlaPolicyPatch {
            name: Some("".into()),
            ..Default::default()
        };
        assert_eq!(fields(p.patched(blank, now()).unwrap_err()), ["name"]);
    }
}
