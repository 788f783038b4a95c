//! Key terms of short technical text: the normalization the scorer compares.
//! Lowercases, folds a small synonym table (`Global Interpreter Lock` → `gil`,
//! `match/case` → `matchcase`), keeps Python identifiers whole (`lru_cache`,
//! `__slots__`, `functools.cache` besides its parts, `coverage.py` as
//! `coverage`), names operators (`==` → `op_eq`), drops stopwords and
//! interview filler ("explain", "compare", "how to avoid"), folds plurals,
//! and marks generic head words ("the enum *module*") and dotted names'
//! qualifiers. Also splits a question into its focus and elaboration and
//! tells comparisons from other questions. Pure functions over `&str`.

use std::borrow::Cow;

/// One term and whether it looks like a Python identifier (`lru_cache`,
/// `__init__`, a dotted name's part): identifiers weigh more in questions.
/// A dotted name (`str.join`) is a term besides its parts; `tail` of a
/// dotted name's term gives its last part (`join`). (The scorer reads the
/// same from a `TermList`; this owned form is for tests.)
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub identifier: bool,
    /// A generic word ("module") or a dotted name's qualifier (`functools`
    /// in `functools.cache`): it counts little in a concept.
    pub generic: bool,
}

/// The terms of one text, their texts in one buffer (a text's terms cost
/// no allocation each): what `terms_into` fills, read back with `iter`.
#[derive(Debug, Default)]
pub struct TermList {
    text: String,
    /// Per term: its text's byte range in `text`, `identifier`, `generic`.
    terms: Vec<(usize, usize, bool, bool)>,
    /// `terms_into`'s working buffers: the folded text and its chunks.
    spaced: String,
    chunks: Vec<(usize, usize)>,
}

impl TermList {
    fn push(&mut self, text: &str, identifier: bool, generic: bool) {
        let start = self.text.len();
        self.text.push_str(text);
        self.terms
            .push((start, self.text.len(), identifier, generic));
    }

    fn len(&self) -> usize {
        self.terms.len()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.terms.clear();
    }

    /// Each term in order: (text, identifier, generic).
    pub fn iter(&self) -> impl Iterator<Item = (&str, bool, bool)> + '_ {
        self.terms.iter().map(|&(a, b, identifier, generic)| {
            (self.text.get(a..b).unwrap_or(""), identifier, generic)
        })
    }
}

/// Multi-word phrases (and spellings) folded to one concept token, applied
/// to lowercased text with punctuation spaced out. Order matters: longer and
/// more specific phrases come first (`gil-free` before `gil`).
const PHRASES: &[(&str, &str)] = &[
    ("global interpreter lock", "gil"),
    ("gil-free", "freethreading"),
    ("gil free", "freethreading"),
    ("free-threading", "freethreading"),
    ("free-threaded", "freethreading"),
    ("free threading", "freethreading"),
    ("nogil", "freethreading"),
    ("no-gil", "freethreading"),
    ("method resolution order", "mro"),
    ("abstract base classes", "abc"),
    ("abstract base class", "abc"),
    ("abcs", "abc"),
    ("virtual environments", "venv"),
    ("virtual environment", "venv"),
    ("virtualenv", "venv"),
    ("list comprehensions", "listcomp"),
    ("list comprehension", "listcomp"),
    ("generator expressions", "genexp"),
    ("generator expression", "genexp"),
    ("async context managers", "asyncctxmgr"),
    ("async context manager", "asyncctxmgr"),
    ("asynchronous context managers", "asyncctxmgr"),
    ("asynchronous context manager", "asyncctxmgr"),
    ("context managers", "ctxmgr"),
    ("context manager", "ctxmgr"),
    ("structural pattern matching", "matchcase"),
    ("pattern matching", "matchcase"),
    ("match/case", "matchcase"),
    ("match statement", "matchcase"),
    ("pep 634", "matchcase"),
    ("regular expressions", "regex"),
    ("regular expression", "regex"),
    ("regexp", "regex"),
    ("monkey patching", "monkeypatch"),
    ("monkey-patching", "monkeypatch"),
    ("data classes", "dataclass"),
    ("data class", "dataclass"),
    ("named tuples", "namedtuple"),
    ("named tuple", "namedtuple"),
    ("event loop", "eventloop"),
    ("garbage collection", "gc"),
    ("garbage collector", "gc"),
    ("reference counting", "refcount"),
    ("reference counts", "refcount"),
    ("time zones", "timezone"),
    ("time zone", "timezone"),
    ("timezones", "timezone"),
    ("feature flagging", "featureflag"),
    ("feature flags", "featureflag"),
    ("feature flag", "featureflag"),
    ("duck typing", "ducktyping"),
    ("structural typing", "structuraltyping"),
    ("type hints", "typehint"),
    ("type hinting", "typehint"),
    ("type hint", "typehint"),
    ("type checking", "typecheck"),
    ("async io", "asyncio"),
    ("async/await", "async await"),
    ("lru cache", "lrucache"),
    ("memory views", "memoryview"),
    ("memory view", "memoryview"),
    ("buffer protocol", "memoryview"),
    ("dependency injection", "dependencyinjection"),
    ("task queues", "taskqueue"),
    ("task queue", "taskqueue"),
    ("background processing", "taskqueue"),
    ("background jobs", "taskqueue"),
    ("flaky tests", "flakytest"),
    ("flaky test", "flakytest"),
    ("property-based testing", "propertytesting"),
    ("string concatenation", "concatenation"),
    ("db migrations", "migration"),
    ("schema migrations", "migration"),
    ("single dispatch", "singledispatch"),
    ("thread-safety", "threadsafety"),
    ("thread safety", "threadsafety"),
    ("thread-safe", "threadsafety"),
    ("without leaking", "securely"),
];

/// Single words folded to a canonical spelling after plural folding.
const WORDS: &[(&str, &str)] = &[
    ("threading", "thread"),
    ("multithreading", "thread"),
    ("multithreaded", "thread"),
    ("lambda", "lambda"),
    ("regex", "regex"),
    ("annotation", "typehint"),
    ("linter", "lint"),
    ("linting", "lint"),
    ("formatter", "format"),
    ("formatting", "format"),
    ("mocking", "mock"),
    ("profiling", "profile"),
    ("profiler", "profile"),
    ("cprofile", "profile"),
    ("decorate", "decorator"),
    ("iterable", "iterator"),
    ("singleton", "singleton"),
    ("coroutine", "coroutine"),
    ("deepcopy", "deep"),
    ("copies", "copy"),
    ("serialize", "serialization"),
    ("serializing", "serialization"),
    ("descriptor", "descriptor"),
    ("dictionary", "dict"),
    ("enumeration", "enum"),
    ("pipx", "pipx"),
    ("gotcha", "pitfall"),
    ("trap", "pitfall"),
];

/// Words that carry no concept in an interview question: function words,
/// interview framing ("explain", "in production", "how do you handle") and
/// the stock phrases of headings' taglines ("the silent killer").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "across",
    "actually",
    "advantage",
    "advantages",
    "after",
    "all",
    "alone",
    "also",
    "always",
    "an",
    "analysis",
    "analyze",
    "and",
    "any",
    "approach",
    "are",
    "as",
    "at",
    "automation",
    "avoid",
    "based",
    "basic",
    "basics",
    "be",
    "because",
    "been",
    "before",
    "being",
    "best",
    "better",
    "between",
    "beyond",
    "bites",
    "both",
    "but",
    "by",
    "can",
    "case",
    "characteristic",
    "characteristics",
    "choose",
    "common",
    "compare",
    "compared",
    "considered",
    "contrast",
    "could",
    "create",
    "creating",
    "creation",
    "define",
    "deploy",
    "deployment",
    "deploys",
    "describe",
    "detail",
    "devops",
    "differ",
    "difference",
    "differences",
    "different",
    "discuss",
    "distinguish",
    "do",
    "does",
    "doing",
    "don",
    "done",
    "each",
    "effectively",
    "eg",
    "either",
    "else",
    "ensure",
    "etc",
    "even",
    "every",
    "everyone",
    "everything",
    "exist",
    "exists",
    "explain",
    "famous",
    "for",
    "former",
    "from",
    "get",
    "give",
    "go",
    "good",
    "handle",
    "handling",
    "has",
    "have",
    "heart",
    "help",
    "helps",
    "here",
    "hood",
    "how",
    "i",
    "if",
    "implement",
    "implementing",
    "important",
    "in",
    "integrate",
    "into",
    "is",
    "it",
    "its",
    "just",
    "key",
    "killer",
    "know",
    "latter",
    "level",
    "like",
    "main",
    "make",
    "makes",
    "manage",
    "management",
    "managing",
    "matter",
    "matters",
    "may",
    "mean",
    "means",
    "mechanism",
    "misunderstood",
    "modern",
    "more",
    "most",
    "much",
    "must",
    "need",
    "not",
    "of",
    "often",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "performance-wise",
    "pick",
    "pillar",
    "pillars",
    "practical",
    "practice",
    "prefer",
    "prevent",
    "production",
    "purpose",
    "python",
    "pythonic",
    "real",
    "real-world",
    "really",
    "relate",
    "right",
    "role",
    "s",
    "safely",
    "same",
    "scale",
    "securely",
    "should",
    "silent",
    "simple",
    "simplifies",
    "simplify",
    "so",
    "some",
    "spectrum",
    "stance",
    "strategy",
    "style",
    "such",
    "support",
    "system",
    "systems",
    "t",
    "take",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "this",
    "those",
    "three",
    "through",
    "to",
    "too",
    "two",
    "typical",
    "typically",
    "under",
    "up",
    "us",
    "use",
    "used",
    "useful",
    "uses",
    "using",
    "versus",
    "very",
    "via",
    "view",
    "vs",
    "want",
    "war",
    "was",
    "way",
    "ways",
    "we",
    "well",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won",
    "work",
    "working",
    "workload",
    "workloads",
    "works",
    "would",
    "yes",
    "you",
    "your",
];

/// Terms of `text`, each its own `Term`.
#[cfg(test)]
pub fn terms(text: &str) -> Vec<Term> {
    let mut list = TermList::default();
    terms_into(text, &mut list);
    list.iter()
        .map(|(text, identifier, generic)| Term {
            text: text.to_string(),
            identifier,
            generic,
        })
        .collect()
}

/// The terms of `text`, into `out` (cleared first). `head_only` callers
/// split off taglines themselves.
pub fn terms_into(text: &str, out: &mut TermList) {
    out.clear();
    let tables = tables();
    // The text lowercased with punctuation as spaces (and the spaces left
    // out), and the byte ranges of its chunks, found in the same pass.
    // Sentence-final dots would glue words to nothing useful; dotted names
    // keep theirs. Both buffers are the list's, kept from text to text.
    let mut spaced = std::mem::take(&mut out.spaced);
    let mut chunks = std::mem::take(&mut out.chunks);
    spaced.clear();
    chunks.clear();
    let mut chunk_ends = |start: usize, spaced: &str| {
        let end = spaced.len() - usize::from(spaced[start..].ends_with('.'));
        if end > start {
            chunks.push((start, end));
        }
    };
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = text.as_bytes().get(i) {
        // ASCII (nearly all of it) by table, the rest by `fold_char`.
        let c = if b.is_ascii() {
            i += 1;
            tables.ascii.get(usize::from(b)).copied().flatten()
        } else {
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            fold_char(c)
        };
        match c {
            None => {}
            Some(' ') => {
                chunk_ends(start, &spaced);
                start = spaced.len();
            }
            Some(c) => spaced.push(c),
        }
    }
    chunk_ends(start, &spaced);
    let chunk = |k: usize| chunks.get(k).and_then(|&(a, b)| spaced.get(a..b));
    let mut terms = Terms {
        terms: out,
        after_specific: false,
    };
    let mut i = 0;
    while let Some(chunk_i) = chunk(i) {
        let phrase = tables.phrase_starts.may_hold(chunk_i);
        let phrase = phrase.then(|| tables.phrases.get(chunk_i)).flatten();
        let phrase = phrase.and_then(|list| {
            list.iter().find(|(parts, _)| {
                parts
                    .iter()
                    .enumerate()
                    .all(|(n, &part)| chunk(i + n) == Some(part))
            })
        });
        match phrase {
            Some((parts, canon)) => {
                for c in canon.split(' ') {
                    terms.chunk(c);
                }
                i += parts.len();
            }
            None => {
                terms.chunk(chunk_i);
                i += 1;
            }
        }
    }
    out.spaced = spaced;
    out.chunks = chunks;
}

/// What a character of the text becomes for `terms`: lowercase, a space
/// for punctuation that separates words, nothing for an apostrophe, an
/// ASCII hyphen for the Unicode ones.
fn fold_char(c: char) -> Option<char> {
    let c = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if c.is_lowercase() {
        c
    } else {
        // the rare non-ASCII capital: its first lowercase letter
        c.to_lowercase().next().unwrap_or(c)
    };
    Some(match c {
        '\u{2019}' | '\'' => return None,
        '`' | '*' | '"' | '\u{201c}' | '\u{201d}' | '(' | ')' | '[' | ']' | '{' | '}' | ','
        | ';' | '?' | '!' | ':' | '$' | '^' | '|' | '<' | '>' | '#' | '@' | '&' | '%' | '~' => ' ',
        '\u{2011}' | '\u{2010}' | '\u{2012}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    })
}

/// Terms under construction, chunk by chunk.
struct Terms<'a> {
    terms: &'a mut TermList,
    /// Whether a specific (non-generic) term came before in this phrase.
    after_specific: bool,
}

impl Terms<'_> {
    fn chunk(&mut self, raw: &str) {
        if PREPOSITIONS.contains(&raw) {
            self.after_specific = false;
            return;
        }
        let start = self.terms.len();
        token(raw, self.terms);
        let TermList { text, terms, .. } = &mut *self.terms;
        for (a, b, identifier, generic) in terms.iter_mut().skip(start) {
            if *generic
                && !*identifier
                && !self.after_specific
                && !ALWAYS_GENERIC.contains(&text.get(*a..*b).unwrap_or(""))
            {
                // "module caching", "relate to functions": the word is the subject
                *generic = false;
            }
            self.after_specific |= !*generic;
        }
    }
}

/// Lookup tables keyed with the crate's fast hasher (`crate::hash`); only
/// probed, never iterated into output.
pub use crate::hash::FastMap as FxMap;

/// A phrase's chunks and the concept it folds to.
type Phrase = (Vec<&'static str>, &'static str);

/// What the word lists say of a word.
#[derive(Debug, Clone, Copy)]
enum Lex {
    /// A stopword: no term.
    Stop,
    /// Folded to this spelling (`WORDS`).
    Fold(&'static str),
}

/// The word lists as lookup tables, built once.
struct Tables {
    /// First chunk → the phrases starting with it, in `PHRASES` order.
    phrases: FxMap<&'static str, Vec<Phrase>>,
    /// `STOPWORDS` and `WORDS` in one table, so that a word is looked up
    /// once (a stopword wins over a fold).
    lexicon: FxMap<&'static str, Lex>,
    /// `fold_char` of every ASCII character.
    ascii: [Option<char>; 128],
    /// Which chunks may start a phrase: most chunks start none, and this
    /// turns them away without hashing them.
    phrase_starts: crate::hash::Shapes,
}

fn tables() -> &'static Tables {
    static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut phrases: FxMap<&'static str, Vec<Phrase>> = FxMap::default();
        for &(phrase, canon) in PHRASES {
            let parts: Vec<&'static str> = phrase.split(' ').collect();
            if let Some(&first) = parts.first() {
                phrases.entry(first).or_default().push((parts, canon));
            }
        }
        Tables {
            phrase_starts: crate::hash::Shapes::new(phrases.keys().copied()),
            phrases,
            lexicon: WORDS
                .iter()
                .map(|&(w, to)| (w, Lex::Fold(to)))
                .chain(STOPWORDS.iter().map(|&w| (w, Lex::Stop)))
                .collect(),
            ascii: std::array::from_fn(|b| fold_char(char::from(b as u8))),
        }
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits one whitespace-free chunk into terms.
fn token(raw: &str, out: &mut TermList) {
    let ops: &[(&str, &str)] = &[("==", "op_eq"), ("!=", "op_ne"), ("+=", "op_iadd")];
    for (op, name) in ops {
        if raw == *op {
            out.push(name, true, false);
            return;
        }
    }
    let raw = raw.trim_matches(|c: char| c == '.' || c == '-' || c == '/' || c == '+' || c == '=');
    if raw.is_empty() {
        return;
    }
    // One pass over the bytes instead of one search per separator.
    if raw
        .bytes()
        .any(|b| matches!(b, b'.' | b'/' | b'-' | b'=' | b'+'))
    {
        let dotted = raw.contains('.');
        let parts_ok = raw
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(is_word));
        if dotted && parts_ok {
            if let Some((stem, ext)) = raw.rsplit_once('.') {
                if FILE_EXTENSIONS.contains(&ext) {
                    // `coverage.py`, `pyproject.toml`: the file's name is the concept.
                    for part in stem.split('.') {
                        word(part, true, false, out);
                    }
                    return;
                }
            }
        }
        // A version number (`3.12`) is no name.
        let version = || {
            raw.bytes()
                .filter(|&b| b != b'.')
                .all(|b| b.is_ascii_digit())
        };
        if dotted && parts_ok && !version() {
            // `functools.cache` is a name of its own, besides its parts.
            out.push(raw, true, false);
        }
        let mut parts = raw.split(['.', '/', '-', '=', '+']).peekable();
        while let Some(part) = parts.next() {
            // the qualifiers of a dotted name (`functools` in `functools.cache`)
            let qualifier = dotted && parts.peek().is_some();
            word(part, dotted, qualifier, out);
        }
        return;
    }
    word(raw, false, false, out);
}

/// Extensions of file names (`coverage.py`) rather than attributes.
const FILE_EXTENSIONS: &[&str] = &[
    "cfg", "ini", "json", "lock", "md", "py", "toml", "txt", "yaml", "yml",
];

/// The last part of a dotted name (`join` for `str.join`), if `term` is one.
pub fn tail(term: &str) -> Option<&str> {
    let (_, last) = term.rsplit_once('.')?;
    (!last.is_empty()).then_some(last)
}

fn word(w: &str, dotted: bool, qualifier: bool, out: &mut TermList) {
    let w = w.trim_matches(|c: char| !is_word(c));
    // Fewer than two characters, without counting them all.
    if w.chars().nth(1).is_none() || w.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let identifier = dotted || w.bytes().any(|b| b == b'_');
    let lexicon = &tables().lexicon;
    let said = lexicon.get(w).copied();
    if matches!(said, Some(Lex::Stop)) {
        return;
    }
    let stem = if identifier {
        Cow::Borrowed(w)
    } else {
        singular(w)
    };
    // `singular` changes a word's length whenever it changes the word; a
    // word it left alone was looked up above.
    let said = if stem.len() != w.len() {
        lexicon.get(stem.as_ref()).copied()
    } else {
        said
    };
    let w = match said {
        Some(Lex::Stop) => return,
        Some(Lex::Fold(to)) => to,
        None => stem.as_ref(),
    };
    // One part but for a folded word of two (checked by bytes: a searcher
    // per word cost more than the rest of this function).
    let mut push = |part: &str| out.push(part, identifier, qualifier || is_generic(part));
    if w.bytes().any(|b| b == b' ') {
        w.split(' ').for_each(push);
    } else {
        push(w);
    }
}

/// Folds a plural to its singular for ordinary words.
fn singular(w: &str) -> Cow<'_, str> {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return Cow::Owned(format!("{}y", &w[..n - 3]));
    }
    if n > 5 && w.ends_with("sses") {
        return Cow::Borrowed(&w[..n - 2]);
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return Cow::Borrowed(&w[..n - 1]);
    }
    Cow::Borrowed(w)
}

/// Question text split into its focus (what the question is about) and its
/// elaboration, which weighs less: for a heading like
/// `GIL (Global Interpreter Lock) — The Most Misunderstood Thing` the
/// tagline after the dash; for a question of several sentences ("Analyze the
/// import system's caching. How does `sys.modules` prevent ...?") the
/// sentences after the first.
pub fn split_focus(question: &str) -> (&str, &str) {
    // Both dashes are E2 80 9x in UTF-8: most questions have neither.
    let dashes = [" \u{2014} ", " \u{2013} "];
    let dashes = if question.as_bytes().contains(&0xE2) {
        &dashes[..]
    } else {
        &[]
    };
    for &sep in dashes {
        if let Some((head, tail)) = question.split_once(sep) {
            if !head.trim().is_empty() && !tail.trim().is_empty() {
                return (head, tail);
            }
        }
    }
    let bytes = question.as_bytes();
    for (i, w) in bytes.windows(3).enumerate() {
        if matches!(w[0], b'.' | b'?' | b'!') && w[1] == b' ' && w[2].is_ascii_uppercase() {
            let (head, tail) = (&question[..=i], &question[i + 2..]);
            if head.split_whitespace().count() >= 3 {
                return (head, tail);
            }
        }
    }
    (question, "")
}

/// `split_focus`, with the focus's asides (a parenthesis after a space:
/// "String Concatenation (`+=`)", "list growth (amortized complexity)")
/// moved to the elaboration: they restate or narrow, and weigh less.
pub fn focus_parts(question: &str) -> (String, String) {
    let (head, elaboration) = split_focus(question);
    let mut asides = String::with_capacity(elaboration.len() + 1);
    if !head.contains('(') {
        // No aside (most questions): the head is the focus.
        asides.push(' ');
        asides.push_str(elaboration);
        return (head.to_string(), asides);
    }
    let mut focus = String::with_capacity(head.len());
    let mut depth = 0usize;
    let mut prev = ' ';
    for c in head.chars() {
        match c {
            '(' if depth > 0 || prev == ' ' => {
                depth += 1;
                if depth == 1 {
                    prev = c;
                    continue;
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    asides.push(' ');
                }
                prev = c;
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            asides.push(c);
        } else {
            focus.push(c);
        }
        prev = c;
    }
    asides.push(' ');
    asides.push_str(elaboration);
    (focus, asides)
}

/// Whether a question compares things ("X vs Y", "How does X differ from
/// Y?", "Why prefer X over Y?"): a comparison and a question about one of
/// its sides are different angles.
pub fn is_comparison(question: &str) -> bool {
    const MARKERS: &[&str] = &[
        "vs",
        "versus",
        "compare",
        "compared",
        "comparing",
        "differ",
        "differs",
        "difference",
        "differences",
        "distinguish",
        "between",
        "prefer",
    ];
    let (mut over, mut choice) = (false, false);
    for w in question.split(|c: char| !c.is_alphanumeric()) {
        let is = |m: &str| w.eq_ignore_ascii_case(m);
        if MARKERS.iter().any(|m| is(m)) {
            return true;
        }
        over |= is("over");
        choice |= ["choose", "pick", "use"].iter().any(|m| is(m));
    }
    over && choice
}

/// Words that name a kind of thing rather than the thing when they follow
/// it in its phrase ("the enum *module*", "the descriptor *protocol*",
/// "dataclasses simplify *class* creation"):
/// there they count little in a question's concept. Before the thing or on
/// their own ("*module* caching", "relate to *functions*") they are the
/// subject and count in full.
const GENERIC: &[&str] = &[
    "algorithm",
    "class",
    "code",
    "container",
    "context",
    "feature",
    "function",
    "library",
    "method",
    "module",
    "object",
    "performance",
    "protocol",
    "tool",
];

/// Words that end a phrase: a generic word after them is not the head
/// of the phrase before ("context managers relate *to* functions").
const PREPOSITIONS: &[&str] = &[
    "about", "for", "from", "in", "into", "of", "on", "to", "with",
];

/// Generic wherever they stand ("the *performance* of string concatenation").
const ALWAYS_GENERIC: &[&str] = &["performance"];

/// Whether `term` is a generic word (see `GENERIC`).
pub fn is_generic(term: &str) -> bool {
    // Compared by length first: most terms have no generic word's length.
    GENERIC.contains(&term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        terms(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn a_reused_term_list_holds_what_a_fresh_one_does() {
        let texts = [
            "How does `functools.cache` differ from lru_cache?",
            "",
            "The enum module: caching modules, a == b and x += 1.",
            "`str.join()` and coverage.py; Global Interpreter Lock",
        ];
        let mut list = TermList::default();
        for text in texts.iter().chain(texts.iter().rev()) {
            terms_into(text, &mut list);
            let reused: Vec<Term> = list
                .iter()
                .map(|(text, identifier, generic)| Term {
                    text: text.to_string(),
                    identifier,
                    generic,
                })
                .collect();
            assert_eq!(reused, terms(text), "{text}");
        }
        assert!(
            !terms(texts[2]).iter().all(|t| t.generic) && terms(texts[2]).iter().any(|t| t.generic)
        );
    }

    #[test]
    fn the_phrase_filter_never_turns_a_phrase_away() {
        let t = tables();
        assert!(t
            .phrases
            .keys()
            .all(|first| t.phrase_starts.may_hold(first)));
        assert!(!t.phrase_starts.may_hold("zzzz") && !t.phrase_starts.may_hold(""));
    }

    #[test]
    fn ascii_and_other_characters_fold_alike() {
        // Apostrophes drop, Unicode hyphens are ASCII ones, capitals of
        // any script lowercase, punctuation and whitespace separate words.
        assert_eq!(texts("Python’s GIL"), texts("Python's GIL"));
        assert_eq!(
            texts("thread\u{2011}safe pools"),
            texts("thread-safe pools")
        );
        assert_eq!(texts("ÜBER Größe"), vec!["über", "größe"]);
        assert_eq!(
            texts("lru_cache;\tmemo\u{0}ize"),
            vec!["lru_cache", "memo\u{0}ize"]
        );
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOPWORDS);
    }

    #[test]
    fn synonyms_fold_to_one_concept() {
        assert_eq!(
            texts("Describe the Global Interpreter Lock (GIL)."),
            vec!["gil", "gil"]
        );
        assert_eq!(
            texts("What is the GIL and why does it matter?"),
            vec!["gil"]
        );
        assert_eq!(
            texts("The GIL-Free Future: Python 3.13+ Free-Threading"),
            vec!["freethreading", "future", "freethreading"]
        );
        assert_eq!(
            texts("Pattern Matching (match/case)"),
            vec!["matchcase", "matchcase"]
        );
        assert_eq!(texts("Regular Expressions"), vec!["regex"]);
    }

    #[test]
    fn identifiers_and_operators_survive() {
        let t = terms("How does `functools.cache` differ from lru_cache?");
        let names: Vec<_> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            names,
            vec!["functools.cache", "functools", "cache", "lru_cache"]
        );
        assert!(t.iter().all(|t| t.identifier));
        assert_eq!(
            texts("What is the difference between == and is?"),
            vec!["op_eq"]
        );
        assert_eq!(
            texts("`is` vs `==` — Identity vs Equality"),
            vec!["op_eq", "identity", "equality"]
        );
        assert_eq!(texts("What is `__slots__`?"), vec!["__slots__"]);
    }

    #[test]
    fn plurals_fold() {
        assert_eq!(texts("Decorators and classes"), vec!["decorator", "class"]);
        assert_eq!(
            texts("Explain shallow vs deep copies."),
            vec!["shallow", "deep", "copy"]
        );
        assert_eq!(texts("dependencies"), vec!["dependency"]);
    }

    #[test]
    fn focus_is_the_headline_or_the_first_sentence() {
        assert_eq!(
            split_focus("Decorators — From Basics"),
            ("Decorators", "From Basics")
        );
        assert_eq!(
            split_focus("What is a decorator?"),
            ("What is a decorator?", "")
        );
        assert_eq!(
            split_focus("Analyze list growth. Why is append() O(1)?"),
            ("Analyze list growth.", "Why is append() O(1)?")
        );
        // a short first sentence is not a focus of its own
        assert_eq!(split_focus("Why? Because."), ("Why? Because.", ""));
        // the en dash too; other characters that start with the same byte
        // (a curly apostrophe, a dash without spaces) are no separator
        assert_eq!(
            split_focus("Python’s GIL – What It Locks"),
            ("Python’s GIL", "What It Locks")
        );
        assert_eq!(
            split_focus("Python’s GIL—what it locks"),
            ("Python’s GIL—what it locks", "")
        );
    }

    #[test]
    fn asides_move_to_the_elaboration() {
        let (f, e) =
            focus_parts("Analyze String Concatenation (`+=`) vs. `str.join()` in Python. Why?");
        assert_eq!(
            f.split_whitespace().collect::<Vec<_>>().join(" "),
            "Analyze String Concatenation vs. `str.join()` in Python."
        );
        assert_eq!(
            e.split_whitespace().collect::<Vec<_>>(),
            vec!["`+=`", "Why?"]
        );
        let (f, _) = focus_parts("How to ensure O(1) appends?");
        assert_eq!(f, "How to ensure O(1) appends?");
        // Without an aside the head is the focus, a stray `)` included,
        // and the elaboration follows one space.
        assert_eq!(
            focus_parts("Why does x) fail with asyncio? Explain the loop."),
            (
                "Why does x) fail with asyncio?".to_string(),
                " Explain the loop.".to_string()
            )
        );
        assert_eq!(focus_parts("GIL"), ("GIL".to_string(), " ".to_string()));
    }

    #[test]
    fn comparisons_are_recognised() {
        assert!(is_comparison(
            "Compare `functools.lru_cache` and `functools.cache`."
        ));
        assert!(is_comparison("`is` vs `==` — Identity vs Equality"));
        assert!(is_comparison("How do generators differ from iterators?"));
        assert!(is_comparison(
            "When would you pick multiprocessing over asyncio?"
        ));
        assert!(!is_comparison("What is `functools.lru_cache`?"));
        assert!(!is_comparison("How do you iterate over a dict?"));
    }

    #[test]
    fn dotted_names_keep_their_tail_and_files_their_stem() {
        let t = terms("`str.join()` and coverage.py");
        let names: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.generic)).collect();
        assert_eq!(
            names,
            vec![
                ("str.join", false),
                ("str", true),
                ("join", false),
                ("coverage", false)
            ]
        );
        assert_eq!(tail("str.join"), Some("join"));
        assert_eq!(tail("join"), None);
    }

    #[test]
    fn generic_words_are_sorted_for_binary_search() {
        let mut sorted = GENERIC.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, GENERIC);
        assert!(is_generic("module") && !is_generic("enum"));
    }
}
