//! What an API key may be limited to: a small fixed list of scopes, each
//! opening a group of routes. A key with no scopes keeps its role's rights;
//! a key with scopes reaches only the routes one of them opens (its role
//! still decides what it may do there).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyScope {
    CallsRead,
    CallsWrite,
    WorkOrdersRead,
    WorkOrdersWrite,
    CustomersRead,
    CustomersWrite,
    IncidentsRead,
    IncidentsWrite,
    ReportsRead,
    Stream,
    Cti,
    Open311,
}

impl KeyScope {
    pub const ALL: [KeyScope; 12] = [
        KeyScope::CallsRead,
        KeyScope::CallsWrite,
        KeyScope::WorkOrdersRead,
        KeyScope::WorkOrdersWrite,
        KeyScope::CustomersRead,
        KeyScope::CustomersWrite,
        KeyScope::IncidentsRead,
        KeyScope::IncidentsWrite,
        KeyScope::ReportsRead,
        KeyScope::Stream,
        KeyScope::Cti,
        KeyScope::Open311,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::CallsRead => "calls:read",
            KeyScope::CallsWrite => "calls:write",
            KeyScope::WorkOrdersRead => "work_orders:read",
            KeyScope::WorkOrdersWrite => "work_orders:write",
            KeyScope::CustomersRead => "customers:read",
            KeyScope::CustomersWrite => "customers:write",
            KeyScope::IncidentsRead => "incidents:read",
            KeyScope::IncidentsWrite => "incidents:write",
            KeyScope::ReportsRead => "reports:read",
            KeyScope::Stream => "stream",
            KeyScope::Cti => "cti",
            KeyScope::Open311 => "open311",
        }
    }

    pub fn parse(raw: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }
}

impl fmt::Display for KeyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key's scopes as given: each known, no repeats (sorted); an empty list
/// is refused (a key that may reach nothing is a mistake). The reason names
/// the first unknown scope.
pub fn check_scopes(raw: &[String]) -> Result<Vec<KeyScope>, String> {
    if raw.is_empty() {
        return Err("must name at least one scope, or be left out for the role's rights".into());
    }
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let s = KeyScope::parse(r).ok_or_else(|| format!("unknown scope {r}"))?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out.sort();
    Ok(out)
}

/// The stored form: the scopes' names, comma-separated.
pub fn join(scopes: &[KeyScope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

/// Back from the stored form; names no longer known are dropped.
pub fn split(stored: &str) -> Vec<KeyScope> {
    stored.split(',').filter_map(KeyScope::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_unknown_ones_are_named() {
        for s in KeyScope::ALL {
            assert_eq!(KeyScope::parse(s.as_str()), Some(s));
        }
        let given = vec!["work_orders:read".to_string(), "cti".into(), "cti".into()];
        let scopes = check_scopes(&given).unwrap();
        assert_eq!(scopes, vec![KeyScope::WorkOrdersRead, KeyScope::Cti]);
        assert_eq!(split(&join(&scopes)), scopes);
        assert_eq!(
            check_scopes(&["calls:delete".into()]),
            Err("unknown scope calls:delete".into())
        );
        assert!(check_scopes(&[]).is_err());
    }
}
