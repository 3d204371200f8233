//! Field teams: a unit's crew with service areas, skills (the call
//! categories they handle), a capacity, a contact number and an on-call
//! roster.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::name;
use crate::DomainError;
use crate::call::Category;
use crate::codes::{self, AreaCode, TeamCode, UnitCode};
use crate::phone::PhoneNumber;
use crate::validation::{Validation, present};

pub const MAX_AREAS: usize = 500;
pub const MAX_SHIFTS: usize = 2000;
pub const MAX_CAPACITY: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: Uuid,
    pub code: TeamCode,
    pub name: String,
    pub unit_code: UnitCode,
    /// The areas it serves; each covers its subtree.
    pub area_codes: Vec<AreaCode>,
    pub skills: Vec<Category>,
    /// Open work orders it takes at once.
    pub capacity: u32,
    /// E.164.
    pub contact_number: Option<PhoneNumber>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// One on-call shift, `[starts_at, ends_at)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct TeamInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub unit_code: Option<String>,
    pub area_codes: Vec<String>,
    pub skills: Vec<Category>,
    pub capacity: Option<u32>,
    pub contact_number: Option<String>,
}

/// Changes to a team; absent fields are kept.
#[derive(Debug, Clone, Default)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub unit_code: Option<String>,
    pub area_codes: Option<Vec<String>>,
    pub skills: Option<Vec<Category>>,
    pub capacity: Option<u32>,
    pub contact_number: Option<Option<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    /// Teams of the unit at this path or below.
    pub unit_within: Option<String>,
    /// Teams serving exactly this area.
    pub area: Option<String>,
    pub skill: Option<Category>,
}

fn area_codes(v: &mut Validation, raw: &[String]) -> Vec<AreaCode> {
    if raw.len() > MAX_AREAS {
        v.add("area_codes", format!("at most {MAX_AREAS} areas"));
        return Vec::new();
    }
    codes::list(v, "area_codes", raw)
}

fn skills(raw: &[Category]) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for s in raw {
        if !out.contains(s) {
            out.push(*s);
        }
    }
    out
}

fn capacity(v: &mut Validation, raw: u32) -> u32 {
    if raw == 0 || raw > MAX_CAPACITY {
        v.add("capacity", format!("must be 1 to {MAX_CAPACITY}"));
    }
    raw
}

fn contact(v: &mut Validation, raw: Option<&str>) -> Option<PhoneNumber> {
    match PhoneNumber::parse(raw?) {
        Ok(n) => n,
        Err(e) => {
            v.add("contact_number", e.to_string());
            None
        }
    }
}

impl Team {
    pub fn create(input: TeamInput, now: DateTime<Utc>) -> Result<Team, DomainError> {
        let mut v = Validation::new();
        let code = codes::required(&mut v, "code", input.code.as_deref());
        let name = name(&mut v, input.name.as_deref());
        let unit_code = codes::required(&mut v, "unit_code", input.unit_code.as_deref());
        let area_codes = area_codes(&mut v, &input.area_codes);
        let capacity = capacity(&mut v, input.capacity.unwrap_or(1));
        let contact_number = contact(&mut v, input.contact_number.as_deref());
        v.finish()?;
        Ok(Team {
            id: Uuid::now_v7(),
            code: present(code, "code")?,
            name,
            unit_code: present(unit_code, "unit_code")?,
            area_codes,
            skills: skills(&input.skills),
            capacity,
            contact_number,
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    pub fn patched(&self, patch: TeamPatch, now: DateTime<Utc>) -> Result<Team, DomainError> {
        let mut v = Validation::new();
        let mut next = self.clone();
        if let Some(n) = patch.name {
            next.name = name(&mut v, Some(&n));
        }
        if let Some(u) = patch.unit_code
            && let Some(u) = codes::required(&mut v, "unit_code", Some(&u))
        {
            next.unit_code = u;
        }
        if let Some(a) = patch.area_codes {
            next.area_codes = area_codes(&mut v, &a);
        }
        if let Some(s) = patch.skills {
            next.skills = skills(&s);
        }
        if let Some(c) = patch.capacity {
            next.capacity = capacity(&mut v, c);
        }
        if let Some(c) = patch.contact_number {
            next.contact_number = contact(&mut v, c.as_deref());
        }
        v.finish()?;
        next.updated_at = now.max(self.updated_at);
        next.version += 1;
        Ok(next)
    }

    /// Whether the roster has the team on call at `at`.
    pub fn on_shift(shifts: &[Shift], at: DateTime<Utc>) -> bool {
        shifts.iter().any(|s| s.covers(at))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "code": self.code, "name": self.name, "unit_code": self.unit_code, "area_codes": self.area_codes,
            "skills": self.skills.iter().map(|s| s.as_str()).collect::<Vec<_>>(), "capacity": self.capacity,
            "contact_number": self.contact_number.as_ref().map(PhoneNumber::as_str),
        })
    }

    /// As the routing engine sees it; `open_count` and `on_shift` are filled in by the caller.
    pub fn for_routing(&self, on_shift: bool) -> crate::work_order::Team {
        crate::work_order::Team {
            code: self.code.clone(),
            unit_code: self.unit_code.clone(),
            area_codes: self.area_codes.clone(),
            skills: self.skills.clone(),
            capacity: self.capacity,
            // Work orders do not exist yet; whoever adds them counts the
            // team's open ones here.
            open_count: 0,
            on_shift,
        }
    }
}

impl Shift {
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }

    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.starts_at < to && from < self.ends_at
    }
}

/// Checks a roster: each shift ends after it starts; sorted by start.
pub fn check_roster(raw: &[Shift]) -> Result<Vec<Shift>, DomainError> {
    let mut v = Validation::new();
    if raw.len() > MAX_SHIFTS {
        v.add("shifts", format!("at most {MAX_SHIFTS} shifts"));
    }
    for (i, s) in raw.iter().enumerate() {
        if s.ends_at <= s.starts_at {
            v.add(format!("shifts[{i}].ends_at"), "must be after starts_at");
        }
    }
    v.finish()?;
    let mut out = raw.to_vec();
    out.sort_by_key(|s| (s.starts_at, s.ends_at));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000 + h * 3600, 0).unwrap()
    }

    #[test]
    fn org_team_on_shift_is_half_open() {
        let roster = [
            Shift {
                starts_at: t(0),
                ends_at: t(8),
            },
            Shift {
                starts_at: t(24),
                ends_at: t(32),
            },
        ];
        assert!(Team::on_shift(&roster, t(0)));
        assert!(Team::on_shift(&roster, t(7)));
        assert!(!Team::on_shift(&roster, t(8)), "ends are exclusive");
        assert!(!Team::on_shift(&roster, t(12)));
        assert!(Team::on_shift(&roster, t(25)));
        assert!(!Team::on_shift(&[], t(1)));
        assert!(roster[0].overlaps(t(7), t(9)) && !roster[0].overlaps(t(8), t(9)));
    }

    #[test]
    fn org_roster_checks_order_and_sorts() {
        let bad = [Shift {
            starts_at: t(2),
            ends_at: t(2),
        }];
        let DomainError::Validation(f) = check_roster(&bad).unwrap_err() else {
            panic!()
        };
        assert_eq!(f[0].field, "shifts[0].ends_at");
        let sorted = check_roster(&[
            Shift {
                starts_at: t(5),
                ends_at: t(6),
            },
            Shift {
                starts_at: t(1),
                ends_at: t(2),
            },
        ])
        .unwrap();
        assert_eq!(sorted[0].starts_at, t(1));
    }

    #[test]
    fn org_team_normalises_contact_and_lists() {
        let team = Team::create(
            TeamInput {
                code: Some("pc15ll01".into()),
                name: Some("Tổ 1".into()),
                unit_code: Some("pc15ll".into()),
                area_codes: vec!["cm".into(), "CM".into()],
                skills: vec![Category::Outage, Category::Outage, Category::Metering],
                capacity: Some(5),
                contact_number: Some("0912 345 678".into()),
            },
            t(0),
        )
        .unwrap();
        assert_eq!(team.area_codes, ["CM"]);
        assert_eq!(team.skills, [Category::Outage, Category::Metering]);
        assert_eq!(
            team.contact_number.as_ref().map(PhoneNumber::as_str),
            Some("+84912345678")
        );
        let r = team.for_routing(true);
        assert_eq!((r.open_count, r.on_shift, r.capacity), (0, true, 5));
        let bad = Team::create(
            TeamInput {
                capacity: Some(0),
                contact_number: Some("not a phone".into()),
                ..Default::default()
            },
            t(0),
        )
        .unwrap_err();
        let DomainError::Validation(f) = bad else { panic!() };
        let fields: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "unit_code", "capacity", "contact_number"]);
    }
}
