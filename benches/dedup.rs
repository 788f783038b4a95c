//! Dedup at scale: synthetic technical questions (seeded xorshift, Zipf-like
//! vocabulary, ~10% planted near-duplicates) at 1k, 10k and 100k.
//! `cargo bench --bench dedup`.

// The allocator the deckc binary runs with (src/main.rs), so the figures are
// the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use deckc::dedup::{dedup, Curation};
use deckc::model::{Difficulty, Labelled, Labels, Question, Ref};
use std::hint::black_box;
use std::time::Duration;

const WORDS: &[&str] = &[
    "asyncio",
    "decorator",
    "generator",
    "iterator",
    "closure",
    "metaclass",
    "descriptor",
    "dataclass",
    "namedtuple",
    "dict",
    "list",
    "tuple",
    "set",
    "deque",
    "heapq",
    "bisect",
    "thread",
    "process",
    "coroutine",
    "future",
    "task",
    "event",
    "loop",
    "queue",
    "lock",
    "semaphore",
    "gil",
    "pickle",
    "json",
    "yaml",
    "toml",
    "logging",
    "pytest",
    "fixture",
    "mock",
    "patch",
    "coverage",
    "profile",
    "memory",
    "gc",
    "refcount",
    "slots",
    "property",
    "inheritance",
    "mixin",
    "mro",
    "protocol",
    "typing",
    "generic",
    "variance",
    "enum",
    "regex",
    "pathlib",
    "subprocess",
    "socket",
    "http",
    "wsgi",
    "asgi",
    "django",
    "flask",
    "fastapi",
    "orm",
    "migration",
    "session",
    "cache",
    "redis",
    "celery",
    "worker",
    "pool",
    "executor",
    "buffer",
    "memoryview",
    "bytes",
    "string",
    "unicode",
    "encoding",
    "import",
    "module",
    "package",
    "wheel",
    "venv",
    "pip",
    "poetry",
    "lockfile",
    "context",
    "manager",
    "exception",
    "traceback",
    "signal",
    "timeout",
    "retry",
    "backoff",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A term: a common word (skewed to the head of the list) or, as often
    /// as vocabulary grows in real corpora, a rarer compound identifier.
    fn term(&mut self) -> String {
        let a = self.below(WORDS.len()).min(self.below(WORDS.len()));
        if self.below(3) == 0 {
            let b = self.below(WORDS.len());
            let n = self.below(500);
            format!("{}_{}{}", WORDS[a], WORDS[b], n)
        } else {
            WORDS[a].to_string()
        }
    }
}

fn labelled(n: u32, q: String, a: String) -> Labelled {
    let mut question = Question::new(Ref::new("bench", n), 1, q);
    question.answer = a;
    Labelled {
        question,
        labels: Labels {
            domain: "core".into(),
            domain_basis: "bench".into(),
            difficulty: Difficulty::Medium,
            difficulty_basis: "bench".into(),
        },
    }
}

fn corpus(n: usize) -> Vec<Labelled> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let templates = [
        "How does {0} interact with {1} and {2}?",
        "What is the difference between {0} and {1} when using {2}?",
        "Explain {0} in the context of {1} {2}.",
        "When would you use {0} over {1} for {2}?",
    ];
    let mut out: Vec<Labelled> = Vec::with_capacity(n);
    for i in 0..n {
        let number = i as u32 + 1;
        if i > 10 && rng.below(10) == 0 {
            // A planted near-duplicate: an earlier question, reworded.
            let src = rng.below(out.len());
            let q = &out[src].question;
            let t = templates[rng.below(templates.len())];
            let words: Vec<&str> = q
                .question
                .split_whitespace()
                .filter(|w| w.contains('_') || WORDS.contains(w))
                .collect();
            let mut text = t.to_string();
            for (k, w) in words.iter().take(3).enumerate() {
                text = text.replace(
                    &format!("{{{k}}}"),
                    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'),
                );
            }
            let answer: String = q.answer.split(' ').rev().collect::<Vec<_>>().join(" ");
            out.push(labelled(number, text, answer));
            continue;
        }
        let t = templates[rng.below(templates.len())];
        let text = t
            .replace("{0}", &rng.term())
            .replace("{1}", &rng.term())
            .replace("{2}", &rng.term());
        let answer: Vec<String> = (0..20).map(|_| rng.term()).collect();
        out.push(labelled(number, text, answer.join(" ")));
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("dedup");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for n in [1_000, 10_000, 100_000] {
        let items = corpus(n);
        let curation = Curation::default();
        let merged = dedup(items.clone(), &curation)
            .map(|c| items.len() - c.len())
            .unwrap_or(0);
        eprintln!("dedup bench: {n} questions, {merged} merged away");
        // The input's clone is made outside the measurement: it is the
        // bench's cost, not dedup's.
        group.bench_with_input(BenchmarkId::from_parameter(n), &items, |b, items| {
            b.iter_batched(
                || items.clone(),
                |items| dedup(black_box(items), &curation),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
