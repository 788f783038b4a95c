//! The synthetic corpus generator behind `deckc gen-corpus`: a content folder
//! of any size in the five guides' own layouts, with realistic technical
//! question and answer text, code spans (damaged the way the real extraction
//! damaged them, where that guide's layout is damaged), sections, and about
//! 10% near-duplicates planted at known positions (listed in `planted.yaml`)
//! so deduplication quality can be measured at scale. Pure and seeded: the
//! same arguments give the same bytes.
//!
//! Every question that is not planted has a subject no other question has,
//! so a merge that `planted.yaml` does not list is a wrong merge: a general
//! question is about one concept or compares two, each concept and each pair
//! asked once; the others are about a concept and an API, either a name
//! from the standard library's vocabulary (each name once) or a project's
//! own name built from word lists (unique by construction). As in real
//! question banks, the vocabulary grows with the corpus: the API names reach
//! the questions, the answers and the damaged code spans.
//!
//! Every size has the five guides' mix of layouts (35:200:60:71:50), so a
//! larger corpus is more of the same work, not other work: the scenarios
//! layout numbers at most 999 questions per guide, so a larger scenarios
//! share is split across several scenarios guides (`scenarios`,
//! `scenarios-2`, …).

use std::fmt::Write;
use std::path::PathBuf;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Total number of questions across the five layouts.
    pub questions: usize,
    pub seed: u64,
}

/// One generated file, relative to the content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub text: String,
}

/// A small, fast, seeded PRNG (xorshift64*). Not for cryptography.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// A concept the generator writes about: a name, code identifiers that go in
/// code spans, and facts to build answers from.
struct Concept {
    name: &'static str,
    code: &'static [&'static str],
    facts: &'static [&'static str],
}

const CONCEPTS: &[Concept] = &[
    Concept {
        name: "the GIL",
        code: &["threading", "sys.getswitchinterval()", "multiprocessing"],
        facts: &[
            "only one thread runs bytecode at a time",
            "I/O-bound threads release the lock while they wait",
            "CPU-bound work scales with processes instead",
        ],
    },
    Concept {
        name: "generators",
        code: &["yield", "next()", "__iter__"],
        facts: &[
            "values are produced lazily",
            "the frame is suspended between values",
            "a generator can be consumed only once",
        ],
    },
    Concept {
        name: "decorators",
        code: &["functools.wraps", "@property", "__call__"],
        facts: &[
            "a decorator takes a callable and returns a callable",
            "the wrapper should preserve metadata",
            "stacked decorators apply bottom-up",
        ],
    },
    Concept {
        name: "context managers",
        code: &["__enter__", "__exit__", "contextlib.contextmanager"],
        facts: &[
            "setup and teardown run even when the block raises",
            "returning true from the exit hook suppresses the exception",
            "they replace try/finally boilerplate",
        ],
    },
    Concept {
        name: "dictionaries",
        code: &["dict.get", "setdefault", "__hash__"],
        facts: &[
            "lookups are amortized constant time",
            "keys must be hashable",
            "insertion order is preserved",
        ],
    },
    Concept {
        name: "list comprehensions",
        code: &["[x for x in xs]", "map()", "filter()"],
        facts: &[
            "they build the whole list eagerly",
            "they are usually faster than an explicit loop",
            "a generator expression streams instead",
        ],
    },
    Concept {
        name: "asyncio",
        code: &["asyncio.gather", "await", "asyncio.TaskGroup"],
        facts: &[
            "one event loop schedules many coroutines",
            "blocking calls stall every task",
            "structured concurrency cancels siblings on failure",
        ],
    },
    Concept {
        name: "virtual environments",
        code: &["python -m venv", "pip install", "sys.prefix"],
        facts: &[
            "each project gets isolated site-packages",
            "the interpreter path decides which environment runs",
            "lock files make installs reproducible",
        ],
    },
    Concept {
        name: "type hints",
        code: &["typing.Protocol", "mypy", "TypeVar"],
        facts: &[
            "hints are not enforced at runtime",
            "a checker catches mismatches before deploy",
            "generics keep container types precise",
        ],
    },
    Concept {
        name: "dataclasses",
        code: &["@dataclass", "field(default_factory=list)", "__post_init__"],
        facts: &[
            "the decorator generates the init and repr",
            "frozen instances are hashable",
            "mutable defaults need a factory",
        ],
    },
    Concept {
        name: "pytest fixtures",
        code: &["@pytest.fixture", "conftest.py", "yield"],
        facts: &[
            "fixtures inject dependencies by name",
            "scope controls how often setup runs",
            "teardown follows the yield",
        ],
    },
    Concept {
        name: "garbage collection",
        code: &["gc.collect()", "sys.getrefcount", "weakref"],
        facts: &[
            "reference counting frees most objects immediately",
            "a cyclic collector finds unreachable cycles",
            "generations keep collections cheap",
        ],
    },
    Concept {
        name: "descriptors",
        code: &["__get__", "__set__", "property"],
        facts: &[
            "attribute access consults the type first",
            "data descriptors win over the instance dict",
            "methods bind through the descriptor protocol",
        ],
    },
    Concept {
        name: "metaclasses",
        code: &["type", "__new__", "__init_subclass__"],
        facts: &[
            "a metaclass creates classes",
            "most needs are met by class decorators",
            "ORMs use them to register models",
        ],
    },
    Concept {
        name: "slots",
        code: &["__slots__", "__dict__", "sys.getsizeof"],
        facts: &[
            "instances lose their per-object dict",
            "memory per instance drops sharply",
            "new attributes cannot be added dynamically",
        ],
    },
    Concept {
        name: "logging",
        code: &["logging.getLogger", "LoggerAdapter", "dictConfig"],
        facts: &[
            "loggers form a dotted hierarchy",
            "handlers decide where records go",
            "structured logs are easier to query",
        ],
    },
    Concept {
        name: "pickle",
        code: &["pickle.loads", "__reduce__", "json"],
        facts: &[
            "unpickling can execute arbitrary code",
            "never unpickle untrusted data",
            "JSON is the safe interchange default",
        ],
    },
    Concept {
        name: "WSGI and ASGI",
        code: &["gunicorn", "uvicorn", "async def app(scope, receive, send)"],
        facts: &[
            "WSGI is synchronous request-response",
            "ASGI supports websockets and long-lived connections",
            "the server owns the worker model",
        ],
    },
    Concept {
        name: "packaging",
        code: &["pyproject.toml", "wheel", "pip install -e ."],
        facts: &[
            "wheels install without a build step",
            "metadata lives in the project table",
            "editable installs point at the source tree",
        ],
    },
    Concept {
        name: "caching",
        code: &["functools.lru_cache", "functools.cache", "maxsize"],
        facts: &[
            "results are memoized by argument",
            "an unbounded cache can grow without limit",
            "arguments must be hashable",
        ],
    },
    Concept {
        name: "closures",
        code: &["nonlocal", "__closure__", "functools.partial"],
        facts: &[
            "inner functions capture variables, not values",
            "late binding surprises loops that create lambdas",
            "nonlocal rebinds a captured name",
        ],
    },
    Concept {
        name: "the import system",
        code: &["sys.modules", "importlib.import_module", "__init__.py"],
        facts: &[
            "a module runs its top level once",
            "the module cache short-circuits repeat imports",
            "circular imports see half-initialized modules",
        ],
    },
    Concept {
        name: "exceptions",
        code: &["raise ... from", "ExceptionGroup", "contextlib.suppress"],
        facts: &[
            "chaining keeps the original traceback",
            "bare except swallows interrupts",
            "exception groups carry several failures at once",
        ],
    },
    Concept {
        name: "the walrus operator",
        code: &[":=", "re.match", "while chunk := f.read(n)"],
        facts: &[
            "assignment becomes an expression",
            "it avoids computing a value twice",
            "overuse hurts readability",
        ],
    },
    Concept {
        name: "f-strings",
        code: &["f\"{x!r}\"", "format()", "__format__"],
        facts: &[
            "expressions are evaluated at runtime",
            "format specs control width and precision",
            "the debug form prints the expression too",
        ],
    },
    Concept {
        name: "enums",
        code: &["enum.Enum", "enum.auto()", "IntFlag"],
        facts: &[
            "members are singletons compared by identity",
            "flags combine with bitwise operators",
            "values should not be compared as raw ints",
        ],
    },
    Concept {
        name: "structural pattern matching",
        code: &["match", "case", "__match_args__"],
        facts: &[
            "patterns destructure sequences and mappings",
            "bare names capture rather than compare",
            "guards add conditions to a case",
        ],
    },
    Concept {
        name: "multiprocessing",
        code: &["multiprocessing.Pool", "ProcessPoolExecutor", "pickle"],
        facts: &[
            "each process has its own interpreter",
            "arguments cross the boundary by pickling",
            "start methods differ between platforms",
        ],
    },
    Concept {
        name: "threading locks",
        code: &["threading.Lock", "RLock", "queue.Queue"],
        facts: &[
            "a lock serializes a critical section",
            "re-entrant locks allow nested acquisition",
            "queues avoid most explicit locking",
        ],
    },
    Concept {
        name: "memory views",
        code: &["memoryview", "bytearray", "buffer protocol"],
        facts: &[
            "slices share memory with the source",
            "large binary data is never copied",
            "formats can be cast without copies",
        ],
    },
    Concept {
        name: "profiling",
        code: &["cProfile", "py-spy", "tracemalloc"],
        facts: &[
            "measure before optimizing",
            "sampling profilers add little overhead",
            "allocation tracking finds memory growth",
        ],
    },
    Concept {
        name: "SQLAlchemy sessions",
        code: &["Session", "selectinload", "expire_on_commit"],
        facts: &[
            "a session is a unit of work",
            "lazy loads after close raise errors",
            "eager loading avoids N+1 queries",
        ],
    },
    Concept {
        name: "Django ORM querysets",
        code: &["select_related", "prefetch_related", "QuerySet"],
        facts: &[
            "querysets are lazy until evaluated",
            "related lookups can trigger N+1 queries",
            "bulk operations skip model signals",
        ],
    },
    Concept {
        name: "dependency pinning",
        code: &["pip-compile", "requirements.txt", "uv lock"],
        facts: &[
            "locks pin transitive versions",
            "hashes protect against tampered packages",
            "ranges belong in libraries, pins in apps",
        ],
    },
    Concept {
        name: "Docker images for Python",
        code: &["python:3.12-slim", "multi-stage build", "--no-cache-dir"],
        facts: &[
            "layer order decides cache reuse",
            "slim bases shrink the attack surface",
            "build tools stay out of the runtime image",
        ],
    },
    Concept {
        name: "structured logging",
        code: &["structlog", "logging.Formatter", "trace_id"],
        facts: &[
            "one JSON object per line is easy to query",
            "context fields travel with every record",
            "log levels should be meaningful",
        ],
    },
    Concept {
        name: "secrets management",
        code: &["os.environ", "boto3 secretsmanager", "hvac"],
        facts: &[
            "secrets never belong in the repository",
            "rotation needs code that re-reads values",
            "least privilege limits blast radius",
        ],
    },
    Concept {
        name: "property-based testing",
        code: &["hypothesis", "@given", "st.integers()"],
        facts: &[
            "generated inputs find edge cases",
            "failing examples are shrunk to minimal ones",
            "properties state invariants, not examples",
        ],
    },
    Concept {
        name: "mocking",
        code: &["unittest.mock.patch", "MagicMock", "monkeypatch"],
        facts: &[
            "patch where the name is looked up",
            "over-mocking tests the mocks",
            "autospec keeps signatures honest",
        ],
    },
    Concept {
        name: "async generators",
        code: &["async for", "__anext__", "aclose()"],
        facts: &[
            "they stream values from awaitable sources",
            "cleanup needs an explicit close",
            "they compose into async pipelines",
        ],
    },
];

const QUESTION_TEMPLATES: &[&str] = &[
    "What is {c} and why does it matter {x}?",
    "How does {c} work under the hood {x}?",
    "When would you avoid {c} {x}?",
    "What are common mistakes with {c} {x}?",
    "How would you explain {c} to a junior engineer {x}?",
    "How do you test code that relies on {c} {x}?",
    "What changed about {c} in recent Python versions, and what does it mean {x}?",
    "How does {c} interact with {d} {x}?",
    "Compare {c} with {d}: when does each win {x}?",
    "How would you debug a failure involving {c} {x}?",
    "What does a production checklist for {c} look like {x}?",
    "How do you measure the cost of {c} {x}?",
];

/// Question forms about an API (`{a}`) used with a concept (`{c}`).
const API_TEMPLATES: &[&str] = &[
    "What does `{a}` do, and how does it relate to {c} {x}?",
    "How does `{a}` work under the hood when you use {c} {x}?",
    "When would you avoid `{a}` with {c} {x}?",
    "What are common mistakes with `{a}` and {c} {x}?",
    "How would you explain `{a}` to a junior engineer who knows {c} {x}?",
    "How do you test code that calls `{a}` alongside {c} {x}?",
    "What changed about `{a}` in recent Python versions, and what does it mean for {c} {x}?",
    "How would you debug a failure involving `{a}` and {c} {x}?",
    "What does a production checklist for `{a}` with {c} look like {x}?",
    "How do you measure the cost of `{a}` when using {c} {x}?",
];

/// Parts of a project's own names (`InvoiceQueue.flush_batch`,
/// `retry_payment_ledger`).
const NOUNS: &[&str] = &[
    "invoice",
    "order",
    "payment",
    "ledger",
    "account",
    "session",
    "token",
    "user",
    "report",
    "batch",
    "queue",
    "cache",
    "event",
    "metric",
    "tenant",
    "profile",
    "upload",
    "export",
    "import",
    "schedule",
    "job",
    "worker",
    "shard",
    "replica",
    "snapshot",
    "audit",
    "policy",
    "quota",
    "price",
    "cart",
    "coupon",
    "shipment",
    "route",
    "sensor",
    "reading",
    "feed",
    "article",
    "comment",
    "message",
    "thread",
    "channel",
    "webhook",
    "secret",
    "license",
    "model",
    "feature",
    "dataset",
    "partition",
];
const VERBS: &[&str] = &[
    "flush",
    "retry",
    "load",
    "sync",
    "merge",
    "validate",
    "parse",
    "render",
    "refresh",
    "archive",
    "rebuild",
    "resolve",
    "dispatch",
    "collect",
    "compact",
    "rotate",
    "prune",
    "replay",
    "migrate",
    "index",
    "encode",
    "decode",
    "score",
    "rank",
    "split",
    "bundle",
    "throttle",
    "verify",
    "publish",
    "reconcile",
];

/// Settings that make otherwise similar questions distinct: "in a"
/// (`KINDS`) (`SYSTEMS`), 360 of them, so that two questions share one only
/// as often as real questions happen to.
const KINDS: &[&str] = &[
    "small",
    "legacy",
    "multi-tenant",
    "high-traffic",
    "batch",
    "real-time",
    "regulated",
    "open-source",
    "serverless",
    "distributed",
    "single-threaded",
    "memory-constrained",
    "latency-sensitive",
    "data-heavy",
    "customer-facing",
];
const SYSTEMS: &[&str] = &[
    "Django service",
    "FastAPI app",
    "data pipeline",
    "CLI tool",
    "Celery worker",
    "Lambda function",
    "Jupyter notebook",
    "test suite",
    "monorepo",
    "library",
    "Kubernetes job",
    "trading system",
    "web scraper",
    "ETL job",
    "game server",
    "embedded device",
    "machine-learning service",
    "payments API",
    "log processor",
    "chat bot",
    "billing system",
    "search backend",
    "IoT gateway",
    "analytics dashboard",
];

/// A setting, e.g. "in a legacy Django service".
fn context(rng: &mut Rng) -> String {
    let kind = rng.pick(KINDS);
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("in {article} {kind} {}", rng.pick(SYSTEMS))
}

const REWORDINGS: &[(&str, &str)] = &[
    ("What is", "Explain"),
    ("How does", "Describe how"),
    ("When would you", "In which situations would you"),
    (
        "What are common mistakes with",
        "Which pitfalls do teams hit with",
    ),
];

/// The real guides' section headings, so the taxonomy's section mappings apply.
const STUDY_SECTIONS: &[&str] = &[
    "Core & Runtime",
    "Packaging & Dependencies",
    "Scripting & Stdlib",
    "Testing & Quality",
    "Cloud & AWS (boto3)",
    "Containers & Orchestration",
    "Security, CI/CD & Behavioral",
];
const DEEP_SECTIONS: &[&str] = &[
    "Core Language & Data Structures",
    "Advanced OOP",
    "Asyncio & Concurrency",
    "Backend & Web (Django/FastAPI)",
    "Coding Scenarios & Snippets",
    "Edge Cases & Trivia",
    "Python Medium Level Questions",
    "Python Advanced Level Questions",
    "Advanced Patterns & Production Python",
];

/// The smallest corpus: enough questions that every section of every layout
/// gets at least one.
pub const MIN_QUESTIONS: usize = 416;

/// One generated question before layout.
struct Item {
    question: String,
    bullets: Vec<String>,
}

/// The most questions one generated scenarios guide holds (see `generate`).
const SCENARIOS_MAX: usize = 999;

/// Generates the content folder.
pub fn generate(spec: Spec) -> Vec<File> {
    let mut rng = Rng::new(spec.seed);
    let weights = [
        ("study-guide", 35usize),
        ("top-200", 200),
        ("scenarios", 60),
        ("deep-dive", 71),
        ("top-50", 50),
    ];
    let total_w: usize = weights.iter().map(|w| w.1).sum();
    let mut counts: Vec<usize> = weights
        .iter()
        .map(|w| spec.questions * w.1 / total_w)
        .collect();
    let assigned: usize = counts.iter().sum();
    counts[1] += spec.questions - assigned;
    // The sources, in manifest order: one per layout, except that the
    // scenarios layout numbers "N)" with at most three digits (so a year such
    // as "2025)" in an answer is not a question), so its share is split into
    // guides of at most `SCENARIOS_MAX` questions (`scenarios`,
    // `scenarios-2`, …). Every size thus keeps the guides' mix of layouts.
    let mut parts: Vec<(String, usize, usize)> = Vec::new(); // (id, layout, questions)
    for (li, &n) in counts.iter().enumerate() {
        let chunks = if li == 2 {
            n.div_ceil(SCENARIOS_MAX).max(1)
        } else {
            1
        };
        for k in 0..chunks {
            let id = match k {
                0 => weights[li].0.to_string(),
                _ => format!("{}-{}", weights[li].0, k + 1),
            };
            // Near-equal chunks: the first `n % chunks` one question larger.
            let size = n / chunks + usize::from(k < n % chunks);
            parts.push((id, li, size));
        }
    }

    let mut subjects = Subjects::new(&mut rng);
    let mut items: Vec<Vec<Item>> = Vec::new();
    let mut planted: Vec<(String, String)> = Vec::new();
    let mut all: Vec<(String, String, Vec<String>)> = Vec::new(); // (ref, question, bullets)
    for (id, _, size) in &parts {
        let mut list = Vec::with_capacity(*size);
        for n in 1..=*size {
            let item = if all.len() > 20 && rng.below(10) == 0 {
                // A near-duplicate of an earlier question: reworded, same answer.
                let k = rng.below(all.len());
                let (orig_ref, q, bullets) = &all[k];
                planted.push((orig_ref.clone(), format!("{id}#{n}")));
                Item {
                    question: reword(q),
                    bullets: bullets.clone(),
                }
            } else {
                subjects.fresh(&mut rng)
            };
            all.push((
                format!("{id}#{n}"),
                item.question.clone(),
                item.bullets.clone(),
            ));
            list.push(item);
        }
        items.push(list);
    }

    let mut files = Vec::new();
    let mut manifest =
        String::from("# Synthetic corpus written by `deckc gen-corpus`.\nsources:\n");
    for ((id, li, n), list) in parts.iter().zip(&items) {
        let layout = weights[*li].0;
        let text = match li {
            0 => study_guide(list),
            1 => top200(list),
            2 => scenarios(list),
            3 => deep_dive(list),
            _ => top50(list),
        };
        files.push(File {
            path: format!("sources/{id}.txt").into(),
            text,
        });
        let _ = writeln!(
            manifest,
            "  - id: {id}\n    file: sources/{id}.txt\n    layout: {layout}\n    questions: {n}"
        );
        if layout == "top-200" || layout == "deep-dive" {
            let _ = writeln!(manifest, "    repair: [code-spans]");
        }
    }
    files.push(File {
        path: "sources.yaml".into(),
        text: manifest,
    });
    let mut p = String::from("# Planted near-duplicates: each pair should merge.\nplanted:\n");
    for (a, b) in &planted {
        let _ = writeln!(p, "  - [\"{a}\", \"{b}\"]");
    }
    files.push(File {
        path: "planted.yaml".into(),
        text: p,
    });
    files
}

/// The names of the standard library's vocabulary that read as an API: a
/// function (`isasyncgenfunction`) or a class (`TracebackException`).
fn stdlib_names() -> Vec<&'static str> {
    include_str!("normalize/data/python.txt")
        .lines()
        .map(str::trim)
        .filter(|n| (5..=22).contains(&n.len()) && !n.starts_with('_'))
        .filter(|n| {
            let b = n.as_bytes();
            let lower = b[0].is_ascii_lowercase()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
                && b[b.len() - 1] != b'_';
            let class = b[0].is_ascii_uppercase()
                && b.iter().all(u8::is_ascii_alphabetic)
                && b.iter().skip(1).any(u8::is_ascii_lowercase)
                && b.iter().skip(1).any(u8::is_ascii_uppercase);
            lower || class
        })
        .collect()
}

/// A bijection of `0..n` that scatters neighbours: `k ↦ (k·stride + offset) mod n`
/// with `stride` coprime to `n`.
#[derive(Debug, Clone, Copy)]
struct Scatter {
    n: usize,
    stride: usize,
    offset: usize,
}

impl Scatter {
    fn new(n: usize, rng: &mut Rng) -> Scatter {
        fn gcd(a: usize, b: usize) -> usize {
            if b == 0 {
                a
            } else {
                gcd(b, a % b)
            }
        }
        let n = n.max(1);
        let mut stride = n / 2 + 1 + rng.below(n / 3 + 1);
        while gcd(stride, n) != 1 {
            stride += 1;
        }
        Scatter {
            n,
            stride,
            offset: rng.below(n),
        }
    }
    fn at(&self, k: usize) -> usize {
        ((k % self.n) * self.stride + self.offset) % self.n
    }
}

/// Subject `i` of the general questions: one concept (`i` below the number
/// of concepts: a question about it), or an unordered pair of concepts (a
/// comparison or how the two interact). Dedup takes every question about a
/// concept alone for one flashcard whatever its wording, so each concept
/// and each pair gets one question.
fn concept_pair(i: usize) -> (&'static Concept, Option<&'static Concept>) {
    let n = CONCEPTS.len();
    if i < n {
        return (&CONCEPTS[i], None);
    }
    let mut k = i - n;
    for a in 0..n {
        let later = n - 1 - a;
        if k < later {
            return (&CONCEPTS[a], Some(&CONCEPTS[a + 1 + k]));
        }
        k -= later;
    }
    (&CONCEPTS[0], Some(&CONCEPTS[1]))
}

/// Hands out the subjects of the questions that are not planted, each one
/// once (see the module docs).
struct Subjects {
    stdlib: Vec<&'static str>,
    general: Pool,
    paired: Pool,
    own: Pool,
}

/// Indexes `0..n` handed out once each, in a scattered order.
struct Pool {
    order: Scatter,
    used: usize,
}

impl Pool {
    fn new(n: usize, rng: &mut Rng) -> Pool {
        Pool {
            order: Scatter::new(n, rng),
            used: 0,
        }
    }

    /// The next unused index, if any is left.
    fn take(&mut self) -> Option<usize> {
        (self.used < self.order.n).then(|| {
            self.used += 1;
            self.order.at(self.used - 1)
        })
    }
}

impl Subjects {
    fn new(rng: &mut Rng) -> Subjects {
        let stdlib = stdlib_names();
        let c = CONCEPTS.len();
        let general = Pool::new(c + c * (c - 1) / 2, rng);
        let paired = Pool::new(stdlib.len(), rng);
        let (n, v) = (NOUNS.len(), VERBS.len());
        let own = Pool::new(n * n * v * n + v * n * n, rng);
        Subjects {
            stdlib,
            general,
            paired,
            own,
        }
    }

    /// A project's own name for index `i` of the `own` pool.
    fn own_name(i: usize) -> String {
        let (n, v) = (NOUNS.len(), VERBS.len());
        let cap = |w: &str| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        };
        if i < n * n * v * n {
            let (a, rest) = (i % n, i / n);
            let (b, rest) = (rest % n, rest / n);
            let (verb, c) = (rest % v, rest / v);
            format!(
                "{}{}.{}_{}",
                cap(NOUNS[a]),
                cap(NOUNS[b]),
                VERBS[verb],
                NOUNS[c]
            )
        } else {
            let i = i - n * n * v * n;
            let (verb, rest) = (i % v, i / v);
            format!(
                "{}_{}_{}",
                VERBS[verb],
                NOUNS[rest % n],
                NOUNS[rest / n % n]
            )
        }
    }

    fn fresh(&mut self, rng: &mut Rng) -> Item {
        let x = &context(rng);
        let general = if rng.below(100) < 15 {
            self.general.take()
        } else {
            None
        };
        let (c, api, question) = match general {
            Some(i) => {
                let (c, d) = concept_pair(i);
                let forms: Vec<&str> = QUESTION_TEMPLATES
                    .iter()
                    .copied()
                    .filter(|t| t.contains("{d}") == d.is_some())
                    .collect();
                let q = rng
                    .pick(&forms)
                    .replace("{c}", c.name)
                    .replace("{d}", d.map_or("", |d| d.name))
                    .replace("{x}", x);
                (c, None, q)
            }
            None => {
                let stdlib = if rng.below(2) == 0 {
                    self.paired.take()
                } else {
                    None
                };
                let (c, api) = match stdlib {
                    Some(i) => (
                        &CONCEPTS[rng.below(CONCEPTS.len())],
                        self.stdlib[i].to_string(),
                    ),
                    None => {
                        let i = self
                            .own
                            .take()
                            .unwrap_or_else(|| rng.below(self.own.order.n));
                        (&CONCEPTS[rng.below(CONCEPTS.len())], Self::own_name(i))
                    }
                };
                let q = rng
                    .pick(API_TEMPLATES)
                    .replace("{a}", &api)
                    .replace("{c}", c.name)
                    .replace("{x}", x);
                (c, Some(api), q)
            }
        };
        let n = 3 + rng.below(3);
        let bullets = (0..n)
            .map(|i| {
                let fact = c.facts[(i + rng.below(3)) % c.facts.len()];
                let code = match (&api, i) {
                    (Some(a), 0) => a.as_str(),
                    _ => c.code[rng.below(c.code.len())],
                };
                let tail = rng.pick(&[
                    "in long-running services",
                    "under load",
                    "in tests",
                    "for large inputs",
                    "in CI",
                ]);
                format!("With `{code}`, {fact} {tail}.")
            })
            .collect();
        Item { question, bullets }
    }
}

fn reword(q: &str) -> String {
    for (from, to) in REWORDINGS {
        if let Some(rest) = q.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    format!("In an interview: {q}")
}

/// Removes backticks, damaging code spans the way the extraction did: a line
/// break before the span and the spaces around it lost.
fn damaged(bullet: &str) -> String {
    let mut out = String::new();
    let mut parts = bullet.split('`');
    out.push_str(parts.next().unwrap_or(""));
    let mut in_code = true;
    for p in parts {
        if in_code {
            if out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
            out.push_str(p);
        } else {
            out.push_str(p.strip_prefix(' ').unwrap_or(p));
        }
        in_code = !in_code;
    }
    out
}

fn plain(bullet: &str) -> String {
    bullet.replace('`', "")
}

fn study_guide(items: &[Item]) -> String {
    let mut out = String::new();
    let per = items.len().div_ceil(STUDY_SECTIONS.len()).max(1);
    for (s, chunk) in items.chunks(per).enumerate() {
        let title = STUDY_SECTIONS[s % STUDY_SECTIONS.len()];
        let _ = write!(out, "🐍\n{title} {} questions\n", chunk.len());
        for (i, it) in chunk.iter().enumerate() {
            let n = s * per + i + 1;
            let _ = writeln!(out, "{n:02} {}", it.question);
            let (tip, body) = it
                .bullets
                .split_last()
                .map_or((String::new(), &[][..]), |(t, b)| (plain(t), b));
            for b in body {
                let _ = writeln!(out, "{}\n", plain(b));
            }
            let _ = writeln!(out, "Mention: {tip}");
        }
    }
    out.trim_end().to_string()
}

fn top200(items: &[Item]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        let _ = writeln!(out, "Q{}. {}", i + 1, it.question);
        for b in &it.bullets {
            let _ = writeln!(out, "- {}", damaged(b));
        }
    }
    out.trim_end().to_string()
}

fn scenarios(items: &[Item]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        let _ = writeln!(out, "{}) {}", i + 1, it.question.replace('-', "\u{2011}"));
        for b in &it.bullets {
            let _ = writeln!(out, "- {}", plain(b).replace('-', "\u{2011}"));
        }
    }
    out.trim_end().to_string()
}

fn deep_dive(items: &[Item]) -> String {
    let mut out = String::new();
    let per = items.len().div_ceil(DEEP_SECTIONS.len()).max(1);
    for (s, chunk) in items.chunks(per).enumerate() {
        let _ = writeln!(out, "{}. {}", s + 1, DEEP_SECTIONS[s % DEEP_SECTIONS.len()]);
        for (i, it) in chunk.iter().enumerate() {
            let n = s * per + i + 1;
            let title = format!("{n}. {} — In Depth", it.question.trim_end_matches('?'));
            let _ = writeln!(out, "{title}\n{title}");
            for b in &it.bullets {
                let _ = writeln!(out, "- {}", damaged(b));
            }
            let _ = writeln!(out, "Red flag answer: Not knowing the trade-offs.Follow-up:- “Why does it matter at scale?” (Because costs add up.)");
        }
    }
    out.trim_end().to_string()
}

fn top50(items: &[Item]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, it.question);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the generated file at `path`.
    fn text<'f>(files: &'f [File], path: &str) -> &'f str {
        &files
            .iter()
            .find(|f| f.path.as_path() == std::path::Path::new(path))
            .unwrap()
            .text
    }

    #[test]
    fn same_spec_same_bytes_and_other_seed_other_bytes() {
        let a = generate(Spec {
            questions: 500,
            seed: 7,
        });
        assert_eq!(
            a,
            generate(Spec {
                questions: 500,
                seed: 7
            })
        );
        assert_ne!(
            a,
            generate(Spec {
                questions: 500,
                seed: 8
            })
        );
    }

    #[test]
    fn counts_add_up_and_about_ten_percent_is_planted() {
        let files = generate(Spec {
            questions: 1000,
            seed: 1,
        });
        let manifest = text(&files, "sources.yaml");
        let total: usize = manifest
            .lines()
            .filter_map(|l| l.trim().strip_prefix("questions: "))
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, 1000);
        let pairs = text(&files, "planted.yaml").matches("  - [").count();
        assert!((60..=140).contains(&pairs), "{pairs}");
    }

    /// Every size keeps the guides' mix of layouts: a scenarios share over
    /// what one guide may number is split into several scenarios guides.
    #[test]
    fn big_corpora_keep_the_layout_mix_in_several_scenarios_guides() {
        let files = generate(Spec {
            questions: 20_000,
            seed: 1,
        });
        let manifest = text(&files, "sources.yaml");
        let mut per_layout: std::collections::BTreeMap<String, usize> = Default::default();
        let mut scenario_guides = Vec::new();
        let mut layout = String::new();
        for l in manifest.lines().map(str::trim) {
            if let Some(x) = l.strip_prefix("layout: ") {
                layout = x.to_string();
            }
            if let Some(n) = l.strip_prefix("questions: ") {
                let n: usize = n.parse().unwrap();
                *per_layout.entry(layout.clone()).or_default() += n;
                if layout == "scenarios" {
                    scenario_guides.push(n);
                }
            }
        }
        assert_eq!(per_layout["scenarios"], 20_000 * 60 / 416);
        assert_eq!(per_layout.values().sum::<usize>(), 20_000);
        assert_eq!(scenario_guides.len(), 3, "{scenario_guides:?}");
        assert!(scenario_guides.iter().all(|&n| n <= SCENARIOS_MAX));
        // Each guide numbers its own questions from 1.
        let second = text(&files, "sources/scenarios-2.txt");
        assert!(second.starts_with("1) "), "{}", &second[..40]);
        assert!(manifest.contains(
            "  - id: scenarios-2\n    file: sources/scenarios-2.txt\n    layout: scenarios\n"
        ));
    }

    #[test]
    fn damage_matches_the_extraction_pattern() {
        assert_eq!(
            damaged("cached in `__pycache__` for reuse."),
            "cached in\n__pycache__for reuse."
        );
    }
}
