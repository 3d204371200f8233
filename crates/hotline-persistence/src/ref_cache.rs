//! Reference data kept in memory for a few seconds: the areas every new
//! work order and screen-pop looks up (its unit, its ancestors; read five
//! times per work order before), the calendars and SLA policies its
//! deadlines come from and the routing rules. Their changes are rare (an
//! admin's edit or a tree import): this replica forgets what it holds of a
//! kind as soon as it writes one; another replica's change is seen here
//! within the time to live (`HOTLINE_REFERENCE_CACHE_SECS`, 0: no cache).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hotline_domain::org::Area;
use hotline_domain::ports::RoutingRuleSet;
use hotline_domain::ports::StoreResult;
use hotline_domain::sla::{SlaPolicy, StoredCalendar};

/// Entries kept at most; past it the map starts again empty.
const MAX_ENTRIES: usize = 50_000;

struct Entries<V> {
    /// Moves on with every change: a read that began before it does not
    /// keep what it read.
    generation: u64,
    map: HashMap<String, (Instant, V)>,
}

pub(crate) struct TtlMap<V> {
    ttl: Duration,
    entries: Mutex<Entries<V>>,
}

impl<V> std::fmt::Debug for TtlMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TtlMap").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl<V: Clone> TtlMap<V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(Entries {
                generation: 0,
                map: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<V>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `key`'s value while it is fresh, else what `load` reads (kept).
    pub(crate) async fn get_or_load<F, Fut>(&self, key: &str, load: F) -> StoreResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = StoreResult<V>>,
    {
        if self.ttl.is_zero() {
            return load().await;
        }
        let generation = {
            let e = self.lock();
            if let Some((at, v)) = e.map.get(key)
                && at.elapsed() < self.ttl
            {
                return Ok(v.clone());
            }
            e.generation
        };
        let value = load().await?;
        let mut e = self.lock();
        if e.generation == generation {
            if e.map.len() >= MAX_ENTRIES {
                e.map.clear();
            }
            e.map.insert(key.to_string(), (Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// Forgets everything (after a change here).
    pub(crate) fn clear(&self) {
        let mut e = self.lock();
        e.generation += 1;
        e.map.clear();
    }
}

/// One map per kind of reference data.
#[derive(Debug)]
pub(crate) struct RefCaches {
    pub areas: TtlMap<Option<Area>>,
    pub calendars: TtlMap<Option<StoredCalendar>>,
    /// By the filter asked.
    pub sla_policies: TtlMap<Vec<SlaPolicy>>,
    /// One entry.
    pub routing: TtlMap<RoutingRuleSet>,
}

impl RefCaches {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            areas: TtlMap::new(ttl),
            calendars: TtlMap::new(ttl),
            sla_policies: TtlMap::new(ttl),
            routing: TtlMap::new(ttl),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn fresh_values_are_kept_cleared_ones_and_stale_ones_read_again() {
        let reads = AtomicU32::new(0);
        let load = || async { Ok::<_, hotline_domain::StoreError>(reads.fetch_add(1, Ordering::SeqCst)) };
        let cache = TtlMap::new(Duration::from_millis(200));
        assert_eq!(cache.get_or_load("VN-CM", load).await.unwrap(), 0);
        assert_eq!(cache.get_or_load("VN-CM", load).await.unwrap(), 0, "kept");
        assert_eq!(cache.get_or_load("VN-CT", load).await.unwrap(), 1, "per key");
        cache.clear();
        assert_eq!(
            cache.get_or_load("VN-CM", load).await.unwrap(),
            2,
            "read again after a change"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(
            cache.get_or_load("VN-CM", load).await.unwrap(),
            3,
            "read again once stale"
        );

        let off = TtlMap::new(Duration::ZERO);
        assert_eq!(off.get_or_load("VN-CM", load).await.unwrap(), 4);
        assert_eq!(off.get_or_load("VN-CM", load).await.unwrap(), 5, "no cache");
    }

    #[tokio::test]
    async fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = TtlMap::new(Duration::from_secs(60));
        let value = cache
            .get_or_load("VN-CM", || async {
                // The change lands while the read is under way.
                cache.clear();
                Ok::<_, hotline_domain::StoreError>("old parent")
            })
            .await
            .unwrap();
        assert_eq!(value, "old parent");
        let again = cache
            .get_or_load("VN-CM", || async { Ok::<_, hotline_domain::StoreError>("new parent") })
            .await
            .unwrap();
        assert_eq!(again, "new parent");
    }
}
