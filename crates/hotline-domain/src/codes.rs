//! The codes that name things across the utility: units (`PC15`), areas
//! (`VN-CM`), field teams (`PC15-T1`) and customers (`PB03020045525`).
//! Each is its own type, checked once where it enters (a request, an
//! import, a PBX event) and trusted from then on, so an area code cannot be
//! passed where a unit code is meant and an unchecked string cannot reach
//! the store.
//!
//! Every code reads as a `&str` (`Deref`), prints as itself and is written
//! to JSON as a plain string.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::Validation;

/// What every code type offers; the validators below are written once over it.
pub trait Code: Sized + Clone + AsRef<str> {
    /// What the code names, for messages (`unit`, `customer`).
    const OF: &'static str;
    /// Checks and normalises what someone typed.
    fn parse(raw: &str) -> Result<Self, String>;
    /// A code read back from storage, where it was checked on the way in.
    fn stored(code: String) -> Self;
    fn as_str(&self) -> &str {
        self.as_ref()
    }
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $of:literal, $rule:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl Code for $name {
            const OF: &'static str = $of;
            fn parse(raw: &str) -> Result<Self, String> {
                $rule(raw).map(Self)
            }
            fn stored(code: String) -> Self {
                Self(code)
            }
        }

        impl $name {
            /// Checks and normalises what someone typed.
            pub fn parse(raw: &str) -> Result<Self, String> {
                <Self as Code>::parse(raw)
            }
            /// A code read back from storage, where it was checked on the way in.
            pub fn stored(code: impl Into<String>) -> Self {
                Self(code.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        /// Tests write codes as literals.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                Self(code.into())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

code_type!(
    /// A unit of the utility (`EVNSPC`, `PC15`, `PC15LL`).
    UnitCode, "unit", crate::customer::check_code
);
code_type!(
    /// An area: province, commune, former district (`VN-CM`, `CM-01`).
    AreaCode, "area", crate::customer::check_code
);
code_type!(
    /// A field team (`PC15-T1`).
    TeamCode, "team", crate::customer::check_code
);
code_type!(
    /// A customer in the billing system (`PB03020045525`).
    CustomerCode, "customer", crate::customer_code::normalize
);

/// The code under `field`: trimmed, empty counts as absent.
pub fn optional<C: Code>(v: &mut Validation, field: &str, raw: Option<&str>) -> Option<C> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    v.check(field, C::parse(raw))
}

/// The code under `field`, which must be given. `None` (with the failure
/// recorded) when it is missing or malformed.
pub fn required<C: Code>(v: &mut Validation, field: &str, raw: Option<&str>) -> Option<C> {
    let code = optional(v, field, raw);
    if code.is_none() && v.errors().iter().all(|e| e.field != field) {
        v.add(field, "is required");
    }
    code
}

/// Every code of a list under `field[i]`, duplicates dropped, order kept.
pub fn list<C: Code + PartialEq>(v: &mut Validation, field: &str, raw: &[String]) -> Vec<C> {
    let mut codes: Vec<C> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        if let Some(c) = required::<C>(v, &format!("{field}[{i}]"), Some(r))
            && !codes.contains(&c)
        {
            codes.push(c);
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_once_and_compare_as_text() {
        let unit = UnitCode::parse(" pc15ll ").unwrap();
        assert_eq!(unit, "PC15LL");
        assert_eq!(unit.to_string(), "PC15LL");
        assert_eq!(serde_json::to_string(&unit).unwrap(), "\"PC15LL\"");
        let customer = CustomerCode::parse("pb0302 0045525").unwrap();
        assert_eq!(customer.as_str(), "PB03020045525");
    }

    #[test]
    fn each_kind_keeps_its_own_rule() {
        // A unit code is not a customer code: too short, no serial.
        assert!(UnitCode::parse("PC15").is_ok());
        assert!(CustomerCode::parse("PC15").is_err());
        assert!(AreaCode::parse("VN CM").is_err());
        assert!(serde_json::from_str::<TeamCode>("\"bad code\"").is_err());
        assert_eq!(serde_json::from_str::<TeamCode>("\"pc15-t1\"").unwrap(), "PC15-T1");
    }

    #[test]
    fn validators_name_the_field() {
        let mut v = Validation::new();
        assert_eq!(optional::<UnitCode>(&mut v, "unit_code", Some("  ")), None);
        assert!(v.is_empty());
        assert_eq!(required::<AreaCode>(&mut v, "area_code", None), None);
        assert_eq!(required::<AreaCode>(&mut v, "parent_code", Some("a b")), None);
        let fields: Vec<_> = v.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["area_code", "parent_code"]);
        let mut v = Validation::new();
        let areas = list::<AreaCode>(&mut v, "area_codes", &["cm-01".into(), "CM-01".into(), "x y".into()]);
        assert_eq!(areas, [AreaCode::stored("CM-01")]);
        assert_eq!(v.errors()[0].field, "area_codes[2]");
    }
}
