//! Service-level policies: response and resolution targets per category,
//! unit and area kind, with effective dates; the working calendars their
//! deadlines are counted in; and the deadlines themselves.
//!
//! - [`policy`]: an [`SlaPolicy`] and its validation;
//! - [`select()`] picks the policy in force for a request, [`deadlines`]
//!   computes its due instants (both pure);
//! - [`StoredCalendar`]: a [`Calendar`] as administrators store it;
//! - [`preview`]: the use case tying them to the stores, which work orders
//!   call to stamp `response_due` and `resolution_due`.

pub mod policy;
pub mod select;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::calendar::Calendar;
use crate::codes;
use crate::{DomainError, Validation};

pub use crate::ports::{CalendarStore, SlaPolicyStore};
pub use policy::{AreaKind, SlaPolicy, SlaPolicyFilter, SlaPolicyInput, SlaPolicyPatch};
pub use select::{Deadlines, deadlines, local_date, select};

/// The calendar policies use unless they name another.
pub const DEFAULT_CALENDAR: &str = "default";

/// A working calendar as stored: the definition, the unit it applies to,
/// and its version for `If-Match`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCalendar {
    /// Stable identity for the audit trail (the code is the key).
    pub id: Uuid,
    /// The definition; its `code` and `name` are the calendar's.
    pub calendar: Calendar,
    /// The unit the calendar applies to; None for a shared one. Not yet
    /// checked against the units.
    pub unit_code: Option<crate::codes::UnitCode>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl StoredCalendar {
    /// A new calendar, validated ([`Calendar::validate`], the code and the
    /// unit code).
    pub fn create(calendar: Calendar, unit_code: Option<String>, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let stored = StoredCalendar {
            id: Uuid::now_v7(),
            calendar,
            unit_code: None,
            updated_at: now,
            version: 1,
        };
        stored.checked(unit_code.as_deref())
    }

    /// This calendar with a new definition, one version later.
    pub fn replaced(
        &self,
        calendar: Calendar,
        unit_code: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let next = StoredCalendar {
            id: self.id,
            calendar,
            unit_code: None,
            updated_at: now.max(self.updated_at),
            version: self.version + 1,
        };
        next.checked(unit_code.as_deref())
    }

    /// Validates the definition and sets the unit from `unit_code` as typed.
    fn checked(mut self, unit_code: Option<&str>) -> Result<Self, DomainError> {
        let mut v = Validation::new();
        if let Err(DomainError::Validation(errors)) = self.calendar.validate() {
            for e in errors {
                v.add(e.field, e.message);
            }
        }
        if !self.calendar.code.trim().is_empty() {
            v.check("code", check_calendar_code(&self.calendar.code));
        }
        self.calendar.name = crate::text::nfc(&self.calendar.name);
        if self.calendar.name.chars().count() > policy::MAX_NAME {
            v.add("name", format!("must be at most {} characters", policy::MAX_NAME));
        }
        self.unit_code = codes::optional(&mut v, "unit_code", unit_code);
        v.finish()?;
        Ok(self)
    }

    pub fn code(&self) -> &str {
        &self.calendar.code
    }

    pub fn audit_view(&self) -> Value {
        let mut definition = serde_json::to_value(&self.calendar).unwrap_or(Value::Null);
        if let Some(obj) = definition.as_object_mut() {
            obj.insert("unit_code".into(), json!(self.unit_code));
        }
        definition
    }
}

/// Calendar codes (`default`, `PC15-office`): 1 to 32 letters, digits,
/// `-`, `_` or `.`, kept as written (they appear in URLs).
pub fn check_calendar_code(raw: &str) -> Result<String, String> {
    let code = raw.trim();
    if code.is_empty() || code.len() > 32 {
        return Err("must be 1 to 32 characters".into());
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err("may contain only letters A–Z, digits, '-', '_' and '.'".into());
    }
    Ok(code.to_string())
}

/// The policy in force for a request and the deadlines it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub policy: SlaPolicy,
    pub deadlines: Deadlines,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_600_000, 0).unwrap()
    }

    #[test]
    fn calendar_codes_keep_their_case() {
        assert_eq!(check_calendar_code(" default "), Ok("default".into()));
        assert!(check_calendar_code("a b").is_err());
        assert!(check_calendar_code(&"x".repeat(33)).is_err());
    }

    #[test]
    fn stored_calendars_are_validated() {
        let mut cal = Calendar::default_vietnam();
        cal.code = "PC15 office".into();
        cal.name = " ".into();
        let Err(DomainError::Validation(errors)) = StoredCalendar::create(cal, Some("pc 15".into()), now()) else {
            panic!("should fail")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "code", "unit_code"]);
        let ok = StoredCalendar::create(Calendar::default_vietnam(), Some("pc15".into()), now()).unwrap();
        assert_eq!((ok.unit_code.as_deref(), ok.version), (Some("PC15"), 1));
        let next = ok.replaced(Calendar::default_vietnam(), None, now()).unwrap();
        assert_eq!((next.id, next.version, next.unit_code.as_deref()), (ok.id, 2, None));
        assert_eq!(next.audit_view()["unit_code"], Value::Null);
    }
}
