//! Emitters: each turns a finished `Build` into the bytes of one or more
//! output files. Emitters never decide content (that is `assemble`'s job);
//! they only format it, deterministically, and never touch the filesystem.

use crate::classify::Taxonomy;
use crate::error::EmitError;
use crate::lock::Lock;
use crate::model::Card;
use std::path::PathBuf;

mod anki_csv;
mod apkg;
mod csv;
mod json;
pub mod note;
mod obsidian;
mod preview;
mod quizlet;
mod report;
mod zipfile;

pub use self::anki_csv::AnkiCsv;
pub use self::apkg::Apkg;
pub use self::csv::Csv;
pub use self::json::Json;
pub use self::obsidian::Obsidian;
pub use self::preview::Preview;
pub use self::quizlet::Quizlet;
pub use self::report::Report;

/// One guide, as the report and exports describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub questions: usize,
}

/// Everything the emitters may read.
#[derive(Debug, Clone)]
pub struct Build {
    /// Deck name, e.g. "Python Interview".
    pub deck_name: String,
    /// Base of the output file names, e.g. "python-interview".
    pub file_stem: String,
    pub cards: Vec<Card>,
    pub taxonomy: Taxonomy,
    pub lock: Lock,
    pub sources: Vec<SourceSummary>,
    /// The Anki note fields of every card, rendered once on first use and
    /// shared by the emitters that need them (`note::all_fields`). Start it
    /// empty (`Default`); it is only ever filled from `cards`.
    pub notes: note::NoteCache,
}

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// About how many bytes the cards' text takes: the capacity an emitter
/// reserves for its output so the buffer is not copied as it grows (at 100k
/// cards those copies made the text emitters grow faster than the deck).
pub fn text_size(build: &Build) -> usize {
    build
        .cards
        .iter()
        .map(|c| {
            128 + c.id.len()
                + c.question.len()
                + c.answer.len()
                + c.details.len()
                + c.variants.iter().map(String::len).sum::<usize>()
        })
        .sum()
}

/// An output format.
pub trait Emitter: Sync {
    /// The name used with `--format`.
    fn name(&self) -> &'static str;
    /// What it writes, for `--help`.
    fn describe(&self) -> &'static str;
    fn emit(&self, build: &Build) -> Result<Vec<Output>, EmitError>;
}

/// Every emitter, in the order they run.
pub static EMITTERS: &[&dyn Emitter] = &[
    &Json, &Csv, &Apkg, &AnkiCsv, &Report, &Quizlet, &Obsidian, &Preview,
];

/// Where `emit_all` hands each emitter's outputs: the emitter's index in the
/// list and its outputs. The driver's sink writes them to a staging folder
/// (or compares them with the disk), so an output's bytes are dropped as soon
/// as they are written, not held until every emitter is done.
pub type Sink<'a> = dyn Fn(usize, Vec<Output>) -> Result<(), EmitError> + Sync + 'a;

/// Runs `emitters` over `build` on a few worker threads (one per core; the
/// emitters only read the build) and passes each one's outputs to `sink` as
/// soon as it has them. Returns the time each emitter took to make its
/// outputs (not the sink's time), in the order of `emitters` (for
/// `--verbose`; never part of an output). Outputs do not
/// depend on the schedule: each emitter is a pure function of the build.
/// The first error in the order of `emitters` wins.
pub fn emit_all(
    emitters: &[&dyn Emitter],
    build: &Build,
    sink: &Sink,
) -> Result<Vec<(&'static str, std::time::Duration)>, EmitError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    type Slot = Option<Result<std::time::Duration, EmitError>>;
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Slot>> = Mutex::new((0..emitters.len()).map(|_| None).collect());
    let workers = crate::par::threads().min(emitters.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(e) = emitters.get(i) else { break };
                let clock = std::time::Instant::now();
                let result = e.emit(build).and_then(|out| {
                    // The emitter's own time; the sink's (writing) is not in it.
                    let took = clock.elapsed();
                    sink(i, out).map(|()| took)
                });
                if let Ok(mut d) = done.lock() {
                    d[i] = Some(result);
                }
            });
        }
    });
    let done = done
        .into_inner()
        .map_err(|_| EmitError::format("emitters", "a worker thread panicked"))?;
    let mut timings = Vec::with_capacity(emitters.len());
    for (e, slot) in emitters.iter().zip(done) {
        match slot {
            Some(Ok(took)) => timings.push((e.name(), took)),
            Some(Err(err)) => return Err(err),
            None => return Err(EmitError::format(e.name(), "the emitter did not finish")),
        }
    }
    Ok(timings)
}

/// The emitter with this name.
pub fn emitter(name: &str) -> Option<&'static dyn Emitter> {
    EMITTERS.iter().copied().find(|e| e.name() == name)
}
