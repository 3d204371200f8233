//! A short memory of whom a credential belongs to, so that a busy client
//! (a PBX posting every call, a wallboard polling) does not cost a database
//! read per request. Only credentials that were found valid are kept, for
//! at most the configured time; revoking a key or changing an account
//! forgets everything at once on the replica that made the change, and the
//! other replicas follow when their entries expire.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hotline_domain::key_scope::KeyScope;
use hotline_domain::principal::Principal;

/// What a checked credential stands for: the principal, the scopes of a
/// key limited to some, and a user's sessions version (what their access
/// tokens must carry).
#[derive(Debug, Clone)]
pub struct Known {
    pub principal: Principal,
    pub scopes: Option<Vec<KeyScope>>,
    pub sessions_version: i64,
}

/// Entries kept at most; a full cache drops its expired entries, then
/// everything if none had expired.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug)]
pub struct PrincipalCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Known, Instant)>>,
}

impl PrincipalCache {
    /// `ttl` zero keeps nothing: every request reads the database.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, credential: &str) -> Option<Known> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(credential)
            .filter(|(_, expires)| *expires > Instant::now())
            .map(|(p, _)| p.clone())
    }

    pub fn put(&self, credential: String, known: &Known) {
        if self.ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, expires)| *expires > now);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(credential, (known.clone(), now + self.ttl));
    }

    /// After a change to any key or account.
    pub fn forget_all(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_domain::principal::PrincipalKind;
    use hotline_domain::role::Role;

    fn someone() -> Known {
        Known {
            scopes: None,
            sessions_version: 0,
            principal: Principal {
                id: uuid::Uuid::nil(),
                name: "pbx".into(),
                role: Role::Integration,
                kind: PrincipalKind::ApiKey,
                unit_code: None,
                team_code: None,
                language: None,
            },
        }
    }

    #[test]
    fn remembers_until_the_time_is_up_or_it_is_told_to_forget() {
        let cache = PrincipalCache::new(Duration::from_millis(200));
        cache.put("k".into(), &someone());
        assert_eq!(cache.get("k").map(|k| k.principal.name), Some("pbx".to_string()));
        assert!(cache.get("other").is_none());
        cache.forget_all();
        assert!(cache.get("k").is_none());
        cache.put("k".into(), &someone());
        std::thread::sleep(Duration::from_millis(250));
        assert!(cache.get("k").is_none(), "an expired entry is not used");
    }

    #[test]
    fn a_zero_lifetime_keeps_nothing() {
        let cache = PrincipalCache::new(Duration::ZERO);
        cache.put("k".into(), &someone());
        assert!(cache.get("k").is_none());
    }

    #[test]
    fn a_full_cache_makes_room() {
        let cache = PrincipalCache::new(Duration::from_secs(60));
        for i in 0..MAX_ENTRIES + 5 {
            cache.put(format!("k{i}"), &someone());
        }
        assert!(cache.get(&format!("k{}", MAX_ENTRIES + 4)).is_some());
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
