//! Rendered answers kept in memory, bounded in entries and in bytes, least recently used out
//! first. A key names the dataset's generation, so a reload never serves a stale answer; old
//! generations' entries simply age out.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;

/// One rendered answer.
#[derive(Debug)]
pub struct Entry {
    pub bytes: Bytes,
    /// A strong validator: the same bytes give the same tag, different bytes a different one.
    pub etag: String,
    pub content_type: &'static str,
    /// A download's file name; None for a page shown in the browser.
    pub file_name: Option<String>,
}

impl Entry {
    pub fn new(bytes: Vec<u8>, content_type: &'static str, file_name: Option<String>) -> Self {
        let etag = etag(&bytes);
        Self {
            bytes: Bytes::from(bytes),
            etag,
            content_type,
            file_name,
        }
    }
}

/// `"…"`: 128 bits of two independent FNV-1a hashes of the bytes.
pub fn etag(bytes: &[u8]) -> String {
    use crate::base::hash::{fnv1a, FNV_OFFSET};
    let a = fnv1a(bytes, FNV_OFFSET);
    let b = fnv1a(bytes, FNV_OFFSET ^ 0x9e37_79b9_7f4a_7c15);
    format!("\"{a:016x}{b:016x}\"")
}

/// A bounded least-recently-used cache.
#[derive(Debug)]
pub struct Cache {
    max_entries: usize,
    max_bytes: usize,
    bytes: usize,
    tick: u64,
    entries: HashMap<String, (Arc<Entry>, u64)>,
}

impl Cache {
    /// A cache of at most `max_entries` answers and `max_bytes` bytes; either 0 turns it off.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            max_entries,
            max_bytes,
            bytes: 0,
            tick: 0,
            entries: HashMap::new(),
        }
    }

    pub fn get(&mut self, key: &str) -> Option<Arc<Entry>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|(e, t)| {
            *t = tick;
            e.clone()
        })
    }

    /// Keeps `entry` unless it alone is larger than the cache; evicts the least recently used
    /// until both bounds hold.
    pub fn insert(&mut self, key: String, entry: Arc<Entry>) {
        let size = entry.bytes.len() + key.len();
        if self.max_entries == 0 || size > self.max_bytes {
            return;
        }
        self.tick += 1;
        if let Some((old, _)) = self.entries.insert(key.clone(), (entry, self.tick)) {
            self.bytes -= old.bytes.len() + key.len();
        }
        self.bytes += size;
        while self.entries.len() > self.max_entries || self.bytes > self.max_bytes {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| k.clone())
                .expect("over a bound means not empty");
            let (e, _) = self.entries.remove(&oldest).expect("present");
            self.bytes -= e.bytes.len() + oldest.len();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes held (answers and keys).
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Arc<Entry> {
        Arc::new(Entry::new(vec![b'x'; n], "text/plain", None))
    }

    #[test]
    fn evicts_the_least_recently_used_within_both_bounds() {
        let mut c = Cache::new(2, 1000);
        c.insert("a".into(), entry(10));
        c.insert("b".into(), entry(10));
        assert!(c.get("a").is_some());
        c.insert("c".into(), entry(10));
        assert!(c.get("b").is_none(), "b was least recently used");
        assert!(c.get("a").is_some() && c.get("c").is_some());
        let mut c = Cache::new(10, 100);
        c.insert("a".into(), entry(60));
        c.insert("b".into(), entry(30));
        c.insert("c".into(), entry(30));
        assert!(c.get("a").is_none());
        assert!(c.bytes() <= 100);
        c.insert("big".into(), entry(500));
        assert!(
            c.get("big").is_none(),
            "larger than the whole cache: not kept"
        );
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn replacing_a_key_keeps_the_byte_count_right() {
        let mut c = Cache::new(10, 1000);
        c.insert("a".into(), entry(100));
        c.insert("a".into(), entry(10));
        assert_eq!(c.bytes(), 11);
        let mut off = Cache::new(0, 0);
        off.insert("a".into(), entry(1));
        assert!(off.is_empty());
    }

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(etag(b"abc"), etag(b"abc"));
        assert_ne!(etag(b"abc"), etag(b"abd"));
        assert_eq!(etag(b"").len(), 34);
    }
}
