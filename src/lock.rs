//! `content/deck.lock`: the identity each card keeps across rebuilds. It maps
//! every card id to its Anki GUID, a hash of its content and the note
//! modification time. Anki updates an imported note only when the incoming
//! mtime is newer, so the mtime moves forward exactly when the content hash
//! changes, and never from the wall clock: a changed or new card gets one
//! second more than the newest mtime in the lock.

use crate::error::{ConfigError, InputError, Pos};
use crate::model::Card;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The mtime of the first build: 2026-01-01T00:00:00Z. Only a starting point;
/// it is never compared with the clock.
pub const BASE_MTIME: i64 = 1_767_225_600;

/// One card's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    pub guid: String,
    pub hash: String,
    pub mtime: i64,
}

/// The whole lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    #[serde(default)]
    pub cards: BTreeMap<String, LockEntry>,
}

/// What a refresh changed, for `--locked` and `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Changed(String),
    Removed(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(id) => write!(f, "new card {id}"),
            Change::Changed(id) => write!(f, "changed card {id}"),
            Change::Removed(id) => write!(f, "removed card {id}"),
        }
    }
}

impl Lock {
    pub fn guid(&self, id: &str) -> Option<&str> {
        self.cards.get(id).map(|e| e.guid.as_str())
    }

    pub fn mtime(&self, id: &str) -> Option<i64> {
        self.cards.get(id).map(|e| e.mtime)
    }

    /// The entry of each id, in the order given. Card ids come out of the
    /// pipeline sorted, as the lock keeps them, so this is one merge pass
    /// instead of a tree search per card (which grew faster than the card
    /// count: cache misses in a 100k-entry tree); an id out of order is
    /// looked up.
    pub fn entries<'a, 'b>(
        &'a self,
        ids: impl IntoIterator<Item = &'b str>,
    ) -> Vec<Option<&'a LockEntry>> {
        let mut sorted = self.cards.iter().peekable();
        ids.into_iter()
            .map(|id| {
                while sorted.next_if(|(k, _)| k.as_str() < id).is_some() {}
                match sorted.next_if(|(k, _)| k.as_str() == id) {
                    Some((_, e)) => Some(e),
                    None => self.cards.get(id),
                }
            })
            .collect()
    }
}

pub fn parse(file: &Path, text: &str) -> Result<Lock, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Lock::default());
    }
    // The lock deckc wrote itself is read without the YAML parser (a fifth
    // of a 100k-card build went there); anything else, hand-edited or not,
    // goes through it.
    let lock: Lock = match canonical(text) {
        Some(lock) => lock,
        None => crate::yaml::parse(file, text)?,
    };
    for (id, e) in &lock.cards {
        if e.guid != guid_for(id) {
            let line = crate::manifest::line_of(text, &format!("{id}:"));
            return Err(InputError::new(
                Pos::new(file, line, 0),
                format!(
                    "card {id}: guid `{}` is not the one derived from its id",
                    e.guid
                ),
            )
            .with_hint("GUIDs are derived from card ids; delete the entry to regenerate it"));
        }
    }
    Ok(lock)
}

/// Reads a lock in exactly the form `to_yaml` writes, or `None`. The
/// result is only accepted when `to_yaml` gives back the very same text, so
/// it is what the YAML parser would have read (`to_yaml` round-trips).
fn canonical(text: &str) -> Option<Lock> {
    fn value<'a>(line: Option<&'a str>, key: &str) -> Option<&'a str> {
        line?
            .strip_prefix("    ")?
            .strip_prefix(key)?
            .strip_prefix(": ")
    }
    fn scalar(v: &str) -> Option<String> {
        if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            return Some(inner.replace("''", "'"));
        }
        if let Some(inner) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            return (!inner.contains('\\')).then(|| inner.to_string());
        }
        Some(v.to_string())
    }
    let mut lines = text.lines().skip_while(|l| l.starts_with('#'));
    if lines.next()? != "cards:" {
        return None;
    }
    let mut cards = BTreeMap::new();
    while let Some(key) = lines.next() {
        let id = key.strip_prefix("  ")?.strip_suffix(':')?;
        if id.starts_with(['\'', '"', ' ']) {
            return None;
        }
        let entry = LockEntry {
            guid: scalar(value(lines.next(), "guid")?)?,
            hash: scalar(value(lines.next(), "hash")?)?,
            mtime: value(lines.next(), "mtime")?.parse().ok()?,
        };
        cards.insert(id.to_string(), entry);
    }
    let lock = Lock { cards };
    (to_yaml(&lock) == text).then_some(lock)
}

/// The comment `to_yaml` starts the lock with.
const HEADER: &str = "# Generated by `deckc build`; commit it. Maps each card id to its Anki GUID,\n\
                      # a hash of its content, and the note mtime, which moves only when the hash does.\n";

/// Serializes the lock (sorted by card id, so diffs stay small): exactly
/// the text `serde_yaml_ng` gives, written directly. The YAML emitter took
/// about 90 ms of a 100k-card build for a file of one fixed shape; each
/// scalar is written plain or single-quoted by the rules the emitter
/// applies (`yaml_scalar`), and a scalar those rules do not settle (one
/// that might read as a number, or holds a space or a non-ASCII character)
/// is written by `serde_yaml_ng` itself.
pub fn to_yaml(lock: &Lock) -> String {
    let mut out = String::with_capacity(HEADER.len() + 8 + lock.cards.len() * 80);
    out.push_str(HEADER);
    // A key the emitter writes as a complex key (`? key`), or text it
    // writes as a block scalar (a line break: indented by its place in
    // the file), sends the whole lock through serde_yaml_ng.
    let multiline = |s: &str| s.contains('\n');
    if lock.cards.is_empty()
        || lock.cards.iter().any(|(k, e)| {
            k.len() > MAX_SIMPLE_KEY || multiline(k) || multiline(&e.guid) || multiline(&e.hash)
        })
    {
        out.push_str(&serde_yaml_ng::to_string(lock).unwrap_or_default());
        return out;
    }
    out.push_str("cards:\n");
    for (id, e) in &lock.cards {
        out.push_str("  ");
        yaml_scalar(&mut out, id);
        out.push_str(":\n    guid: ");
        yaml_scalar(&mut out, &e.guid);
        out.push_str("\n    hash: ");
        yaml_scalar(&mut out, &e.hash);
        let _ = writeln!(out, "\n    mtime: {}", e.mtime);
    }
    out
}

/// Keys longer than this the YAML emitter writes as complex keys (`? key`):
/// such a lock goes through `serde_yaml_ng` whole.
const MAX_SIMPLE_KEY: usize = 128;

/// Appends `s` as `serde_yaml_ng` writes a string in block context. For
/// printable ASCII without spaces: single-quoted when it would otherwise
/// read as null or a boolean, or when the emitter's block indicators forbid
/// it plain (a first character among `#,[]{}&*!|>'"%@` and the backtick, a
/// lone `?`, `:` or `-`, a start of `---` or `...`, a final `:`); plain
/// otherwise. Anything else, or anything that might read as a number, is
/// left to `serde_yaml_ng`.
fn yaml_scalar(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let simple = !b.is_empty() && b.iter().all(|&c| (0x21..0x7f).contains(&c));
    if !simple || might_be_number(s) {
        let text = serde_yaml_ng::to_string(s).unwrap_or_default();
        out.push_str(text.strip_suffix('\n').unwrap_or(&text));
        return;
    }
    let keyword = matches!(
        s,
        "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    );
    let first = b[0];
    let indicator = b"#,[]{}&*!|>'\"%@`".contains(&first)
        || (b.len() == 1 && matches!(first, b'?' | b':' | b'-'))
        || s.starts_with("---")
        || s.starts_with("...")
        || s.ends_with(':');
    if keyword || indicator {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(s);
    }
}

/// Whether `s` might read as an integer (decimal, `0x`, `0o`, `0b`) or a
/// float in YAML: only digits, `.`, `e`, `E` and signs, a radix prefix, or
/// a start of `.` (`.inf`, `.nan`).
fn might_be_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    t.bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        || ["0x", "0o", "0b", "."].iter().any(|p| t.starts_with(p))
}

/// The lock for `cards`, and what changed against `old`.
pub fn refresh(old: &Lock, cards: &[Card]) -> (Lock, Vec<Change>) {
    let next_mtime = old
        .cards
        .values()
        .map(|e| e.mtime)
        .max()
        .unwrap_or(BASE_MTIME - 1)
        .max(BASE_MTIME - 1)
        + 1;
    // Each card's entry on its own (hashing is most of the work): on every
    // core, in order; then the changes in card order.
    let refreshed = crate::par::map(cards.iter().collect(), |card: &Card| {
        let hash = content_hash(card);
        match old.cards.get(&card.id) {
            Some(e) if e.hash == hash => (e.clone(), None),
            found => {
                let entry = LockEntry {
                    guid: guid_for(&card.id),
                    hash,
                    mtime: next_mtime,
                };
                let change = if found.is_some() {
                    Change::Changed(card.id.clone())
                } else {
                    Change::Added(card.id.clone())
                };
                (entry, Some(change))
            }
        }
    });
    let mut changes = Vec::new();
    let mut entries = Vec::with_capacity(cards.len());
    for (card, (entry, change)) in cards.iter().zip(refreshed) {
        changes.extend(change);
        entries.push((card.id.clone(), entry));
    }
    // Built in one pass from the cards (sorted by id, as `assemble` leaves
    // them): inserting one by one cost a search each.
    let new = Lock {
        cards: entries.into_iter().collect(),
    };
    for id in old.cards.keys() {
        if !new.cards.contains_key(id) {
            changes.push(Change::Removed(id.clone()));
        }
    }
    (new, changes)
}

/// A hash of everything the card shows a learner.
pub fn content_hash(card: &Card) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(&card.question);
    field(&card.answer);
    field(card.answer_origin.as_str());
    field(&card.details);
    field(&card.domain);
    field(card.difficulty.as_str());
    for v in &card.variants {
        field(v);
    }
    for t in &card.tags {
        field(t);
    }
    for s in &card.sources {
        field(&s.reference.to_string());
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(24);
    for &b in &digest[..12] {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 15)]));
    }
    hex
}

/// Anki's base91 alphabet, as Anki and genanki use for GUIDs.
const BASE91: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";

/// The GUID for a card id: the first 8 bytes of SHA-256("deckc:" + id), in base91.
pub fn guid_for(id: &str) -> String {
    let digest = Sha256::digest(format!("deckc:{id}").as_bytes());
    let mut n = u64::from_be_bytes(digest[..8].try_into().unwrap_or([0; 8]));
    let mut out = Vec::new();
    while n > 0 {
        out.push(BASE91[(n % 91) as usize]);
        n /= 91;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnswerOrigin, Difficulty};

    /// The lock as `serde_yaml_ng` writes it.
    fn by_serde(lock: &Lock) -> String {
        format!("{HEADER}{}", serde_yaml_ng::to_string(lock).unwrap())
    }

    fn entry(guid: &str, hash: &str) -> LockEntry {
        LockEntry {
            guid: guid.into(),
            hash: hash.into(),
            mtime: BASE_MTIME,
        }
    }

    #[test]
    fn written_directly_the_lock_is_serde_yaml_ngs_text() {
        // The real lock, a 3000-card lock of derived GUIDs and hashes, and
        // scalars chosen to hit every rule: each character of the GUID
        // alphabet first, last and alone, keywords, numbers of every form,
        // and what the rules leave to serde_yaml_ng.
        let real = parse(Path::new("deck.lock"), include_str!("../content/deck.lock")).unwrap();
        assert_eq!(to_yaml(&real), include_str!("../content/deck.lock"));
        let mut locks = vec![real];
        let mut big = Lock::default();
        for n in 0..3000 {
            let id = format!("source-{}#{n}", n % 7);
            let hash = format!("{:x}", Sha256::digest(id.as_bytes()))[..24].to_string();
            big.cards.insert(id.clone(), entry(&guid_for(&id), &hash));
        }
        locks.push(big);
        let mut odd: Vec<String> = Vec::new();
        for &c in BASE91 {
            let c = char::from(c);
            odd.extend([
                format!("{c}"),
                format!("{c}abc"),
                format!("abc{c}"),
                format!("a{c}b"),
            ]);
        }
        odd.extend(
            [
                "null",
                "Null",
                "NULL",
                "~",
                "true",
                "TRUE",
                "False",
                "yes",
                "no",
                "on",
                "off",
                "--- a",
                "---",
                "...",
                "..x",
                "-a",
                "-",
                "?",
                ":",
                "a:",
                ":a",
                "a:b",
                "#a",
                "a#b",
                "12",
                "0123",
                "+12",
                "-12",
                "1.5",
                "1e5",
                "1E5",
                ".5",
                "1.",
                "0x1F",
                "0o17",
                "0b101",
                "0xZZ",
                "-0x1",
                "+-1",
                ".inf",
                "-.inf",
                "+.INF",
                ".NaN",
                ".nan",
                "inf",
                "-inf",
                "nan",
                "infinity",
                "123456789012345678901234",
                "123e4567890123456789012",
                "e123",
                "a b",
                " a",
                "a ",
                "ü",
                "a\tb",
                "it's",
                "'a'",
                "\"a\"",
                "",
            ]
            .map(String::from),
        );
        let mut scalars = Lock::default();
        for (n, s) in odd.iter().enumerate() {
            scalars.cards.insert(format!("k{n:03}"), entry(s, s));
            if !s.is_empty() && s.len() <= MAX_SIMPLE_KEY {
                scalars.cards.insert(s.clone(), entry("g", "h"));
            }
        }
        locks.push(scalars);
        let mut long_key = Lock::default();
        long_key.cards.insert("x".repeat(200), entry("g", "h"));
        locks.push(long_key);
        locks.push(Lock::default());
        for lock in &locks {
            let (fast, slow) = (to_yaml(lock), by_serde(lock));
            for (a, b) in fast.lines().zip(slow.lines()) {
                assert_eq!(a, b);
            }
            assert_eq!(fast, slow);
            // And it reads back as the same lock.
            let back: Lock = serde_yaml_ng::from_str(&fast).unwrap();
            assert_eq!(&back, lock);
        }
    }

    #[test]
    fn entries_match_lookups_in_any_order() {
        let lock = parse(Path::new("deck.lock"), include_str!("../content/deck.lock")).unwrap();
        let mut ids: Vec<&str> = lock.cards.keys().map(String::as_str).collect();
        let want = |ids: &[&str]| -> Vec<Option<&LockEntry>> {
            ids.iter().map(|id| lock.cards.get(*id)).collect()
        };
        assert_eq!(lock.entries(ids.iter().copied()), want(&ids));
        // Missing ids, a subset, then every order.
        let mut with_gaps = ids.clone();
        with_gaps.insert(3, "aaa#1");
        with_gaps.insert(10, "study-guide#999");
        with_gaps.push("zzz#1");
        assert_eq!(lock.entries(with_gaps.iter().copied()), want(&with_gaps));
        let subset: Vec<&str> = ids.iter().copied().step_by(7).collect();
        assert_eq!(lock.entries(subset.iter().copied()), want(&subset));
        ids.reverse();
        assert_eq!(lock.entries(ids.iter().copied()), want(&ids));
        ids.sort_by_key(|id| id.len());
        assert_eq!(lock.entries(ids.iter().copied()), want(&ids));
        assert!(lock
            .entries(ids.iter().copied())
            .iter()
            .all(Option::is_some));
    }

    #[test]
    fn the_committed_lock_reads_the_same_without_the_yaml_parser() {
        let text = include_str!("../content/deck.lock");
        let yaml: Lock = crate::yaml::parse(Path::new("deck.lock"), text).unwrap();
        assert!(yaml.cards.len() > 300);
        // Some GUIDs need YAML's quotes.
        assert!(text.lines().any(|l| l.contains("guid: '")));
        assert_eq!(canonical(text), Some(yaml.clone()));
        assert_eq!(parse(Path::new("deck.lock"), text).unwrap(), yaml);
    }

    #[test]
    fn a_lock_not_in_deckcs_own_form_goes_through_the_yaml_parser() {
        let canonical_text = include_str!("../content/deck.lock");
        let want = parse(Path::new("deck.lock"), canonical_text).unwrap();
        // Hand edits that YAML reads the same: other indentation, a
        // comment, keys in another order, flow style.
        let edits = [
            canonical_text
                .replace("\n    guid:", "\n      guid:")
                .replace("\n    hash:", "\n      hash:")
                .replace("\n    mtime:", "\n      mtime:"),
            canonical_text.replacen("cards:\n", "cards:  # all of them\n", 1),
            canonical_text.replacen("cards:\n", "\ncards:\n", 1),
        ];
        for edited in &edits {
            assert_eq!(canonical(edited), None);
            assert_eq!(&parse(Path::new("deck.lock"), edited).unwrap(), &want);
        }
        // A changed value that still looks canonical is read as written.
        let first_mtime = canonical_text.find("mtime: 1767225600").unwrap();
        let mut bumped = canonical_text.to_string();
        bumped.replace_range(first_mtime..first_mtime + 17, "mtime: 1767225601");
        let lock = canonical(&bumped).unwrap();
        assert_eq!(
            lock.cards.values().map(|e| e.mtime).max(),
            Some(1_767_225_601)
        );
        assert_eq!(
            lock,
            crate::yaml::parse(Path::new("deck.lock"), &bumped).unwrap()
        );
    }

    fn card(id: &str, answer: &str) -> Card {
        Card {
            id: id.into(),
            question: "Q?".into(),
            answer: answer.into(),
            answer_origin: AnswerOrigin::Guide,
            details: String::new(),
            variants: vec![],
            domain: "core-language".into(),
            domain_basis: "x".into(),
            difficulty: Difficulty::Easy,
            difficulty_basis: "x".into(),
            tags: vec![],
            merge: None,
            sources: vec![],
        }
    }

    #[test]
    fn guid_is_stable_and_from_the_id_only() {
        assert_eq!(guid_for("top-200#54"), guid_for("top-200#54"));
        assert_ne!(guid_for("top-200#54"), guid_for("top-200#55"));
        assert!(guid_for("x").len() >= 8);
    }

    #[test]
    fn mtime_moves_only_for_changed_cards() {
        let (l1, c1) = refresh(&Lock::default(), &[card("a", "1"), card("b", "2")]);
        assert_eq!(c1.len(), 2);
        assert_eq!(l1.mtime("a"), Some(BASE_MTIME));
        let (l2, c2) = refresh(&l1, &[card("a", "1"), card("b", "2")]);
        assert!(c2.is_empty());
        assert_eq!(l1, l2);
        let (l3, c3) = refresh(&l2, &[card("a", "1"), card("b", "changed")]);
        assert_eq!(c3, vec![Change::Changed("b".into())]);
        assert_eq!(l3.mtime("a"), Some(BASE_MTIME));
        assert_eq!(l3.mtime("b"), Some(BASE_MTIME + 1));
        let (_, c4) = refresh(&l3, &[card("a", "1")]);
        assert_eq!(c4, vec![Change::Removed("b".into())]);
    }

    #[test]
    fn lock_round_trips_and_rejects_forged_guids() {
        let (l, _) = refresh(&Lock::default(), &[card("top-200#1", "x")]);
        let text = to_yaml(&l);
        assert_eq!(parse(Path::new("deck.lock"), &text).unwrap(), l);
        let forged = text.replace(&guid_for("top-200#1"), "abcdefgh");
        let e = parse(Path::new("deck.lock"), &forged).unwrap_err();
        assert!(e.message.contains("guid"), "{e}");
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes the lock loader panic, and every error
    //! points inside the text.
    use super::*;
    use crate::sources::proptest_support::{check_error, config, mutated, token_soup};
    use proptest::prelude::*;

    /// A well-formed lock of a few cards, as `to_yaml` writes it.
    fn real() -> String {
        let cards = ["top-200#1", "deep-dive#64", "study-guide#35"]
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                let entry = LockEntry {
                    guid: guid_for(id),
                    hash: format!("{i:064x}"),
                    mtime: BASE_MTIME + i as i64,
                };
                (id.to_string(), entry)
            })
            .collect();
        to_yaml(&Lock { cards })
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let file = Path::new("content/deck.lock");
        match parse(file, text) {
            Ok(lock) => {
                for (id, e) in &lock.cards {
                    prop_assert_eq!(&e.guid, &guid_for(id));
                }
                Ok(())
            }
            Err(e) => check_error(file, text, &e),
        }
    }

    #[test]
    fn the_seed_lock_parses() {
        assert_eq!(parse(Path::new("l"), &real()).unwrap().cards.len(), 3);
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check(&text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check(&text)?;
        }

        #[test]
        fn damaged_lock(text in mutated(real())) {
            check(&text)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// `to_yaml` writes any scalar as `serde_yaml_ng` does: printable
        /// ASCII (the GUID and hash alphabets and more), spaces and a few
        /// other characters, as keys and values.
        #[test]
        fn direct_yaml_is_serde_yaml_ngs(
            key in "[ -~]{1,10}|[0-9a-f.eE+-]{1,6}",
            value in "[ -~]{0,12}|[0-9a-f.eE+-]{1,8}|[a-z \u{e9}\t\n\r]{1,4}",
        ) {
            let mut lock = Lock::default();
            lock.cards.insert(key.clone(), LockEntry { guid: value.clone(), hash: key, mtime: 1 });
            let want = format!("{HEADER}{}", serde_yaml_ng::to_string(&lock).unwrap());
            prop_assert_eq!(to_yaml(&lock), want);
        }
    }
}
