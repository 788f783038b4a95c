//! Term matching for classification rules: folds text to a comparable form
//! and finds whole-word terms, phrases, prefix terms (`decorat*`) and terms
//! anchored at the start of the text (`^what is`). Small and explainable on
//! purpose: a reviewer can predict every match from the taxonomy file.
//! `TermSet` compiles all of a taxonomy's terms once, so that one pass over a
//! text's words finds every term it contains (what `Term::matches` would say
//! term by term, without a substring search per term).

use crate::hash::{FastMap, Shapes};
use std::collections::BTreeMap;

/// Text prepared for matching: lowercased, dashes and quotes folded to ASCII,
/// runs of whitespace collapsed to one space, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded(String);

impl Folded {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Folded(fold_ascii(text.as_bytes()));
        }
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            let c = match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if c == ' ' {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            if c.is_ascii() {
                // What `to_lowercase` gives for ASCII, without its iterator.
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        Folded(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `Folded::new` for ASCII text (most of it), byte by byte: the same
/// whitespace (`char::is_whitespace` in ASCII: tab, LF, VT, FF, CR, space)
/// and the same lowercasing.
fn fold_ascii(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut space = false;
    for &b in text {
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    // ASCII in, ASCII out.
    String::from_utf8(out).unwrap_or_default()
}

/// One term of a rule, as written in the taxonomy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written (shown in bases).
    pub text: String,
    /// Folded body, without `^` or `*`.
    body: String,
    /// `^term`: only at the start of the text.
    anchored: bool,
    /// `term*`: any word continuing the term.
    prefix: bool,
}

impl Term {
    /// Parses a term; `None` if nothing is left to match.
    pub fn parse(text: &str) -> Option<Term> {
        let t = text.trim();
        let (anchored, t) = match t.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (prefix, t) = match t.strip_suffix('*') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let body = Folded::new(t).0;
        if body.is_empty() {
            return None;
        }
        Some(Term {
            text: text.trim().to_string(),
            body,
            anchored,
            prefix,
        })
    }

    /// Whether the term occurs in `text` on word boundaries.
    pub fn matches(&self, text: &Folded) -> bool {
        let hay = text.as_str();
        if self.anchored {
            return hay.starts_with(&self.body)
                && (self.prefix || self.end_ok(hay, self.body.len()));
        }
        let mut from = 0;
        while let Some(i) = hay.get(from..).and_then(|h| h.find(&self.body)) {
            let start = from + i;
            let end = start + self.body.len();
            if self.start_ok(hay, start) && (self.prefix || self.end_ok(hay, end)) {
                return true;
            }
            // Step past the first character of this occurrence.
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// A term that begins with a word character must not continue a word.
    fn start_ok(&self, hay: &str, start: usize) -> bool {
        let first_is_word = self.body.chars().next().is_some_and(is_word);
        !first_is_word || !hay[..start].chars().next_back().is_some_and(is_word)
    }

    /// A term that ends with a word character must not run into a longer word.
    fn end_ok(&self, hay: &str, end: usize) -> bool {
        let last_is_word = self.body.chars().next_back().is_some_and(is_word);
        !last_is_word || !hay[end..].chars().next().is_some_and(is_word)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Terms compiled for one-pass matching. A term whose body starts with a
/// word character can only match where a word of the text starts (its first
/// character must not continue a word), and that word must be exactly the
/// body's leading word, or start with it when the body is one prefix word
/// (`decorat*`). So each word of the text is looked up once, and only the
/// terms led by it are checked in place.
pub struct TermSet<'a> {
    terms: Vec<&'a Term>,
    /// Leading word → terms (all but one-word prefix terms).
    by_lead: FastMap<&'a str, Vec<usize>>,
    /// The shapes of the `by_lead` words: most words of a text lead no
    /// term, and are turned away before hashing.
    lead_shapes: Shapes,
    /// One-word prefix terms, by first character.
    prefixes: BTreeMap<char, Vec<usize>>,
    /// Anchored terms (`^term`), found with `Term::matches`.
    scanned: Vec<usize>,
    /// The other terms whose body starts with a symbol (`.pyc`, `@wraps`),
    /// found in one pass over the text, every occurrence, then checked at
    /// its place as `Term::matches` would.
    symbols: Option<(aho_corasick::AhoCorasick, Vec<usize>)>,
}

impl<'a> TermSet<'a> {
    /// Compiles `terms`; their indices in this order index `find`'s answer.
    pub fn new(terms: impl IntoIterator<Item = &'a Term>) -> Self {
        let mut set = TermSet {
            terms: Vec::new(),
            by_lead: FastMap::default(),
            lead_shapes: Shapes::default(),
            prefixes: BTreeMap::new(),
            scanned: Vec::new(),
            symbols: None,
        };
        let mut symbols: Vec<usize> = Vec::new();
        for (id, term) in terms.into_iter().enumerate() {
            let body = term.body.as_str();
            let lead_len = body
                .char_indices()
                .find(|&(_, c)| !is_word(c))
                .map_or(body.len(), |(i, _)| i);
            if term.anchored {
                set.scanned.push(id);
            } else if lead_len == 0 {
                symbols.push(id);
            } else if term.prefix && lead_len == body.len() {
                if let Some(first) = body.chars().next() {
                    set.prefixes.entry(first).or_default().push(id);
                }
            } else {
                set.by_lead.entry(&body[..lead_len]).or_default().push(id);
            }
            set.terms.push(term);
        }
        set.lead_shapes = Shapes::new(set.by_lead.keys().copied());
        let bodies: Vec<&str> = symbols
            .iter()
            .filter_map(|&id| set.terms.get(id).map(|t| t.body.as_str()))
            .collect();
        // Building fails only past the automaton's size limits, far beyond
        // a taxonomy's terms; then every symbol term is scanned on its own.
        match aho_corasick::AhoCorasick::new(&bodies) {
            Ok(ac) if !bodies.is_empty() => set.symbols = Some((ac, symbols)),
            _ => set.scanned.extend(symbols),
        }
        set
    }

    /// Which terms occur in `text`, by index.
    pub fn find(&self, text: &Folded) -> Vec<bool> {
        let hay = text.as_str();
        let mut found = vec![false; self.terms.len()];
        for &id in &self.scanned {
            if let Some(term) = self.terms.get(id) {
                found[id] = term.matches(text);
            }
        }
        if let Some((ac, ids)) = &self.symbols {
            for m in ac.find_overlapping_iter(hay) {
                let Some(&id) = ids.get(m.pattern().as_usize()) else {
                    continue;
                };
                if let (Some(term), false) = (self.terms.get(id), found[id]) {
                    found[id] =
                        term.start_ok(hay, m.start()) && (term.prefix || term.end_ok(hay, m.end()));
                }
            }
        }
        let mut run_start: Option<usize> = None;
        let check = |start: usize, end: usize, found: &mut [bool]| {
            let word = &hay[start..end];
            let led = if self.lead_shapes.may_hold(word) {
                self.by_lead.get(word)
            } else {
                None
            };
            if let Some(ids) = led {
                for &id in ids {
                    let Some(term) = self.terms.get(id) else {
                        continue;
                    };
                    let body_end = start + term.body.len();
                    if hay[start..].starts_with(term.body.as_str())
                        && (term.prefix || term.end_ok(hay, body_end))
                    {
                        found[id] = true;
                    }
                }
            }
            let first = word.chars().next();
            if let Some(ids) = first.and_then(|c| self.prefixes.get(&c)) {
                for &id in ids {
                    if let Some(term) = self.terms.get(id) {
                        if word.starts_with(term.body.as_str()) {
                            found[id] = true;
                        }
                    }
                }
            }
        };
        // The runs of word characters, by bytes: an ASCII byte is its own
        // character, and only other characters are decoded.
        let bytes = hay.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let (word, len) = if b.is_ascii() {
                (b.is_ascii_alphanumeric() || b == b'_', 1)
            } else {
                let c = hay[i..].chars().next().unwrap_or(' ');
                (is_word(c), c.len_utf8())
            };
            match (word, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    check(s, i, &mut found);
                    run_start = None;
                }
                _ => {}
            }
            i += len;
        }
        if let Some(s) = run_start {
            check(s, hay.len(), &mut found);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_lowercases_as_unicode_does() {
        let ascii: String = (b' '..=b'~').map(char::from).collect();
        let text = format!("{ascii} ÀÉÎ İstanbul ΣΑΣ Straße ǅ");
        let want: String = text.chars().flat_map(char::to_lowercase).collect();
        assert_eq!(Folded::new(&text).as_str(), want.replace("  ", " ").trim());
    }

    /// The ASCII path folds every ASCII text exactly as the general one.
    #[test]
    fn ascii_folding_matches_the_general_path() {
        let all: String = (0u8..=127).map(char::from).collect();
        let texts = [
            all.clone(),
            format!("  {all}\t\n  x  "),
            "What IS the\u{0B}GIL?\r\n\x0C(and   Why)".to_string(),
            String::new(),
            "   ".to_string(),
        ];
        for t in &texts {
            // The general path, on the same text with one non-ASCII char
            // appended and then removed from the result.
            let general = Folded::new(&format!("{t}é"));
            let want = general.as_str().strip_suffix('é').unwrap_or_default();
            let want = want.strip_suffix(' ').unwrap_or(want);
            assert_eq!(Folded::new(t).as_str(), want, "{t:?}");
        }
    }

    fn m(term: &str, text: &str) -> bool {
        Term::parse(term).unwrap().matches(&Folded::new(text))
    }

    #[test]
    fn whole_words_only() {
        assert!(m("is", "What is the GIL?"));
        assert!(!m("is", "This list"));
        assert!(m("gil", "The GIL-free future"));
        assert!(!m("cache", "functools.lru_cache"));
        assert!(m("lru_cache", "functools.lru_cache"));
    }

    #[test]
    fn phrases_fold_case_space_and_dashes() {
        assert!(m("event loop", "How does the asyncio   Event\nLoop work?"));
        assert!(m("pip-tools", "venv, pip\u{2011}tools and poetry"));
        assert!(m("python's", "Python\u{2019}s key features"));
    }

    #[test]
    fn symbols_need_no_boundary() {
        assert!(m("__init__", "`__init__` vs `__new__`"));
        assert!(m("==", "difference between == and is"));
        assert!(m("*args", "How do *args and **kwargs work?"));
        assert!(!m("__init__.py", "`__init__` vs `__new__`"));
    }

    #[test]
    fn prefix_and_anchor() {
        assert!(m("decorat*", "Explain decorator order"));
        assert!(!m("decorat*", "Explain ordering"));
        assert!(m("^what is", "What is a wheel file?"));
        assert!(!m("^what is", "So what is a wheel file?"));
        assert!(!m("^what is", "What isolation level?"));
        assert!(m("^what is*", "What isolation level?"));
    }

    /// The compiled set agrees with `Term::matches` term by term.
    fn agrees(terms: &[&str], text: &str) {
        let parsed: Vec<Term> = terms.iter().filter_map(|t| Term::parse(t)).collect();
        let set = TermSet::new(&parsed);
        let folded = Folded::new(text);
        let want: Vec<bool> = parsed.iter().map(|t| t.matches(&folded)).collect();
        assert_eq!(set.find(&folded), want, "terms {terms:?} in {text:?}");
    }

    const TERMS: &[&str] = &[
        "is",
        "gil",
        "cache",
        "lru_cache",
        "event loop",
        "pip-tools",
        "python's",
        "__init__",
        "==",
        "*args",
        "__init__.py",
        "decorat*",
        "^what is",
        "^what is*",
        "c++",
        "sys.path",
        "chained comparison*",
        "a",
        "é*",
        "naïve",
        ".pyc",
        "is vs ==",
        "x",
    ];

    #[test]
    fn term_set_agrees_with_term_matches() {
        for text in [
            "What is the GIL?",
            "This list",
            "The GIL-free future and functools.lru_cache",
            "How does the asyncio   Event\nLoop work? pip\u{2011}tools",
            "`__init__` vs `__new__`, *args and **kwargs, == and is, is vs ==",
            "Explain decorators; chained comparisons; C++ and sys.paths vs sys.path",
            "Éléphant naïve naïveté .pyc file",
            "",
            "a",
            "__init__.py",
            "what isolation",
        ] {
            agrees(TERMS, text);
        }
    }

    proptest::proptest! {
        #[test]
        fn term_set_agrees_on_any_text(text in "[a-cA-C_ .=*+'é\u{2019}-]{0,40}") {
            agrees(&["a", "ab", "b c", "a_b", "a*", "ab*", "^a", "_", "a.b", "c'", "é", "b-a*", "=", "*a"], &text);
        }
    }

    #[test]
    fn empty_terms_are_rejected() {
        assert!(Term::parse("  ").is_none());
        assert!(Term::parse("^*").is_none());
    }
}
