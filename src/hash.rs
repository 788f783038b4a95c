//! A fast hasher for the lookup tables built once per run (vocabularies,
//! compiled taxonomy terms). Hash maps keyed with it are only ever probed,
//! never iterated into output, so their order cannot reach a deck. The
//! function is the multiply-rotate hash used by rustc (FxHash): weak against
//! chosen collisions, which is fine for tables built from embedded data and
//! the taxonomy file, and several times faster than SipHash on short words.
//! `StrMap` keys short strings inline (`ShortKey`), for the big memo tables
//! of code-span repair; `Shapes` turns most misses away before hashing.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// FxHash over 8-byte words.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// A set of string shapes: the first two bytes (7 bits each) and the length
/// (capped at 63). A string whose shape is absent is not in the set it was
/// built from; a present shape says nothing. A pre-filter for lookup-only
/// sets that most probes miss (Python names, phrase starts).
/// `Shapes::default()` is the set of no strings (and allocates nothing).
#[derive(Debug, Clone, Default)]
pub struct Shapes(Vec<u64>);

impl Shapes {
    fn slot(s: &[u8]) -> (usize, u32) {
        let a = usize::from(s.first().copied().unwrap_or(0) & 0x7f);
        let b = usize::from(s.get(1).copied().unwrap_or(0) & 0x7f);
        (a * 128 + b, s.len().min(63) as u32)
    }

    pub fn new<'a>(items: impl Iterator<Item = &'a str>) -> Self {
        let mut bits = vec![0u64; 128 * 128];
        for s in items {
            let (i, bit) = Self::slot(s.as_bytes());
            if let Some(w) = bits.get_mut(i) {
                *w |= 1 << bit;
            }
        }
        Shapes(bits)
    }

    pub fn may_hold(&self, s: &str) -> bool {
        let (i, bit) = Self::slot(s.as_bytes());
        self.0.get(i).is_some_and(|w| w & (1 << bit) != 0)
    }
}

/// A string of up to `ShortKey::LEN` bytes held in the key itself, padded
/// with `0xFF` (a byte UTF-8 never uses, so two strings share a key only if
/// they are equal). A lookup by such a key neither allocates nor follows a
/// pointer to compare, which matters in the big memo and term tables, whose
/// keys are nearly all short words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortKey(u128);

impl ShortKey {
    pub const LEN: usize = 16;

    /// The key of `s`, if it is short enough.
    pub fn of_str(s: &str) -> Option<ShortKey> {
        Self::of_bytes(s.as_bytes())
    }

    /// The key of `bytes` (UTF-8), if they are short enough.
    pub fn of_bytes(bytes: &[u8]) -> Option<ShortKey> {
        let mut k = [0xFFu8; 16];
        k.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(ShortKey(u128::from_le_bytes(k)))
    }

    /// The key of the text of `chars`, without building it.
    pub fn of_chars(chars: &[char]) -> Option<ShortKey> {
        if chars.len() > Self::LEN {
            return None;
        }
        let mut k = [0xFFu8; 16];
        let mut at = 0;
        for &c in chars {
            let n = c.len_utf8();
            c.encode_utf8(k.get_mut(at..at + n)?);
            at += n;
        }
        Some(ShortKey(u128::from_le_bytes(k)))
    }
}

/// A lookup table keyed by strings: short ones by their `ShortKey`, the
/// rest by their text. Only probed, never iterated into output.
#[derive(Debug, Clone)]
pub struct StrMap<V> {
    short: FastMap<ShortKey, V>,
    long: FastMap<String, V>,
}

impl<V> Default for StrMap<V> {
    fn default() -> Self {
        StrMap {
            short: FastMap::default(),
            long: FastMap::default(),
        }
    }
}

impl<V> StrMap<V> {
    pub fn get(&self, s: &str) -> Option<&V> {
        match ShortKey::of_str(s) {
            Some(k) => self.short.get(&k),
            None => self.long.get(s),
        }
    }

    /// The value of the UTF-8 text `bytes` (which are not checked: bytes
    /// that are not UTF-8 are found under no key of this map).
    pub fn get_bytes(&self, bytes: &[u8]) -> Option<&V> {
        match ShortKey::of_bytes(bytes) {
            Some(k) => self.short.get(&k),
            None => self.long.get(std::str::from_utf8(bytes).ok()?),
        }
    }

    /// The value of the text of `chars` when that text is short; `None`
    /// when it is absent or long (look a long one up by its text).
    pub fn get_short_chars(&self, chars: &[char]) -> Option<&V> {
        self.short.get(&ShortKey::of_chars(chars)?)
    }

    /// The value of the text of `chars`, made by `make` and kept if absent:
    /// one lookup, and no text built unless it is long.
    pub fn get_or_insert_chars(&mut self, chars: &[char], make: impl FnOnce() -> V) -> &mut V {
        match ShortKey::of_chars(chars) {
            Some(k) => self.short.entry(k).or_insert_with(make),
            None => self.long.entry(chars.iter().collect()).or_insert_with(make),
        }
    }

    pub fn insert(&mut self, s: &str, value: V) {
        match ShortKey::of_str(s) {
            Some(k) => self.short.insert(k, value),
            None => self.long.insert(s.to_string(), value),
        };
    }

    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(t: T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(t)
    }

    #[test]
    fn short_keys_tell_every_short_string_apart() {
        let samples = [
            "",
            "a",
            "ab",
            "ab\u{0}",
            "ba",
            "rank_coupon",
            "Message",
            "MessageWebhook",
            "ü",
            "üb",
            "u\u{308}",
            "0123456789abcdef",
            "0123456789abcdeg",
        ];
        let mut seen = std::collections::BTreeMap::new();
        for s in samples {
            let chars: Vec<char> = s.chars().collect();
            let key = ShortKey::of_str(s).expect("16 bytes or fewer");
            // Built from the characters, the key is the text's.
            assert_eq!(ShortKey::of_chars(&chars), Some(key), "{s:?}");
            assert_eq!(seen.insert(key.0, s), None, "{s:?} shares a key");
        }
        assert_eq!(ShortKey::of_str("0123456789abcdefg"), None);
        let long: Vec<char> = "ThreadComment.reconcile".chars().collect();
        assert_eq!(ShortKey::of_chars(&long), None);
        // 16 characters that take more than 16 bytes.
        let wide: Vec<char> = "üüüüüüüüüüüüüüüü".chars().collect();
        assert_eq!((wide.len(), ShortKey::of_chars(&wide)), (16, None));
    }

    #[test]
    fn a_str_map_finds_short_and_long_keys() {
        let mut m: StrMap<usize> = StrMap::default();
        let keys = ["gil", "", "lru_cache", "a_name_longer_than_sixteen", "ü"];
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i);
        }
        assert_eq!(m.len(), keys.len());
        assert!(keys.iter().enumerate().all(|(i, k)| m.get(k) == Some(&i)));
        assert!(keys
            .iter()
            .enumerate()
            .all(|(i, k)| m.get_bytes(k.as_bytes()) == Some(&i)));
        assert_eq!(m.get_bytes(b"gi"), None);
        // Bytes that are not UTF-8 are no key.
        assert_eq!(m.get_bytes(b"a_name_longer_than_sixteen\xFF"), None);
        assert_eq!(m.get("gi"), None);
        assert_eq!(m.get("a_name_longer_than_sixteen!"), None);
        let chars: Vec<char> = "lru_cache".chars().collect();
        assert_eq!(m.get_short_chars(&chars), Some(&2));
        let long: Vec<char> = keys[3].chars().collect();
        assert_eq!(m.get_short_chars(&long), None);
        m.insert("gil", 9);
        assert_eq!((m.get("gil"), m.len()), (Some(&9), keys.len()));
        // Found by its characters, short or long, or made and kept.
        for (k, want) in [
            ("gil", 9),
            (keys[3], 3),
            ("new", 7),
            ("a_new_name_longer_than_sixteen", 8),
        ] {
            let chars: Vec<char> = k.chars().collect();
            assert_eq!(*m.get_or_insert_chars(&chars, || want), want, "{k}");
            assert_eq!(m.get(k), Some(&want), "{k}");
        }
        assert_eq!(m.len(), keys.len() + 2);
        m.clear();
        assert!(m.is_empty() && m.get("gil").is_none());
    }

    #[test]
    fn equal_keys_hash_equal_and_lookups_work() {
        assert_eq!(hash("asyncio"), hash(String::from("asyncio")));
        assert_ne!(hash("asyncio"), hash("asyncio "));
        assert_ne!(hash("ab"), hash("ba"));
        let set: FastSet<&str> = ["lru_cache", "gil", "a", ""].into_iter().collect();
        assert!(set.contains("lru_cache") && set.contains("") && !set.contains("lru"));
        let keys: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        let map: FastMap<&str, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        assert_eq!(map.len(), 1000);
        assert!(keys
            .iter()
            .enumerate()
            .all(|(i, k)| map.get(k.as_str()) == Some(&i)));
    }
}
