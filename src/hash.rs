//! A fast hasher for the lookup tables built once per run (vocabularies,
//! compiled taxonomy terms). Hash maps keyed with it are only ever probed,
//! never iterated into output, so their order cannot reach a deck. The
//! function is the multiply-rotate hash used by rustc (FxHash): weak against
//! chosen collisions, which is fine for tables built from embedded data and
//! the taxonomy file, and several times faster than SipHash on short words.

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(t: T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(t)
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
