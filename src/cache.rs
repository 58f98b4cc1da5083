//! The parsed-schema cache: schemas by id, bounded by an estimate of the bytes they hold.
//!
//! Ids are immutable, so an entry never goes stale; only a hard delete removes one. When the
//! bound is reached, quick_cache's CLOCK-PRO-like policy evicts what is read least, so the ids
//! consumers read all day stay. Reads take a shard's read lock only, keeping the by-id path as
//! fast as the unbounded map it replaces. The type knows nothing of storage: it holds any value
//! that can [`Weigh`] itself, so it can sit under a store or a registry layer alike.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The default bound of `sr serve --cache-bytes`: 256 MiB.
pub const DEFAULT_CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// A value that knows roughly how many bytes of memory it holds.
pub trait Weigh {
    /// The estimate, in bytes; at least 1.
    fn weight(&self) -> u64;
}

/// A schema id within its context: ids are counted per context (see [`crate::context`]).
#[derive(Clone, PartialEq, Eq, Debug)]
struct Key {
    /// `None` for the default context, which nearly every key is in: comparing a key then
    /// reads no string behind a pointer (that read missed the cache on about every lookup,
    /// some 100 ns of a cached read under `wrk`).
    context: Option<Box<str>>,
    id: u32,
}

impl Key {
    fn context(&self) -> &str {
        self.context.as_deref().unwrap_or(crate::context::DEFAULT)
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // The same as `Lookup`'s derived hash, so a lookup needs no allocation.
        self.context().hash(h);
        self.id.hash(h);
    }
}

/// A borrowed [`Key`], for reads.
#[derive(Hash)]
struct Lookup<'a>(&'a str, u32);

impl quick_cache::Equivalent<Key> for Lookup<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        key.id == self.1 && key.context() == self.0
    }
}

#[derive(Clone)]
struct ByWeight;

impl<V: Weigh> quick_cache::Weighter<Key, Arc<V>> for ByWeight {
    fn weight(&self, _: &Key, value: &Arc<V>) -> u64 {
        value.weight().max(1)
    }
}

/// Values by (context, schema id), at most `max_bytes` of them by their [`Weigh`] estimate.
pub struct SchemaCache<V: Weigh> {
    inner: quick_cache::sync::Cache<Key, Arc<V>, ByWeight>,
    max_bytes: u64,
}

impl<V: Weigh> SchemaCache<V> {
    /// An empty cache holding at most `max_bytes`; a value weighing more is not kept.
    pub fn new(max_bytes: u64) -> Self {
        // quick_cache sizes its tables from an item estimate; a schema weighs a few KiB.
        let items = (max_bytes / 4096).clamp(16, 1 << 20) as usize;
        SchemaCache {
            inner: quick_cache::sync::Cache::with_weighter(items, max_bytes.max(1), ByWeight),
            max_bytes,
        }
    }

    /// The value of `id` in `context`, if held.
    pub fn get(&self, context: &str, id: u32) -> Option<Arc<V>> {
        self.inner.get(&Lookup(context, id))
    }

    /// Holds `value` under `id` in `context`, evicting others if the bound needs it.
    pub fn insert(&self, context: &str, id: u32, value: Arc<V>) {
        if value.weight() <= self.max_bytes {
            let key = Key {
                context: (context != crate::context::DEFAULT).then(|| context.into()),
                id,
            };
            self.inner.insert(key, value);
        }
    }

    /// Forgets `id` of `context` (its schema was hard-deleted).
    pub fn remove(&self, context: &str, id: u32) {
        self.inner.remove(&Lookup(context, id));
    }

    /// Forgets everything (a whole dump was imported, or another node's changes are unknown).
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// The estimated bytes held now.
    pub fn weight(&self) -> u64 {
        self.inner.weight()
    }

    /// How many values are held now.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The bound, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Blob(u64);
    impl Weigh for Blob {
        fn weight(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn stays_within_its_bound_and_keeps_what_is_read() {
        let cache = SchemaCache::new(100_000);
        for id in 0..1000 {
            cache.insert(".", id, Arc::new(Blob(1000)));
            // Id 0 is read all along: it must survive the churn.
            assert!(cache.get(".", 0).is_some() || id == 0);
        }
        assert!(cache.weight() <= 100_000, "{}", cache.weight());
        assert!(cache.len() <= 100);
        assert!(cache.get(".", 0).is_some());
        assert!(cache.get(".", 999).is_some());
    }

    #[test]
    fn too_heavy_values_are_not_kept_and_removal_forgets() {
        let cache = SchemaCache::new(10);
        cache.insert(".", 1, Arc::new(Blob(11)));
        assert!(cache.get(".", 1).is_none());
        cache.insert(".", 2, Arc::new(Blob(5)));
        cache.insert(".c", 2, Arc::new(Blob(5)));
        assert!(cache.get(".", 2).is_some());
        cache.remove(".", 2);
        assert!(cache.get(".", 2).is_none() && cache.get(".c", 2).is_some());
        cache.remove(".c", 2);
        assert!(cache.is_empty());
    }

    #[test]
    fn one_id_in_two_contexts_is_two_values() {
        let cache = SchemaCache::new(1000);
        cache.insert(".", 7, Arc::new(Blob(1)));
        assert!(cache.get(".x", 7).is_none());
        cache.insert(".x", 7, Arc::new(Blob(2)));
        cache.insert(".y", 8, Arc::new(Blob(3)));
        assert_eq!(cache.get(".", 7).map(|b| b.0), Some(1));
        assert_eq!(cache.get(".x", 7).map(|b| b.0), Some(2));
        assert!(cache.get(".", 8).is_none() && cache.get(".x", 8).is_none());
        assert_eq!(cache.get(".y", 8).map(|b| b.0), Some(3));
    }
}
