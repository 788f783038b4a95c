//! The pipeline stage by stage on the seed corpus (`content/`): parse,
//! normalize, classify, dedup, assemble and each emitter; then
//! `compile + emit` end to end (every emitter, on the driver's worker
//! threads, outputs dropped instead of written) on the seed corpus and on
//! synthetic corpora of 1k, 10k and 100k questions (written once to a
//! temporary folder by `gen-corpus`'s code and loaded like `deckc build`
//! does). `cargo bench --bench pipeline` (about 5 minutes; the 100k group
//! alone: `cargo bench --bench pipeline -- 100k`).

// The allocator the deckc binary runs with (src/main.rs), so the figures are
// the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use deckc::classify;
use deckc::dedup;
use deckc::driver;
use deckc::emit::{self, Build};
use deckc::model::{Labelled, Question};
use deckc::normalize;
use deckc::overlay;
use deckc::pipeline::{self, Inputs};
use deckc::sources;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn content() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
}

/// Every stage's input, computed once.
struct Stages {
    inputs: Inputs,
    parsed: Vec<Question>,
    errata: normalize::Errata,
    options: normalize::Options,
    overlaid: Vec<Question>,
    taxonomy: classify::Taxonomy,
    overrides: classify::Overrides,
    labelled: Vec<Labelled>,
    curation: dedup::Curation,
    build: Build,
}

fn parse(inputs: &Inputs) -> Vec<Question> {
    let mut out = Vec::new();
    for (spec, src) in inputs.manifest.sources.iter().zip(&inputs.sources) {
        let layout = sources::layout(&spec.layout).expect("known layout");
        out.extend(sources::parse_source(layout, src, spec.questions).expect("parses"));
    }
    out
}

fn stages(inputs: Inputs) -> Stages {
    let parsed = parse(&inputs);
    let errata = match &inputs.errata {
        Some(f) => normalize::parse_errata(&f.path, &f.text).expect("errata"),
        None => normalize::Errata::default(),
    };
    let options = normalize::Options::from_manifest(&inputs.manifest);
    let normalized = normalize::normalize(parsed.clone(), &options, &errata).expect("normalize");
    let overlays: Vec<_> = inputs
        .overlays
        .iter()
        .map(|f| overlay::parse(&f.path, &f.text).expect("overlay"))
        .collect();
    let overlaid = overlay::apply(normalized, &overlays).expect("overlay applies");
    let taxonomy =
        classify::parse_taxonomy(&inputs.taxonomy.path, &inputs.taxonomy.text).expect("taxonomy");
    let overrides = match &inputs.overrides {
        Some(f) => classify::parse_overrides(&f.path, &f.text).expect("overrides"),
        None => classify::Overrides::default(),
    };
    let labelled = classify::classify(overlaid.clone(), &taxonomy, &overrides).expect("classify");
    let curation = match &inputs.dedup {
        Some(f) => dedup::parse_curation(&f.path, &f.text).expect("curation"),
        None => dedup::Curation::default(),
    };
    let build = pipeline::compile(&inputs).expect("compiles").build;
    Stages {
        inputs,
        parsed,
        errata,
        options,
        overlaid,
        taxonomy,
        overrides,
        labelled,
        curation,
        build,
    }
}

/// A sink that counts the files and drops their bytes.
#[derive(Default)]
struct Discard(std::sync::atomic::AtomicUsize);

impl emit::Sink for Discard {
    fn file(
        &self,
        _: usize,
        path: &std::path::Path,
        produce: emit::Produce<'_>,
    ) -> Result<(), deckc::error::EmitError> {
        produce(black_box(&mut std::io::sink())).map_err(|e| emit::write_error(path, e))?;
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Every emitter, as the driver runs them; the outputs are dropped.
fn emit_all(build: &Build) -> usize {
    let files = Discard::default();
    emit::emit_all(emit::EMITTERS, build, &files, &|_| {}).expect("emits");
    files.0.into_inner()
}

/// The build with nothing rendered yet (`Build::notes` empty), so an
/// emitter that renders note fields pays for it in every iteration.
fn fresh(build: &Build) -> Build {
    Build {
        notes: Default::default(),
        ..build.clone()
    }
}

fn per_stage(c: &mut Criterion) {
    let s = stages(driver::load(content()).expect("content/ loads"));
    let mut g = c.benchmark_group("seed");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("parse", |b| b.iter(|| parse(black_box(&s.inputs))));
    g.bench_function("normalize", |b| {
        b.iter_batched(
            || s.parsed.clone(),
            |q| normalize::normalize(q, &s.options, &s.errata),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("classify", |b| {
        b.iter_batched(
            || s.overlaid.clone(),
            |q| classify::classify(q, &s.taxonomy, &s.overrides),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("dedup", |b| {
        b.iter_batched(
            || s.labelled.clone(),
            |l| dedup::dedup(l, &s.curation),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("assemble", |b| {
        b.iter_batched(
            || dedup::dedup(s.labelled.clone(), &s.curation).expect("dedup"),
            deckc::assemble::cards,
            BatchSize::LargeInput,
        )
    });
    for e in emit::EMITTERS {
        g.bench_function(format!("emit-{}", e.name()), |b| {
            b.iter_batched(
                || fresh(&s.build),
                |build| {
                    let files = Discard::default();
                    e.emit(black_box(&build), &mut emit::Files::new(&files, 0))
                        .expect("emits");
                    files.0.into_inner()
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn end_to_end(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut corpora = vec![("seed".to_string(), content().to_path_buf())];
    for n in [1_000, 10_000, 100_000] {
        let out = dir.path().join(format!("q{n}"));
        let spec = deckc::corpus::Spec {
            questions: n,
            seed: 3,
        };
        driver::gen_corpus(spec, content(), &out).expect("corpus written");
        corpora.push((format!("{}k", n / 1000), out));
    }
    let mut g = c.benchmark_group("compile+emit");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (name, path) in &corpora {
        if name == "100k" {
            // Ten samples of several seconds each.
            g.warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(60));
        }
        let inputs = driver::load(path).expect("corpus loads");
        g.bench_with_input(BenchmarkId::from_parameter(name), &inputs, |b, inputs| {
            b.iter(|| emit_all(&pipeline::compile(inputs).expect("compiles").build))
        });
    }
    g.finish();
}

criterion_group!(benches, per_stage, end_to_end);
criterion_main!(benches);
