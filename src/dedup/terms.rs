//! Key terms of short technical text: the normalization the scorer compares.
//! Lowercases, folds a small synonym table (`Global Interpreter Lock` → `gil`,
//! `match/case` → `matchcase`), keeps Python identifiers whole (`lru_cache`,
//! `__slots__`, the parts of `functools.cache`), names operators (`==` →
//! `op_eq`), drops stopwords and interview filler ("explain", "compare"), and
//! folds plurals. Pure functions over `&str`.

/// One term and whether it looks like a Python identifier (`lru_cache`,
/// `__init__`, a dotted name's part): identifiers weigh more in questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub identifier: bool,
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
];

/// Single words folded to a canonical spelling after plural folding.
const WORDS: &[(&str, &str)] = &[
    ("threading", "thread"),
    ("multithreading", "thread"),
    ("multithreaded", "thread"),
    ("lambda", "lambda"),
    ("regex", "regex"),
    ("typing", "typehint"),
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
    "from",
    "get",
    "give",
    "go",
    "good",
    "gotcha",
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
    "into",
    "is",
    "it",
    "its",
    "just",
    "key",
    "killer",
    "know",
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
    "trap",
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

/// Terms of `text`. `head_only` callers split off taglines themselves.
pub fn terms(text: &str) -> Vec<Term> {
    let mut spaced = String::with_capacity(text.len() + 2);
    spaced.push(' ');
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2019}' | '\'' => '\u{0}',
            '`' | '*' | '"' | '\u{201c}' | '\u{201d}' | '(' | ')' | '[' | ']' | '{' | '}' | ','
            | ';' | '?' | '!' | ':' | '$' | '^' | '|' | '<' | '>' | '#' | '@' | '&' | '%' | '~' => {
                ' '
            }
            '\u{2011}' | '\u{2010}' | '\u{2012}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c != '\u{0}' {
            spaced.push(c);
        }
    }
    spaced.push(' ');
    // Sentence-final dots would glue words to nothing useful; dotted names keep theirs.
    let spaced = spaced.replace(". ", " ");
    let mut folded = spaced;
    for (phrase, canon) in PHRASES {
        if folded.contains(phrase) {
            folded = replace_words(&folded, phrase, canon);
        }
    }
    let mut out = Vec::new();
    for raw in folded.split(' ') {
        token(raw, &mut out);
    }
    out
}

/// Replaces `phrase` where it stands as whole words.
fn replace_words(text: &str, phrase: &str, canon: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(phrase) {
        let before_ok = rest[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = &rest[i + phrase.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !is_word(c));
        out.push_str(&rest[..i]);
        if before_ok && after_ok {
            out.push_str(canon);
        } else {
            out.push_str(phrase);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits one whitespace-free chunk into terms.
fn token(raw: &str, out: &mut Vec<Term>) {
    let ops: &[(&str, &str)] = &[("==", "op_eq"), ("!=", "op_ne"), ("+=", "op_iadd")];
    for (op, name) in ops {
        if raw == *op {
            out.push(Term {
                text: (*name).into(),
                identifier: true,
            });
            return;
        }
    }
    let raw = raw.trim_matches(|c: char| c == '.' || c == '-' || c == '/' || c == '+' || c == '=');
    if raw.is_empty() {
        return;
    }
    if raw.contains('.')
        || raw.contains('/')
        || raw.contains('-')
        || raw.contains('=')
        || raw.contains('+')
    {
        let dotted = raw.contains('.');
        let parts_ok = raw
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(is_word));
        if dotted && parts_ok && !raw.replace('.', "").bytes().all(|b| b.is_ascii_digit()) {
            // `functools.cache` is a name of its own, besides its parts.
            out.push(Term {
                text: raw.to_string(),
                identifier: true,
            });
        }
        for part in raw.split(['.', '/', '-', '=', '+']) {
            word(part, dotted, out);
        }
        return;
    }
    word(raw, false, out);
}

fn word(w: &str, dotted: bool, out: &mut Vec<Term>) {
    let w = w.trim_matches(|c: char| !is_word(c));
    if w.chars().count() < 2 || w.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let identifier = dotted || w.contains('_');
    if STOPWORDS.binary_search(&w).is_ok() {
        return;
    }
    let w = if identifier {
        w.to_string()
    } else {
        singular(w)
    };
    if STOPWORDS.binary_search(&w.as_str()).is_ok() {
        return;
    }
    let w = WORDS
        .iter()
        .find(|(from, _)| *from == w)
        .map_or(w.clone(), |(_, to)| (*to).to_string());
    for part in w.split(' ') {
        out.push(Term {
            text: part.to_string(),
            identifier,
        });
    }
}

/// Folds a plural to its singular for ordinary words.
fn singular(w: &str) -> String {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if n > 5 && w.ends_with("sses") {
        return w[..n - 2].to_string();
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// Question text split into its head and, for headings like
/// `GIL (Global Interpreter Lock) — The Most Misunderstood Thing`, the
/// tagline after the dash, which weighs less.
pub fn split_tagline(question: &str) -> (&str, &str) {
    for sep in [" \u{2014} ", " \u{2013} "] {
        if let Some((head, tail)) = question.split_once(sep) {
            if !head.trim().is_empty() && !tail.trim().is_empty() {
                return (head, tail);
            }
        }
    }
    (question, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        terms(s).into_iter().map(|t| t.text).collect()
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
    fn taglines_split_at_the_dash() {
        assert_eq!(
            split_tagline("Decorators — From Basics"),
            ("Decorators", "From Basics")
        );
        assert_eq!(
            split_tagline("What is a decorator?"),
            ("What is a decorator?", "")
        );
    }
}
